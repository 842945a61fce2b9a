import CLDAP

/// One connection to an LDAP server: opened, bound, searched, closed.
///
/// Every method blocks the calling thread; use it from one thread at a time (run it inside `LDAPWorker.run`).
/// `close()` is idempotent and `deinit` closes too.
public final class LDAPConnection {
    /// The options the connection was opened with.
    public let options: LDAPConnectionOptions
    /// The libldap handle; `nil` once closed.
    var handle: OpaquePointer?
    /// Bounds TLS handshakes, which libldap's own timeouts do not cover; outlives the handle.
    private let watchdog = ConnectWatchdog()

    private init(options: LDAPConnectionOptions, handle: OpaquePointer) {
        self.options = options
        self.handle = handle
    }

    deinit {
        close()
    }

    /// Connects (TLS as configured), optionally upgrades with StartTLS, and binds.
    ///
    /// Sets protocol version 3, turns referral chasing off, applies both timeouts, and creates a TLS context for
    /// this connection alone, so connections with different CA files can coexist in one process.
    public static func open(_ options: LDAPConnectionOptions) throws(LDAPError) -> LDAPConnection {
        var raw: OpaquePointer?
        let code = ldap_initialize(&raw, options.url)
        guard code == LDAP_SUCCESS, let raw else {
            throw LDAPError(resultCode: code, operation: "initialize", url: options.url)
        }
        let connection = LDAPConnection(options: options, handle: raw)
        try connection.configure()
        try connection.guardedHandshake("connect") { ldap_connect(raw) }
        if options.startTLS { try connection.startTLS() }
        try connection.addReadAhead()
        try connection.bind()
        return connection
    }

    /// Unbinds and releases the handle; calling it again does nothing.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        _ = ldap_unbind_ext(handle, nil, nil)
    }

    /// Reads the root DSE (naming contexts, supported controls, AD's `dsServiceName`, ...).
    ///
    /// - Parameter attributes: attributes to ask for; the default asks for all user and operational attributes.
    public func readRootDSE(attributes: [String] = ["*", "+"]) throws -> LDAPEntry {
        var rootDSE: LDAPEntry?
        let request = LDAPSearchRequest(base: "", scope: .base, filter: "(objectClass=*)", attributes: attributes)
        _ = try search(request) { rootDSE = $0 }
        guard let rootDSE else {
            throw LDAPError(
                resultCode: LDAP_NO_SUCH_OBJECT, diagnosticMessage: "the server returned no root DSE",
                operation: "readRootDSE", url: options.url, base: "", filter: request.filter)
        }
        return rootDSE
    }

    // MARK: - Opening steps

    private func configure() throws(LDAPError) {
        try check(watchdog.install(on: try openHandle("connect")), "setOption(connectCallback)")
        try setOption(LDAP_OPT_PROTOCOL_VERSION, "protocolVersion", Int32(LDAP_VERSION3))
        try check(ldap_set_option(handle, LDAP_OPT_REFERRALS, nil), "setOption(referrals)")  // nil is LDAP_OPT_OFF
        var connectTimeout = timeval(options.connectTimeout)
        try check(ldap_set_option(handle, LDAP_OPT_NETWORK_TIMEOUT, &connectTimeout), "setOption(networkTimeout)")
        var operationTimeout = timeval(options.operationTimeout)
        try check(ldap_set_option(handle, LDAP_OPT_TIMEOUT, &operationTimeout), "setOption(timeout)")
        guard options.usesTLS else { return }
        if let caFile = options.caFile {
            try check(ldap_set_option(handle, LDAP_OPT_X_TLS_CACERTFILE, caFile), "setOption(tlsCACertFile)")
        }
        let requireCertificate = options.verifyCertificate ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER
        try setOption(LDAP_OPT_X_TLS_REQUIRE_CERT, "tlsRequireCert", Int32(requireCertificate))
        // A fresh client context makes the options above apply to this handle only.
        try setOption(LDAP_OPT_X_TLS_NEWCTX, "tlsNewContext", Int32(0))
    }

    private func startTLS() throws(LDAPError) {
        var messageID: Int32 = 0
        try check(ldap_start_tls(handle, nil, nil, &messageID), "startTLS")
        let result = try parseResult(try nextMessage(messageID, "startTLS"))
        try check(result.code, "startTLS", diagnostic: result.diagnostic)
        try guardedHandshake("startTLS") { ldap_install_tls(handle) }
    }

    /// Bytes libldap reads from the socket at once. A search result entry is a few hundred bytes; without the
    /// layer, libldap polls and reads two or three times for each.
    static let readAheadBytes = 64 * 1024

    private func addReadAhead() throws(LDAPError) {
        guard tenantsync_add_read_ahead(try openHandle("connect"), ber_len_t(Self.readAheadBytes)) == 0 else {
            throw makeError(LDAP_LOCAL_ERROR, "connect", diagnostic: "could not add a read-ahead buffer to the connection")
        }
    }

    private func bind() throws(LDAPError) {
        guard case .simple(let dn, let password) = options.bind else { return }
        var bytes = Array(password.reveal().utf8)
        let code = bytes.withUnsafeMutableBufferPointer { buffer in
            var messageID: Int32 = 0
            var credentials = berval(
                bv_len: ber_len_t(buffer.count),
                bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self))
            // A nil mechanism is LDAP_SASL_SIMPLE.
            let code = ldap_sasl_bind(handle, dn, nil, &credentials, nil, nil, &messageID)
            return (code, messageID)
        }
        for index in bytes.indices { bytes[index] = 0 }
        try check(code.0, "bind")
        let result = try parseResult(try nextMessage(code.1, "bind"))
        try check(result.code, "bind", diagnostic: result.diagnostic)
    }

    /// Runs a call that may perform a TLS handshake, failing with LDAP_TIMEOUT after the connect timeout.
    private func guardedHandshake(_ operation: String, _ call: () -> Int32) throws(LDAPError) {
        let outcome = watchdog.guarding(timeout: options.connectTimeout, call)
        if outcome.timedOut {
            throw makeError(
                LDAP_TIMEOUT, operation, diagnostic: "TLS handshake did not finish within \(options.connectTimeout)")
        }
        // libldap reports a refused certificate as "Can't contact LDAP server" (ldaps) or "Connect error"
        // (StartTLS); once the TCP connection stood, it was the TLS handshake that failed.
        if outcome.code != LDAP_SUCCESS, options.usesTLS, outcome.connected {
            var diagnostic = "TLS handshake failed"
            if let detail = handleDiagnostic(), !detail.isEmpty, detail != "(unknown error code)" { diagnostic += " (\(detail))" }
            if options.verifyCertificate {
                let trust = options.caFile.map { "tls.caFile \($0)" } ?? "the system trust store"
                diagnostic += ": is the server's certificate issued by a CA in \(trust), and for the host name in the URL?"
            }
            throw makeError(outcome.code, operation, diagnostic: diagnostic)
        }
        try check(outcome.code, operation)
    }

    private func setOption(_ option: Int32, _ name: String, _ value: Int32) throws(LDAPError) {
        var value = value
        try check(ldap_set_option(handle, option, &value), "setOption(\(name))")
    }
}

@available(*, unavailable, message: "LDAPConnection is used from one thread at a time")
extension LDAPConnection: Sendable {}

extension timeval {
    /// A `timeval` for a Swift duration (microsecond precision).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
