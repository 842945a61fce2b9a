/// The `directory.url`: one LDAP URL with scheme `ldap`, `ldaps` or `ldapi`.
public struct LDAPServerURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL schemes tenantsync connects with.
    public enum Scheme: String, Sendable, Equatable, CaseIterable {
        /// Plain LDAP (optionally upgraded with StartTLS), default port 389.
        case ldap
        /// LDAP over TLS, default port 636.
        case ldaps
        /// LDAP over a Unix socket.
        case ldapi
    }

    /// The URL exactly as written, as libldap takes it.
    public var string: String
    /// The scheme.
    public var scheme: Scheme
    /// The host (for `ldapi`, the percent-encoded socket path, possibly empty).
    public var host: String
    /// The port, when one is written.
    public var port: Int?

    /// Parses `text`: `scheme://host[:port][/]`; IPv6 hosts in brackets; `ldapi://` may omit the host.
    public static func parse(_ text: String) -> Result<LDAPServerURL, ConfigValueError> {
        guard let separator = text.range(of: "://") else {
            return .failure(ConfigValueError(
                message: "invalid URL \"\(text)\"", hint: "use ldap://host, ldaps://host or ldapi://"
            ))
        }
        let schemeText = String(text[..<separator.lowerBound])
        guard let scheme = Scheme(rawValue: schemeText.lowercased()) else {
            return .failure(ConfigValueError(
                message: "unsupported URL scheme \"\(schemeText)\"", hint: "use ldap://, ldaps:// or ldapi://"
            ))
        }
        var rest = text[separator.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains(where: { $0 == "/" || $0 == "?" || $0.isWhitespace }) else {
            return .failure(ConfigValueError(
                message: "invalid URL \"\(text)\"",
                hint: "give one server as \(scheme.rawValue)://host[:port], without a path or query"
            ))
        }
        if scheme == .ldapi {
            return .success(LDAPServerURL(string: text, scheme: scheme, host: String(rest), port: nil))
        }
        return parseHostAndPort(rest).map { host, port in
            LDAPServerURL(string: text, scheme: scheme, host: host, port: port)
        }.mapError { problem in
            ConfigValueError(message: "\(problem.message) in URL \"\(text)\"", hint: "use \(scheme.rawValue)://host[:port]")
        }
    }

    /// The URL as written.
    public var description: String { string }

    private static func parseHostAndPort(_ text: Substring) -> Result<(String, Int?), ConfigValueError> {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(ConfigValueError(message: "unclosed IPv6 address"))
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(ConfigValueError(message: "invalid host")) }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { return .failure(ConfigValueError(message: "missing host")) }
        guard let portText else { return .success((String(host), nil)) }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
              (1...65535).contains(port) else {
            return .failure(ConfigValueError(message: "invalid port \"\(portText)\""))
        }
        return .success((String(host), port))
    }
}
