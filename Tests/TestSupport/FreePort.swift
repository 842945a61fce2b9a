#if canImport(Glibc)
import Glibc
#endif

/// Finds TCP ports nobody listens on, for servers started by tests.
public enum FreePort {
    /// A port on `127.0.0.1` that was free a moment ago (the kernel picks it; another process could still take it,
    /// so servers should retry with a new port when binding fails).
    public static func next() throws -> UInt16 {
        let socket = try LoopbackSocket()
        defer { socket.close() }
        return try socket.bindAnyPort()
    }
}

/// A TCP socket on `127.0.0.1`, close-on-exec so spawned servers never inherit it.
struct LoopbackSocket: Sendable {
    let descriptor: Int32

    init() throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(operation: "socket", code: errno) }
    }

    /// Binds to `127.0.0.1:0` and returns the port the kernel chose.
    func bindAnyPort() throws -> UInt16 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SocketError(operation: "bind", code: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw SocketError(operation: "getsockname", code: errno) }
        return UInt16(bigEndian: address.sin_port)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

/// A socket call failed.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    /// The call that failed.
    public var operation: String
    /// `errno` after the call.
    public var code: Int32

    /// The call and the system's text for the error.
    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code)))"
    }
}
