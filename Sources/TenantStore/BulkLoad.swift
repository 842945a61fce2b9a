import Foundation
import GRDB
import TenantModel

/// A first sync's write into a store without users.
///
/// The users are written with keys 1, 2, 3, ... in the order they are written, so the member lists and licence paths,
/// which name users by key, are made ready on another thread while SQLite takes the users; their indexes are built
/// once, after all rows are in, rather than row by row.
enum BulkLoad {
    /// New users from which a write into a store without users is a bulk load.
    static let minimumUsers = 10_000

    /// Whether `changes` are written this way: at least `minimumUsers` users into a store that has none, and
    /// nothing that removes stored rows.
    static func applies(to changes: TenantChangeSet, _ db: Database) throws -> Bool {
        guard changes.upsertUsers.count >= minimumUsers, changes.purgeUserIds.isEmpty,
            changes.deleteGroupIds.isEmpty, changes.deletePaths.isEmpty, changes.removedMemberUserIds.isEmpty,
            !changes.partialMemberLists
        else { return false }
        return try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM users)") == true
    }

    /// Writes the users, groups, member lists and paths of `changes` (the caller writes the rest).
    static func write(_ changes: TenantChangeSet, _ db: Database) throws {
        // Soft deletions first, as `ChangeWriter` writes them; the keys follow this order.
        let users = changes.upsertUsers.contains(where: \.isDeleted)
            ? changes.upsertUsers.filter(\.isDeleted) + changes.upsertUsers.filter { !$0.isDeleted } : changes.upsertUsers
        let preparation = Preparation(changes: changes, users: users)
        Thread { preparation.run() }.start()
        // Also when a write fails: the thread is done with the change set before this returns.
        defer { preparation.wait() }

        for index in StoreSchema.userIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        let hashed = try ChangeWriter.upsert(users: users, db, hashes: changes.userContentHashes, firstKey: 1)
        if hashed < changes.userContentHashes.count { try ContentHashWriter.updateUsers(changes, db) }
        for index in StoreSchema.userIndexes { try db.execute(sql: index.create) }
        // All groups exist before any membership row, so nested groups may come in any order.
        try ChangeWriter.upsert(groups: changes.upsertGroups, db, hashes: changes.groupContentHashes)
        try ContentHashWriter.updateGroups(changes, db)

        preparation.wait()
        if let missing = preparation.missing {
            throw DatabaseError(
                resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY,
                message: "FOREIGN KEY constraint failed: \(missing.what) names user \(missing.userId), which the store does not hold")
        }
        for (group, blob) in zip(changes.upsertGroups, preparation.memberBlobs) {
            try MemberWriter.writeMembers(blob, of: group.id, db)
            try MemberWriter.replaceMemberGroups(of: group, db)
        }
        try ChangeWriter.insert(keyedPaths: preparation.paths, db)
    }

    /// The member lists and keyed paths, made on the preparing thread; read by the writing thread only after `wait()`.
    private final class Preparation: @unchecked Sendable {
        let changes: TenantChangeSet
        let users: [TenantUser]
        private let done = DispatchSemaphore(value: 0)
        /// Touched by the writing thread only.
        private var finished = false
        private(set) var memberBlobs: [Data] = []
        private(set) var paths: [(key: Int64, path: LicensePath)] = []
        /// The first user named that the load does not write (the foreign key check SQLite would fail).
        private(set) var missing: (userId: String, what: String)?

        init(changes: TenantChangeSet, users: [TenantUser]) {
            self.changes = changes
            self.users = users
        }

        /// Returns once `run` has finished (at once after the first time).
        func wait() {
            guard !finished else { return }
            done.wait()
            finished = true
        }

        func run() {
            defer { done.signal() }
            var keys: [String: Int64] = [:]
            keys.reserveCapacity(users.count)
            // A user listed twice is one row, under the key of its first listing.
            for (offset, user) in users.enumerated() where keys[user.id] == nil { keys[user.id] = Int64(offset + 1) }
            memberBlobs.reserveCapacity(changes.upsertGroups.count)
            var memberKeys: [Int64] = []
            for group in changes.upsertGroups {
                memberKeys.removeAll(keepingCapacity: true)
                for userId in group.memberUserIds {
                    guard let key = keys[userId] else {
                        missing = (userId, "group \(group.id)")
                        return
                    }
                    memberKeys.append(key)
                }
                memberBlobs.append(MemberKeys.pack(memberKeys))
            }
            paths.reserveCapacity(changes.upsertPaths.count)
            for path in changes.upsertPaths {
                guard let key = keys[path.userId] else {
                    missing = (path.userId, "licence path \(path.skuPartNumber)")
                    return
                }
                paths.append((key, path))
            }
            // In the order of the users' keys, as `ChangeWriter.upsert(paths:)` writes them.
            paths.sort { $0.key < $1.key }
        }
    }
}
