/// How far below the base a search reaches.
public enum LDAPSearchScope: Sendable, Hashable {
    /// Only the base entry itself.
    case base
    /// The immediate children of the base.
    case oneLevel
    /// The base and everything below it.
    case subtree
}

/// A request or response control as plain bytes: OID, criticality and the BER-encoded value.
///
/// Used to pass controls the client has no dedicated API for (AD show-deleted, DirSync) and to hand back the
/// controls of a search's final result.
public struct LDAPControlValue: Sendable, Hashable {
    /// The control's OID, e.g. `1.2.840.113556.1.4.417`.
    public var oid: String
    /// Whether the server must refuse the operation when it does not support the control.
    public var isCritical: Bool
    /// The encoded control value; `nil` when the control has none.
    public var value: [UInt8]?

    /// Creates a control.
    public init(oid: String, isCritical: Bool = false, value: [UInt8]? = nil) {
        self.oid = oid
        self.isCritical = isCritical
        self.value = value
    }
}

/// One search: where, what, which attributes, and how to page.
public struct LDAPSearchRequest: Sendable, Hashable {
    /// The search base DN.
    public var base: String
    /// How far below the base to search.
    public var scope: LDAPSearchScope
    /// RFC 4515 filter; escape values with `LDAPFilter.escape`.
    public var filter: String
    /// Attributes to return; empty means all user attributes.
    public var attributes: [String]
    /// RFC 2696 page size; 0 turns paging off.
    public var pageSize: Int
    /// Most entries the server may return; 0 means no client-side limit. Exceeding it is an error.
    public var sizeLimit: Int
    /// Additional request controls sent with every page.
    public var controls: [LDAPControlValue]

    /// Creates a search request.
    public init(
        base: String,
        scope: LDAPSearchScope = .subtree,
        filter: String = "(objectClass=*)",
        attributes: [String] = [],
        pageSize: Int = 0,
        sizeLimit: Int = 0,
        controls: [LDAPControlValue] = []
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.pageSize = pageSize
        self.sizeLimit = sizeLimit
        self.controls = controls
    }
}

/// What a completed (never truncated) search reports besides its entries.
public struct LDAPSearchSummary: Sendable, Hashable {
    /// How many entries were handed to the callback.
    public var entryCount: Int
    /// How many result messages (pages) the search took; 1 without paging.
    public var pageCount: Int
    /// Continuation references (URLs) the server returned instead of entries; they are not followed.
    public var references: [String]
    /// The response controls of the final search result (e.g. a DirSync cookie).
    public var responseControls: [LDAPControlValue]

    /// Creates a summary.
    public init(
        entryCount: Int, pageCount: Int, references: [String] = [], responseControls: [LDAPControlValue] = []
    ) {
        self.entryCount = entryCount
        self.pageCount = pageCount
        self.references = references
        self.responseControls = responseControls
    }
}
