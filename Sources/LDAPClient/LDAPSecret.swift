/// A password or other secret that never appears in logs, descriptions or error messages.
///
/// `description`, `debugDescription` and string interpolation all print `<redacted>`; only `reveal()` gives the text.
public struct LDAPSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral
{
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }

    /// Wraps a secret written as a literal (tests and examples).
    public init(stringLiteral value: String) {
        self.value = value
    }

    /// The secret itself; call only where it is handed to the server.
    public func reveal() -> String {
        value
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}

/// How a connection authenticates after it is established.
public enum LDAPBind: Sendable, Hashable, CustomStringConvertible {
    /// No bind: the server's anonymous access rules apply.
    case anonymous
    /// RFC 4513 simple bind with a DN and password.
    case simple(dn: String, password: LDAPSecret)

    /// A readable form that names the DN but never the password.
    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .simple(let dn, _): "simple(dn: \(dn))"
        }
    }
}
