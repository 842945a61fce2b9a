/// Everything needed to open one connection: where, how to secure it, how to bind, how long to wait.
///
/// Referral chasing is always off: a referral is reported as a truncated result, never followed.
public struct LDAPConnectionOptions: Sendable, Hashable {
    /// Server URL: `ldap://host:port`, `ldaps://host:port` or `ldapi://%2Fpath%2Fsocket`.
    public var url: String
    /// Upgrade an `ldap://` connection with the StartTLS extended operation before binding.
    public var startTLS: Bool
    /// PEM file with the CA certificates trusted for this connection; `nil` uses the system defaults.
    public var caFile: String?
    /// Verify the server certificate and host name (default). Turn off only for tests against throwaway servers.
    public var verifyCertificate: Bool
    /// How to authenticate.
    public var bind: LDAPBind
    /// Longest time to establish the TCP (and, for `ldaps://`, TLS) connection.
    public var connectTimeout: Duration
    /// Longest wait for any single server response (bind, StartTLS, each search message).
    public var operationTimeout: Duration

    /// Creates options; only the URL is required.
    public init(
        url: String,
        startTLS: Bool = false,
        caFile: String? = nil,
        verifyCertificate: Bool = true,
        bind: LDAPBind = .anonymous,
        connectTimeout: Duration = .seconds(10),
        operationTimeout: Duration = .seconds(120)
    ) {
        self.url = url
        self.startTLS = startTLS
        self.caFile = caFile
        self.verifyCertificate = verifyCertificate
        self.bind = bind
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
    }

    /// Whether this connection uses TLS at all (ldaps:// or StartTLS).
    var usesTLS: Bool {
        startTLS || url.lowercased().hasPrefix("ldaps://")
    }
}
