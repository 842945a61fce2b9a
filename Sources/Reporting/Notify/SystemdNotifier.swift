import Foundation
import Glibc

/// `sd_notify` without libsystemd: state changes sent as one datagram to `$NOTIFY_SOCKET`.
///
/// Every call is a no-op when the process was not started with a notify socket (not under systemd, or not
/// `Type=notify`).
public struct SystemdNotifier: Sendable {
    /// The socket's address as systemd gave it (`/path` or `@abstract`); `nil`: notifications are off.
    public let socketAddress: String?
    private let address: UnixSocketAddress?
    private let socket: UnixDatagramSocket?

    /// A notifier for `$NOTIFY_SOCKET` in `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(socketAddress: environment["NOTIFY_SOCKET"])
    }

    /// A notifier for the socket at `socketAddress` (a path, or `@name` for an abstract socket); `nil`, empty or
    /// unusable (such as systemd's `vsock:` addresses, which this does not speak) turns notifications off.
    public init(socketAddress: String?) {
        guard let socketAddress, let address = UnixSocketAddress(socketAddress),
              socketAddress.hasPrefix("/") || socketAddress.hasPrefix("@"), let socket = try? UnixDatagramSocket()
        else {
            self.socketAddress = nil
            self.address = nil
            self.socket = nil
            return
        }
        self.socketAddress = socketAddress
        self.address = address
        self.socket = socket
    }

    /// Whether notifications are sent at all.
    public var isEnabled: Bool { socket != nil }

    /// Sends `state` (newline-separated `KEY=value` assignments) as one datagram.
    public func send(_ state: String) throws(SocketError) {
        guard let socket, let address else { return }
        try socket.send(Array(state.utf8), to: address)
    }

    /// `READY=1`, with a status line when given: start-up finished.
    public func ready(status: String? = nil) throws(SocketError) {
        try send(["READY=1", status.map { "STATUS=" + Self.singleLine($0) }].compactMap { $0 }.joined(separator: "\n"))
    }

    /// `STATUS=...`: the one line `systemctl status` shows.
    public func status(_ text: String) throws(SocketError) {
        try send("STATUS=" + Self.singleLine(text))
    }

    /// `WATCHDOG=1`: the keep-alive ping for `WatchdogSec=`.
    public func watchdog() throws(SocketError) {
        try send("WATCHDOG=1")
    }

    /// `STOPPING=1`: shutdown began.
    public func stopping() throws(SocketError) {
        try send("STOPPING=1")
    }

    /// `RELOADING=1` with `MONOTONIC_USEC` (newer systemd requires it for `Type=notify-reload`; older ignore it).
    /// Send ``ready(status:)`` when the reload is done.
    public func reloading() throws(SocketError) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        try send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC`, as systemd advises; `nil` when the watchdog is
    /// off, the value is invalid, or `$WATCHDOG_PID` names another process.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], pid != String(getpid()) { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    private static func singleLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
