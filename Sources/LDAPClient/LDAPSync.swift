/// An RFC 4533 refreshOnly content synchronisation request.
public struct LDAPSyncRequest: Sendable, Hashable {
    /// The search base DN.
    public var base: String
    /// How far below the base to search.
    public var scope: LDAPSearchScope
    /// RFC 4515 filter.
    public var filter: String
    /// Attributes to return; empty means all user attributes.
    public var attributes: [String]
    /// The cookie saved after the last successful sync; `nil` for a full initial refresh.
    public var cookie: [UInt8]?

    /// Creates a sync request.
    public init(
        base: String, scope: LDAPSearchScope = .subtree, filter: String = "(objectClass=*)",
        attributes: [String] = [], cookie: [UInt8]? = nil
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.cookie = cookie
    }
}

/// The state the server reports for one entry (RFC 4533 Sync State control).
public enum LDAPSyncState: Int, Sendable, Hashable {
    /// Unchanged since the cookie; only the DN and UUID are sent.
    case present = 0
    /// New or changed (OpenLDAP reports modifications as `add` too): the whole entry is sent.
    case add = 1
    /// Changed (RFC 4533; OpenLDAP uses `add`).
    case modify = 2
    /// Deleted.
    case delete = 3
}

/// One thing a refresh reports.
public enum LDAPSyncEvent: Sendable, Hashable {
    /// An entry with its state and its `entryUUID` (16 raw bytes).
    case entry(LDAPEntry, uuid: [UInt8], state: LDAPSyncState)
    /// Entries deleted since the cookie, by UUID.
    case deleted(uuids: [[UInt8]])
    /// Entries present (unchanged) since the cookie, by UUID.
    case present(uuids: [[UInt8]])
}

/// How a refresh ended.
public struct LDAPSyncSummary: Sendable, Hashable {
    /// The cookie to save (only after the changes are stored) and send next time.
    public var cookie: [UInt8]?
    /// `true`: deletions were reported explicitly. `false`: the server sent the present set instead, and every
    /// known entry that was neither reported present nor added/modified must be treated as deleted.
    public var refreshDeletes: Bool
    /// How many `.entry` events were delivered.
    public var entryCount: Int

    /// Creates a summary.
    public init(cookie: [UInt8]?, refreshDeletes: Bool, entryCount: Int) {
        self.cookie = cookie
        self.refreshDeletes = refreshDeletes
        self.entryCount = entryCount
    }
}

/// OIDs and tags of RFC 4533.
enum SyncProtocol {
    static let requestOID = "1.3.6.1.4.1.4203.1.9.1.1"
    static let stateOID = "1.3.6.1.4.1.4203.1.9.1.2"
    static let doneOID = "1.3.6.1.4.1.4203.1.9.1.3"
    static let infoOID = "1.3.6.1.4.1.4203.1.9.1.4"
    static let refreshRequired: Int32 = 0x1000

    /// syncRequestValue ::= SEQUENCE { mode ENUMERATED (refreshOnly 1), cookie OCTET STRING OPTIONAL }
    static func requestValue(cookie: [UInt8]?) -> [UInt8] {
        var content = BER.element(0x0a, [0x01])
        if let cookie { content += BER.element(0x04, cookie) }
        return BER.element(0x30, content)
    }
}

/// A refreshOnly sync request sent and not yet answered (`LDAPConnection.startSync`); it belongs to its connection.
public struct LDAPPendingSync {
    let request: LDAPSyncRequest
    let search: LDAPSearchRequest
    let messageID: Int32
}
