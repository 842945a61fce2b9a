/// Where the last delta read ended, saved with the changes it covers.
public struct SyncPosition: Sendable, Hashable, Codable {
    /// `syncrepl` for an RFC 4533 cookie, `usn` for Active Directory's uSNChanged high-water mark.
    public var kind: String
    /// The opaque position (a cookie, or a USN as text).
    public var value: String
    /// The server the position belongs to (AD `invocationId`); another server means a full read.
    public var server: String?

    public init(kind: String, value: String, server: String? = nil) {
        self.kind = kind
        self.value = value
        self.server = server
    }
}

/// Everything the tenant holds, as loaded from the store at the start of a cycle.
public struct TenantState: Sendable, Hashable {
    /// All users, deleted ones included (they may be restored).
    public var users: [TenantUser]
    public var groups: [TenantGroup]
    public var directAssignments: [DirectAssignment]
    /// Every group path, in error or not (direct paths are derived from `directAssignments`).
    public var groupPaths: [LicensePath]
    public var subscriptions: [SubscribedSku]
    public var position: SyncPosition?
    /// The id the next run will get.
    public var nextRunId: Int64
    /// The store's write generation this state was read at: every write that changes the tenant raises it, so a
    /// run can tell that its plan was made on a state another command has changed since.
    public var generation: Int64

    public init(
        users: [TenantUser] = [], groups: [TenantGroup] = [], directAssignments: [DirectAssignment] = [],
        groupPaths: [LicensePath] = [], subscriptions: [SubscribedSku] = [], position: SyncPosition? = nil,
        nextRunId: Int64 = 1, generation: Int64 = 0
    ) {
        self.generation = generation
        self.users = users
        self.groups = groups
        self.directAssignments = directAssignments
        self.groupPaths = groupPaths
        self.subscriptions = subscriptions
        self.position = position
        self.nextRunId = nextRunId
    }
}

/// The changes one run writes, applied by the store in one transaction.
public struct TenantChangeSet: Sendable, Hashable {
    /// Users to insert or replace (by `id`), soft deletions and restores included.
    public var upsertUsers: [TenantUser] = []
    /// Users to remove for good (soft-deleted more than 30 days ago), with their paths and direct assignments.
    public var purgeUserIds: [String] = []
    /// Groups to insert or replace, members included.
    public var upsertGroups: [TenantGroup] = []
    /// For groups of `upsertGroups` whose member users only lost some members since the stored list: those users'
    /// ids, by group id. The store then takes them out of the stored list instead of writing every member again; a
    /// list that would not come out as the group's is written whole.
    public var removedMemberUserIds: [String: [String]] = [:]
    public var deleteGroupIds: [String] = []
    /// Group paths to insert or replace (by `LicensePath.key`).
    public var upsertPaths: [LicensePath] = []
    public var deletePaths: [LicensePathKey] = []
    /// When set, the subscriptions are replaced by these.
    public var subscriptions: [SubscribedSku]?
    /// When set, the saved position is replaced (saved in the same transaction as the changes it covers).
    public var position: SyncPosition?
    /// Clears the saved position (a full read that could not produce one).
    public var clearPosition = false
    /// The licence evaluation this change set comes from, stored with it; `nil` removes the stored one.
    public var licensingBasis: LicensingBasis?
    /// Content digests of the directory entries users were planned from, by user id. A user of `upsertUsers`
    /// without one loses its digest; a user only here gets its digest written.
    public var userContentHashes: [String: Int64] = [:]
    /// The same for groups and `upsertGroups`.
    public var groupContentHashes: [String: Int64] = [:]
    /// Set when the groups' member lists cover only the users a narrow delta loaded: the store then only takes the
    /// users of `removedMemberUserIds` out of the stored lists, and never writes one of these lists whole.
    public var partialMemberLists = false

    public init() {}

    public var isEmpty: Bool {
        upsertUsers.isEmpty && purgeUserIds.isEmpty && upsertGroups.isEmpty && deleteGroupIds.isEmpty
            && upsertPaths.isEmpty && deletePaths.isEmpty && subscriptions == nil && position == nil && !clearPosition
    }
}
