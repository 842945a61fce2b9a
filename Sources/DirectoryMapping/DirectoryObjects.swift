/// A user as the directory describes it, after mapping and before matching to the tenant.
public struct DirectoryUser: Sendable, Hashable {
    /// The source anchor (becomes `onPremisesImmutableId`).
    public var anchor: String
    public var dn: String
    /// The DN in normalised form, for resolving member values.
    public var normalizedDN: String
    public var userPrincipalName: String
    public var displayName: String?
    public var mail: String?
    public var usageLocation: String?
    public var accountEnabled: Bool
    /// The digest of the entry it was mapped from (`ContentHasher`), `nil` when it was not mapped from an entry.
    public var contentHash: Int64?
    /// The posix `uid`, for `memberUid` members.
    public var uid: String?

    public init(
        anchor: String, dn: String, normalizedDN: String, userPrincipalName: String, displayName: String? = nil,
        mail: String? = nil, usageLocation: String? = nil, accountEnabled: Bool = true, uid: String? = nil
    ) {
        self.anchor = anchor
        self.dn = dn
        self.normalizedDN = normalizedDN
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
        self.mail = mail
        self.usageLocation = usageLocation
        self.accountEnabled = accountEnabled
        self.uid = uid
    }
}

/// A group as the directory describes it, members still as DNs and uids.
public struct DirectoryGroup: Sendable, Hashable {
    public var anchor: String
    public var dn: String
    public var normalizedDN: String
    public var name: String
    /// Normalised DNs of members (users or groups, in scope or not).
    public var memberDNs: [String]
    /// Empty, or one per member DN: the index among the read's users (`DirectorySnapshot.users`) of the user the
    /// value was found to name while reading (`KnownDNs`), -1 where it was not.
    public var memberUserIndexes: [Int32] = []
    /// Posix `memberUid` values.
    public var memberUids: [String]
    /// Set when the server sent only part of a large member list (`member;range=0-1499`): where to continue.
    public var pendingRange: RangedAttribute?
    /// The digest of the entry it was mapped from (`ContentHasher`), `nil` when it was not mapped from an entry.
    public var contentHash: Int64?

    public init(
        anchor: String, dn: String, normalizedDN: String, name: String, memberDNs: [String] = [],
        memberUids: [String] = [], pendingRange: RangedAttribute? = nil
    ) {
        self.anchor = anchor
        self.dn = dn
        self.normalizedDN = normalizedDN
        self.name = name
        self.memberDNs = memberDNs
        self.memberUids = memberUids
        self.pendingRange = pendingRange
    }
}

/// An in-scope entry that is not created or changed in the tenant, with the reason.
public struct QuarantinedEntry: Error, Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        case missingAnchor
        case missingUserPrincipalName
        case invalidValue
        case duplicateUserPrincipalName
    }

    public var dn: String
    /// The normalised DN, when it could be parsed: memberships of a quarantined user the tenant has stay.
    public var normalizedDN: String?
    /// The anchor, when the entry had one: a quarantined user is neither changed nor deleted.
    public var anchor: String?
    public var userPrincipalName: String?
    public var reason: Reason
    /// A sentence naming the DN and the attribute at fault.
    public var detail: String

    public init(
        dn: String, normalizedDN: String? = nil, anchor: String?, userPrincipalName: String? = nil, reason: Reason, detail: String
    ) {
        self.dn = dn
        self.normalizedDN = normalizedDN
        self.anchor = anchor
        self.userPrincipalName = userPrincipalName
        self.reason = reason
        self.detail = detail
    }
}
