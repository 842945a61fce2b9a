import Foundation
import GRDB
import TenantModel

/// A first sync's write into a store without users.
///
/// The users are written with keys 1, 2, 3, ... in the order they are written, so the member lists and licence paths,
/// which name users by key, are made ready on another thread while SQLite takes the users; their indexes are built
/// once, after all rows are in, rather than row by row. The users may be written before the rest of the run is
/// planned (`PendingBulkLoad`).
enum BulkLoad {
    /// New users from which a write into a store without users is a bulk load.
    static let minimumUsers = 10_000

    /// Whether `changes` are written this way: at least `minimumUsers` users into a store that has none, and
    /// nothing that removes stored rows.
    static func applies(to changes: TenantChangeSet, _ db: Database) throws -> Bool {
        guard changes.upsertUsers.count >= minimumUsers, removesNothing(changes) else { return false }
        return try storeHasNoUsers(db)
    }

    static func removesNothing(_ changes: TenantChangeSet) -> Bool {
        changes.purgeUserIds.isEmpty && changes.deleteGroupIds.isEmpty && changes.deletePaths.isEmpty
            && changes.removedMemberUserIds.isEmpty && !changes.partialMemberLists
    }

    static func storeHasNoUsers(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM users)") == true
    }

    /// Writes the users, groups, member lists and paths of `changes` (the caller writes the rest).
    static func write(_ changes: TenantChangeSet, _ db: Database) throws {
        let users = try writeUsers(changes.upsertUsers, hashes: changes.userContentHashes, db)
        try writeRest(changes, users: users, db)
    }

    /// The users in the order written, which gives their keys: soft deletions first, as `ChangeWriter` writes them.
    struct WrittenUsers: Sendable {
        var ordered: [TenantUser]
        /// The digests given, and how many of them were written with their users.
        var hashes: [String: Int64]
        var hashedCount: Int
    }

    /// First part: the users, then their indexes, built from all rows at once (the rest of the run may change
    /// usage locations, which no index holds).
    static func writeUsers(_ upserts: [TenantUser], hashes: [String: Int64], _ db: Database) throws -> WrittenUsers {
        let ordered = writeOrder(upserts)
        for index in StoreSchema.userIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
        let hashed = try ChangeWriter.upsert(users: ordered, db, hashes: hashes, firstKey: 1)
        for index in StoreSchema.userIndexes { try db.execute(sql: index.create) }
        return WrittenUsers(ordered: ordered, hashes: hashes, hashedCount: hashed)
    }

    /// The order users are written in, which gives their keys: soft deletions first, as `ChangeWriter` writes them.
    static func writeOrder(_ users: [TenantUser]) -> [TenantUser] {
        users.contains(where: \.isDeleted) ? users.filter(\.isDeleted) + users.filter { !$0.isDeleted } : users
    }

    /// Second part, once the run is planned: `changes.upsertUsers` are the users `writeUsers` wrote, in the same
    /// order, changed at most in their usage location (the licence step sets the tenant default).
    ///
    /// `preparation` is made for `changes` and run by the caller on another thread; without one, this starts its own.
    static func writeRest(_ changes: TenantChangeSet, users: WrittenUsers, _ db: Database, preparation given: Preparation? = nil) throws {
        let preparation = given ?? Preparation(changes: changes, users: users.ordered)
        if given == nil { Thread { preparation.run() }.start() }
        // Also when a write fails: the preparation is done with the change set before this returns.
        defer { preparation.wait() }

        try updateUsageLocations(from: changes.upsertUsers, written: users.ordered, db)
        // The same dictionary, unless a caller's mistake: equal storage compares at once.
        guard changes.userContentHashes == users.hashes else {
            throw StoreError(operation: "bulk load", message: "the run's user digests are not the ones written with the users")
        }
        if users.hashedCount < changes.userContentHashes.count { try ContentHashWriter.updateUsers(changes, db) }
        // Member groups of groups already stored are replaced; into a store without any, they are only written.
        let replacesMemberGroups = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM group_member_groups)") == true
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
            if replacesMemberGroups {
                try MemberWriter.replaceMemberGroups(of: group, db)
            } else {
                try MemberWriter.insertMemberGroups(of: group, db)
            }
        }
        try ChangeWriter.insert(keyedPaths: preparation.paths, db)
    }

    /// Writes the usage locations the final users have and the written ones lacked; any other difference between
    /// the two lists is a caller's mistake, refused.
    private static func updateUsageLocations(from final: [TenantUser], written: [TenantUser], _ db: Database) throws {
        let finalOrdered = writeOrder(final)
        guard finalOrdered.count == written.count else {
            throw StoreError(operation: "bulk load", message: "the run's users are not the \(written.count) users written first")
        }
        // By id, not by key: a user listed twice is one row, under the key of its first listing.
        var statement = try BulkStatement(db, sql: "UPDATE users SET usageLocation = ? WHERE id = ?")
        for (user, wrote) in zip(finalOrdered, written) {
            // Mostly the same values in the same storage, which compare at once.
            if user == wrote { continue }
            var unchanged = user
            unchanged.usageLocation = wrote.usageLocation
            guard unchanged == wrote else {
                throw StoreError(operation: "bulk load", message: "user \(user.id) changed after it was written, beyond its usage location")
            }
            statement.bind(user.usageLocation)
            statement.bind(user.id)
            try statement.execute()
        }
    }

    /// The member lists and keyed paths, made on a thread of their own (`run`) while the writing thread writes; read
    /// by the writing thread only after `wait()`.
    final class Preparation: @unchecked Sendable {
        let changes: TenantChangeSet
        let users: [TenantUser]
        private let done = DispatchSemaphore(value: 0)
        /// Touched by the writing thread only.
        private var finished = false
        fileprivate private(set) var memberBlobs: [Data] = []
        fileprivate private(set) var paths: [(key: Int64, path: LicensePath)] = []
        /// The first user named that the load does not write (the foreign key check SQLite would fail).
        fileprivate private(set) var missing: (userId: String, what: String)?

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
            var keys = TextTable<Int64>(minimumCapacity: users.count)
            // A user listed twice is one row, under the key of its first listing.
            for (offset, user) in users.enumerated() { keys.insertIfAbsent(Int64(offset + 1), for: user.id) }
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
