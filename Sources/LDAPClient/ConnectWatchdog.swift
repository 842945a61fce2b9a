import CLDAP
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Bounds the blocking TLS handshake inside `ldap_connect` / `ldap_install_tls`.
///
/// libldap's network timeout covers the TCP connect but not the TLS handshake, which spins forever against a
/// server that accepts and never answers. A connection callback records the socket; when a guarded call runs
/// past its deadline the socket is shut down, which makes the handshake fail at once.
final class ConnectWatchdog: Sendable {
    private struct State {
        var socket: Int32?
        var guarding = false
        var generation = 0
        var fired = false
        /// Whether a TCP connection was made during the guarded call (it may be gone again by its end).
        var connected = false
    }

    private let state = Mutex(State())
    /// The callback record libldap keeps a pointer to; lives as long as the watchdog.
    private nonisolated(unsafe) let callbacks: UnsafeMutablePointer<ldap_conncb>

    init() {
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: ldap_conncb(lc_add: connectionAdded, lc_del: connectionRemoved, lc_arg: nil))
        callbacks.pointee.lc_arg = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        callbacks.deallocate()
    }

    /// Registers the callbacks on a handle; the watchdog must outlive the handle.
    func install(on handle: OpaquePointer) -> Int32 {
        ldap_set_option(handle, LDAP_OPT_CONNECT_CB, callbacks)
    }

    /// Runs `call`, shutting the socket down if it has not returned after `timeout`.
    /// Returns the call's result, whether the deadline was hit, and whether a TCP connection was made meanwhile (a
    /// failure after it is one of TLS, not of reaching the server).
    func guarding(timeout: Duration, _ call: () -> Int32) -> (code: Int32, timedOut: Bool, connected: Bool) {
        let generation = state.withLock { state in
            state.guarding = true
            state.fired = false
            state.connected = state.socket != nil
            state.generation += 1
            return state.generation
        }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            state.withLock { state in
                guard state.guarding, state.generation == generation, let socket = state.socket else { return }
                state.fired = true
                shutdown(socket, Int32(SHUT_RDWR))
            }
        }
        let code = call()
        let (timedOut, connected) = state.withLock { state in
            state.guarding = false
            return (state.fired, state.connected)
        }
        return (code, timedOut, connected)
    }

    fileprivate func socketOpened(_ socket: Int32) {
        state.withLock { state in
            state.socket = socket
            state.connected = true
        }
    }

    fileprivate func socketClosed() {
        state.withLock { $0.socket = nil }
    }
}

private func watchdog(_ context: UnsafeMutablePointer<ldap_conncb>?) -> ConnectWatchdog? {
    guard let argument = context?.pointee.lc_arg else { return nil }
    return Unmanaged<ConnectWatchdog>.fromOpaque(argument).takeUnretainedValue()
}

private func connectionAdded(
    _: OpaquePointer?, _ sockbuf: OpaquePointer?, _: UnsafeMutablePointer<LDAPURLDesc>?,
    _: UnsafeMutablePointer<sockaddr>?, _ context: UnsafeMutablePointer<ldap_conncb>?
) -> Int32 {
    var socket: Int32 = -1
    if let sockbuf, ber_sockbuf_ctrl(sockbuf, LBER_SB_OPT_GET_FD, &socket) == 1, socket >= 0 {
        watchdog(context)?.socketOpened(socket)
    }
    return 0
}

private func connectionRemoved(
    _: OpaquePointer?, _: OpaquePointer?, _ context: UnsafeMutablePointer<ldap_conncb>?
) {
    watchdog(context)?.socketClosed()
}
