import Glibc

/// Sends entries to journald over its native protocol, without libsystemd.
///
/// Each entry is one datagram to the journal socket. An entry too large for a datagram (`EMSGSIZE`, roughly
/// over 200 KB) goes through a sealed memfd whose descriptor is passed instead, as journald expects.
public final class JournalWriter: Sendable {
    /// Where journald listens for native-protocol datagrams.
    public static let defaultSocketPath = "/run/systemd/journal/socket"

    /// The socket path entries go to.
    public let socketPath: String
    private let address: UnixSocketAddress
    private let socket: UnixDatagramSocket

    /// A writer for the journal socket at `socketPath` (tests pass the socket of their own journald).
    public init(socketPath: String = JournalWriter.defaultSocketPath) throws(SocketError) {
        guard let address = UnixSocketAddress(socketPath) else {
            throw SocketError(operation: "address", address: socketPath, code: ENAMETOOLONG)
        }
        self.socketPath = socketPath
        self.address = address
        self.socket = try UnixDatagramSocket()
    }

    /// Sends one entry.
    public func send(_ entry: JournalEntry) throws {
        let bytes = try JournalEncoding.encode(entry)
        do {
            try socket.send(bytes, to: address)
        } catch {
            guard error.code == EMSGSIZE || error.code == ENOBUFS else { throw error }
            try socket.sendSealedMemory(bytes, to: address)
        }
    }
}
