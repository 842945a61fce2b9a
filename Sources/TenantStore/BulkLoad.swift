import Foundation
import GRDB
import TenantModel

/// A first sync's write into a store without users.
///
/// The users are written with keys 1, 2, 3, ... in the order they are written, so the member lists and licence paths,
/// which name users by key, are made without asking SQLite for a key; the users' indexes are built once, after all
/// rows are in, rather than row by row. The users, then the groups, may be written before the rest of the run is
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
        let keys = WrittenUserKeys(users.ordered)
        let lists = try memberLists(of: changes.upsertGroups, keys: keys)
        try writeGroups(changes.upsertGroups, hashes: changes.groupContentHashes, memberLists: lists, db)
        try ChangeWriter.insert(keyedPaths: try keyedPaths(changes.upsertPaths, keys: keys), db)
        try writeUsageLocations(try usageLocations(of: changes.upsertUsers, written: users.ordered), db)
        try writeDigests(changes, users: users, db)
    }

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
        try beginUsers(db)
        let hashed = try ChangeWriter.upsert(users: ordered, db, hashes: hashes, firstKey: 1)
        try endUsers(db)
        return WrittenUsers(ordered: ordered, hashes: hashes, hashedCount: hashed)
    }

    /// Before the first user row: the users' indexes go, to be built once all rows are in (`endUsers`).
    static func beginUsers(_ db: Database) throws {
        for index in StoreSchema.userIndexes { try db.execute(sql: "DROP INDEX \(index.name)") }
    }

    /// After the last user row: builds the indexes `beginUsers` dropped.
    static func endUsers(_ db: Database) throws {
        for index in StoreSchema.userIndexes { try db.execute(sql: index.create) }
    }

    /// The order users are written in, which gives their keys: soft deletions first, as `ChangeWriter` writes them.
    static func writeOrder(_ users: [TenantUser]) -> [TenantUser] {
        users.contains(where: \.isDeleted) ? users.filter(\.isDeleted) + users.filter { !$0.isDeleted } : users
    }

    /// Each group's member users as their keys, packed (see `MemberKeys`), in the order of `groups`.
    /// `places`, when one list per group, give each member's place among the users in id order (see
    /// `PendingBulkLoad.writeGroups`).
    static func memberLists(of groups: [TenantGroup], places: [[Int32]] = [], keys: WrittenUserKeys) throws -> [Data] {
        var lists: [Data] = []
        lists.reserveCapacity(groups.count)
        var memberKeys: [Int64] = []
        let placed = places.count == groups.count
        for (index, group) in groups.enumerated() {
            memberKeys.removeAll(keepingCapacity: true)
            var hint = 0
            let groupPlaces = placed && places[index].count == group.memberUserIds.count ? places[index] : []
            for (offset, userId) in group.memberUserIds.enumerated() {
                if !groupPlaces.isEmpty, let key = keys.key(of: userId, place: Int(groupPlaces[offset])) {
                    memberKeys.append(key)
                } else {
                    memberKeys.append(try key(of: userId, in: keys, hint: &hint, for: "group \(group.id)"))
                }
            }
            lists.append(MemberKeys.pack(memberKeys))
        }
        return lists
    }

    /// The paths with their users' keys, in the order of the keys, as `ChangeWriter.upsert(paths:)` writes them.
    static func keyedPaths(_ paths: [LicensePath], keys: WrittenUserKeys) throws -> [(key: Int64, path: LicensePath)] {
        var keyed: [(key: Int64, path: LicensePath)] = []
        keyed.reserveCapacity(paths.count)
        var hint = 0
        for path in paths {
            keyed.append((try key(of: path.userId, in: keys, hint: &hint, for: "licence path \(path.skuPartNumber)"), path))
        }
        if !keyed.indices.dropFirst().allSatisfy({ keyed[$0 - 1].key <= keyed[$0].key }) { keyed.sort { $0.key < $1.key } }
        return keyed
    }

    /// The groups with their digests and `memberLists` (from `memberLists(of:keys:)`), once the users are written.
    /// Member groups may come in any order: all groups are written before any membership row. A member group must
    /// be one of `groups` or a group the store holds.
    static func writeGroups(_ groups: [TenantGroup], hashes: [String: Int64], memberLists: [Data], _ db: Database) throws {
        let ids = Set(groups.map(\.id))
        for group in groups {
            for memberGroupId in group.memberGroupIds where !ids.contains(memberGroupId) {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM groups WHERE id = ?)", arguments: [memberGroupId]) == true
                else {
                    throw DatabaseError(
                        resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY,
                        message: "FOREIGN KEY constraint failed: group \(group.id) names member group \(memberGroupId), which the store does not hold")
                }
            }
        }
        // Member groups of groups already stored are replaced; into a store without any, they are only written.
        let replacesMemberGroups = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM group_member_groups)") == true
        try ChangeWriter.upsert(groups: groups, db, hashes: hashes)
        try ContentHashWriter.updateGroups(hashes, except: groups, db)
        for (group, list) in zip(groups, memberLists) {
            try MemberWriter.writeMembers(list, of: group.id, db)
            if replacesMemberGroups {
                try MemberWriter.replaceMemberGroups(of: group, db)
            } else {
                try MemberWriter.insertMemberGroups(of: group, db)
            }
        }
    }

    /// The users' digests: `changes.userContentHashes` must be those written with the users.
    static func writeDigests(_ changes: TenantChangeSet, users: WrittenUsers, _ db: Database) throws {
        // The same dictionary, unless a caller's mistake: equal storage compares at once.
        guard changes.userContentHashes == users.hashes else {
            throw StoreError(operation: "bulk load", message: "the run's user digests are not the ones written with the users")
        }
        if users.hashedCount < changes.userContentHashes.count { try ContentHashWriter.updateUsers(changes, db) }
    }

    /// The key of a user the load wrote; the foreign key check SQLite would fail otherwise.
    private static func key(
        of userId: String, in keys: WrittenUserKeys, hint: inout Int, for what: @autoclosure () -> String
    ) throws -> Int64 {
        guard let key = keys.key(of: userId, hint: &hint) else {
            throw DatabaseError(
                resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY,
                message: "FOREIGN KEY constraint failed: \(what()) names user \(userId), which the store does not hold")
        }
        return key
    }

    /// The usage locations the final users have and the written ones lacked (the licence step sets the tenant's
    /// default), by user id; any other difference between the two lists is a caller's mistake, refused.
    static func usageLocations(of final: [TenantUser], written: [TenantUser]) throws -> [(userId: String, location: String?)] {
        let finalOrdered = writeOrder(final)
        guard finalOrdered.count == written.count else {
            throw StoreError(operation: "bulk load", message: "the run's users are not the \(written.count) users written first")
        }
        var updates: [(userId: String, location: String?)] = []
        for (user, wrote) in zip(finalOrdered, written) {
            // Mostly the same values in the same storage, which compare at once.
            if user == wrote { continue }
            var unchanged = user
            unchanged.usageLocation = wrote.usageLocation
            guard unchanged == wrote else {
                throw StoreError(operation: "bulk load", message: "user \(user.id) changed after it was written, beyond its usage location")
            }
            updates.append((user.id, user.usageLocation))
        }
        return updates
    }

    /// Writes `usageLocations`, in order.
    static func writeUsageLocations(_ usageLocations: [(userId: String, location: String?)], _ db: Database) throws {
        // By id, not by key: a user listed twice is one row, under the key of its first listing.
        var statement = try BulkStatement(db, sql: "UPDATE users SET usageLocation = ? WHERE id = ?")
        for (userId, location) in usageLocations {
            statement.bind(location)
            statement.bind(userId)
            try statement.execute()
        }
    }
}
