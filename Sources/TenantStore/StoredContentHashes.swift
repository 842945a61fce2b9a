import GRDB

/// The content digests (`ContentHasher`) of the entries the stored users and groups were last mapped from, by anchor:
/// every live synced user and every group, with 0 where no digest is stored (no digest is 0).
public struct StoredContentHashes: Sendable {
    /// Live synced users' digests, by anchor.
    public var users: [String: Int64]
    /// Groups' digests, by anchor.
    public var groups: [String: Int64]

    /// Creates the tables; empty by default.
    public init(users: [String: Int64] = [:], groups: [String: Int64] = [:]) {
        self.users = users
        self.groups = groups
    }

    /// Whether the store holds neither synced users nor groups (a first sync).
    public var isEmpty: Bool { users.isEmpty && groups.isEmpty }

    /// A value no digest has, for marking anchors.
    public static let seen = Int64.min

    static func load(_ db: Database) throws -> StoredContentHashes {
        var hashes = StoredContentHashes()
        let userCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0
        hashes.users.reserveCapacity(userCount)
        let users = try Row.fetchCursor(
            db, sql: "SELECT anchor, coalesce(contentHash, 0) FROM users WHERE anchor IS NOT NULL AND deletedDateTime IS NULL")
        while let row = try users.next() { hashes.users[row[0]] = row[1] }
        let groups = try Row.fetchCursor(db, sql: "SELECT anchor, coalesce(contentHash, 0) FROM groups")
        while let row = try groups.next() { hashes.groups[row[0]] = row[1] }
        return hashes
    }
}
