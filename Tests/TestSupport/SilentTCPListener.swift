#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on `127.0.0.1` that accepts connections (in the kernel backlog) but never answers.
///
/// Connecting succeeds at once and every request then waits forever, which is how a hung server or a blackholed
/// middlebox looks to a client: the right tool to show that a client's own timeouts fire.
public final class SilentTCPListener: Sendable {
    /// The port it listens on.
    public let port: UInt16
    private let socket: LoopbackSocket

    /// Starts listening on a free loopback port.
    public init() throws {
        socket = try LoopbackSocket()
        do {
            port = try socket.bindAnyPort()
            guard listen(socket.descriptor, 64) == 0 else { throw SocketError(operation: "listen", code: errno) }
        } catch {
            socket.close()
            throw error
        }
    }

    /// `ldap://127.0.0.1:PORT`.
    public var ldapURL: String { "ldap://127.0.0.1:\(port)" }

    deinit {
        socket.close()
    }
}
