import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on `127.0.0.1` in front of a server on another loopback port that passes the first `fullSpeedBytes`
/// of the server's answers at full speed and then only a trickle.
///
/// A client reading a large result through it is, once `waitUntilThrottled` returns, certainly in the middle of that
/// read and stays there for as long as the test needs: the way to signal a process mid-read without racing it.
public final class ThrottlingTCPProxy: @unchecked Sendable {
    /// The port it listens on.
    public let port: UInt16
    private let listener: LoopbackSocket
    private let upstreamPort: UInt16
    private let fullSpeedBytes: Int
    private let lock = NSLock()
    private var openDescriptors: [Int32] = []
    private var passedDownstream = 0
    private var stopped = false
    private var released = false
    private var listenerClosed = false
    private let throttled = DispatchSemaphore(value: 0)

    /// Starts listening on a free loopback port; each connection is forwarded to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: UInt16, fullSpeedBytes: Int) throws {
        self.upstreamPort = upstreamPort
        self.fullSpeedBytes = fullSpeedBytes
        listener = try LoopbackSocket()
        do {
            port = try listener.bindAnyPort()
            guard listen(listener.descriptor, 16) == 0 else { throw SocketError(operation: "listen", code: errno) }
        } catch {
            listener.close()
            throw error
        }
        Thread { [self] in acceptConnections() }.start()
    }

    // No deinit: the threads hold the proxy until `stop` ends them, and the accept loop closes the listener.

    /// `ldap://127.0.0.1:PORT`.
    public var ldapURL: String { "ldap://127.0.0.1:\(port)" }

    /// Waits until the server's answers passed `fullSpeedBytes` and the trickle began; false after `seconds`.
    public func waitUntilThrottled(seconds: Double) -> Bool {
        throttled.wait(timeout: .now() + seconds) == .success
    }

    /// Lets everything through at full speed from now on.
    public func release() {
        lock.withLock { released = true }
    }

    /// Closes the listener and every forwarded connection.
    public func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            // Under the lock, so no descriptor is closed and reused meanwhile: the pumps notice, and the last of
            // a pair closes both; the accept loop ends and closes the listener.
            for descriptor in openDescriptors {
                _ = shutdown(descriptor, Int32(SHUT_RDWR))
            }
            if !listenerClosed { _ = shutdown(listener.descriptor, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptConnections() {
        defer {
            lock.withLock {
                listenerClosed = true
                listener.close()
            }
        }
        while true {
            let client = accept(listener.descriptor, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard let server = try? connectUpstream() else {
                _ = close(client)
                continue
            }
            let accepted = lock.withLock {
                guard !stopped else { return false }
                openDescriptors += [client, server]
                return true
            }
            guard accepted else {
                _ = close(client)
                _ = close(server)
                return
            }
            let pair = ForwardedPair(client: client, server: server)
            Thread { [self] in
                pump(from: client, to: server, throttle: false)
                finish(pair)
            }.start()
            Thread { [self] in
                pump(from: server, to: client, throttle: true)
                finish(pair)
            }.start()
        }
    }

    private func connectUpstream() throws -> Int32 {
        let socket = try LoopbackSocket()
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = upstreamPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            socket.close()
            throw SocketError(operation: "connect", code: errno)
        }
        return socket.descriptor
    }

    /// Copies bytes until either side closes; downstream, past `fullSpeedBytes`, 1 KiB every 50 ms.
    private func pump(from source: Int32, to destination: Int32, throttle: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let slow = throttle && lock.withLock { passedDownstream >= fullSpeedBytes && !released }
            if slow { usleep(50_000) }
            let count = read(source, &buffer, slow ? 1024 : buffer.count)
            guard count > 0 else { break }
            guard sendAll(buffer[0..<count], to: destination) else { break }
            if throttle {
                let crossed = lock.withLock {
                    let before = passedDownstream
                    passedDownstream += count
                    return before < fullSpeedBytes && passedDownstream >= fullSpeedBytes
                }
                if crossed { throttled.signal() }
            }
        }
        _ = shutdown(source, Int32(SHUT_RDWR))
        _ = shutdown(destination, Int32(SHUT_RDWR))
    }

    private func finish(_ pair: ForwardedPair) {
        guard pair.oneDirectionEnded() else { return }
        lock.withLock { openDescriptors.removeAll { $0 == pair.client || $0 == pair.server } }
        _ = close(pair.client)
        _ = close(pair.server)
    }

    private func sendAll(_ bytes: ArraySlice<UInt8>, to destination: Int32) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            // MSG_NOSIGNAL: a client that went away must not raise SIGPIPE in the test process.
            let sent = rest.withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            rest = rest.dropFirst(sent)
        }
        return true
    }
}

/// The two descriptors of one forwarded connection; closed once both directions ended.
private final class ForwardedPair: @unchecked Sendable {
    let client: Int32
    let server: Int32
    private let lock = NSLock()
    private var ended = 0

    init(client: Int32, server: Int32) {
        self.client = client
        self.server = server
    }

    /// Records that one direction ended; true for the second.
    func oneDirectionEnded() -> Bool {
        lock.withLock {
            ended += 1
            return ended == 2
        }
    }
}
