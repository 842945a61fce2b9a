import CLDAP

/// A failed LDAP operation, with everything needed to understand it from one log line.
///
/// Never contains a password: only the URL, base and filter of the request are kept.
public struct LDAPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The LDAP result code (server codes are positive, libldap client codes negative).
    public var resultCode: Int32
    /// The text libldap gives for the code (`ldap_err2string`).
    public var resultName: String
    /// The server's (or libldap's) diagnostic message, when there is one.
    public var diagnosticMessage: String?
    /// What was being done: `connect`, `bind`, `startTLS`, `search`, `setOption(...)`, ...
    public var operation: String
    /// The server URL.
    public var url: String
    /// The search base, for search operations.
    public var base: String?
    /// The search filter, for search operations.
    public var filter: String?
    /// Whether the failure means the result was cut short (size/time/admin limit, referral, unfinished paging).
    ///
    /// A truncated read must never be treated as a complete directory.
    public var isTruncation: Bool

    /// Creates an error; `isTruncation` defaults to what the result code implies.
    public init(
        resultCode: Int32,
        diagnosticMessage: String? = nil,
        operation: String,
        url: String,
        base: String? = nil,
        filter: String? = nil,
        isTruncation: Bool? = nil
    ) {
        self.resultCode = resultCode
        self.resultName = String(cString: ldap_err2string(resultCode))
        self.diagnosticMessage = trimmedOrNil(diagnosticMessage)
        self.operation = operation
        self.url = url
        self.base = base
        self.filter = filter
        self.isTruncation = isTruncation ?? Self.truncationCodes.contains(resultCode)
    }

    /// Whether the work ended because the task that ran it was cancelled (libldap's `LDAP_USER_CANCELLED`).
    public var isCancellation: Bool { resultCode == LDAP_USER_CANCELLED }

    /// timeLimitExceeded(3), sizeLimitExceeded(4), referral(10), adminLimitExceeded(11).
    static let truncationCodes: Set<Int32> = [
        LDAP_TIMELIMIT_EXCEEDED, LDAP_SIZELIMIT_EXCEEDED, LDAP_REFERRAL, LDAP_ADMINLIMIT_EXCEEDED,
    ]

    /// One readable line: operation, code, name, diagnostic, URL, base and filter.
    public var description: String {
        var text = "LDAP \(operation) failed: \(resultCode) \(resultName)"
        if let diagnosticMessage { text += " (\(diagnosticMessage))" }
        if isTruncation { text += " [result truncated]" }
        text += "; url=\(url)"
        if let base { text += " base=\"\(base)\"" }
        if let filter { text += " filter=\"\(filter)\"" }
        return text
    }
}

private func trimmedOrNil(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
    return trimmed.isEmpty ? nil : String(trimmed)
}
