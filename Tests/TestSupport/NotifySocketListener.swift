import Foundation
import Glibc

/// A bound `AF_UNIX`/`SOCK_DGRAM` socket standing in for systemd's notify socket.
///
/// Used from one test at a time; `receive` reads one datagram.
public final class NotifySocketListener: @unchecked Sendable {
    /// The socket's path: what `NOTIFY_SOCKET` names.
    public let path: String
    private let fd: Int32

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ListenerError(step: "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw ListenerError(step: "bind")
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram as text, or `nil` after `timeoutMilliseconds`.
    public func receive(timeoutMilliseconds: Int32 = 2000) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    public struct ListenerError: Error {
        public var step: String
    }
}
