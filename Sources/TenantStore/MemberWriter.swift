import Foundation
import GRDB
import TenantModel

/// Writes groups' member lists: member users as one packed row per group, member groups as one row each.
enum MemberWriter {
    static func replaceMembers(of group: TenantGroup, _ db: Database, keys: UserKeys) throws {
        var userKeys: [Int64] = []
        userKeys.reserveCapacity(group.memberUserIds.count)
        for userId in group.memberUserIds {
            userKeys.append(try keys.existingKey(of: userId, for: "group \(group.id)", db))
        }
        try writeMembers(MemberKeys.pack(userKeys), of: group.id, db)
        try replaceMemberGroups(of: group, db)
    }

    /// Writes a group's member users, packed by `MemberKeys.pack`, in place of the ones it had.
    static func writeMembers(_ packed: Data, of groupId: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO group_member_users (groupId, userKeys) VALUES (?, ?)
            ON CONFLICT(groupId) DO UPDATE SET userKeys = excluded.userKeys WHERE userKeys IS NOT excluded.userKeys
            """).execute(arguments: [groupId, packed])
    }

    /// Takes the users `removed` out of the group's stored member list. Returns `false`, having written nothing, when
    /// the group has no stored list, a removed user has no key, or the list would not come out with `expectedCount`
    /// members: the caller then writes the list whole.
    static func removeMembers(_ removed: [String], fromGroup groupId: String, expectedCount: Int, _ db: Database, keys: UserKeys) throws -> Bool {
        var removedKeys = Set<Int64>()
        for userId in removed {
            guard let key = try keys.key(of: userId, db) else { return false }
            removedKeys.insert(key)
        }
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT userKeys FROM group_member_users WHERE groupId = ?"), arguments: [groupId])
        else { return false }
        let kept = try row.withUnsafeData(atIndex: 0) { data in
            (data ?? Data()).withUnsafeBytes { MemberKeys.removing(removedKeys, from: $0) }
        }
        guard kept.kept == expectedCount else { return false }
        try db.cachedStatement(sql: "UPDATE group_member_users SET userKeys = ? WHERE groupId = ?")
            .execute(arguments: [kept.packed, groupId])
        return true
    }

    /// Takes the users `removed` out of the group's stored member list, whatever it holds besides; a user the store
    /// does not hold is no member anyway.
    static func removeMembers(_ removed: [String], fromGroup groupId: String, _ db: Database, keys: UserKeys) throws {
        let removedKeys = Set(try removed.compactMap { try keys.key(of: $0, db) })
        guard !removedKeys.isEmpty, let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT userKeys FROM group_member_users WHERE groupId = ?"), arguments: [groupId])
        else { return }
        let kept = try row.withUnsafeData(atIndex: 0) { data in
            (data ?? Data()).withUnsafeBytes { MemberKeys.removing(removedKeys, from: $0) }
        }
        guard kept.removed > 0 else { return }
        try db.cachedStatement(sql: "UPDATE group_member_users SET userKeys = ? WHERE groupId = ?")
            .execute(arguments: [kept.packed, groupId])
    }

    /// Replaces the group's member groups.
    static func replaceMemberGroups(of group: TenantGroup, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM group_member_groups WHERE groupId = ?").execute(arguments: [group.id])
        try insertMemberGroups(of: group, db)
    }

    /// Writes the group's member groups beside any it has.
    static func insertMemberGroups(of group: TenantGroup, _ db: Database) throws {
        guard !group.memberGroupIds.isEmpty else { return }
        let insertGroup = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO group_member_groups (groupId, memberGroupId) VALUES (?, ?)")
        for memberGroupId in group.memberGroupIds {
            insertGroup.setUncheckedArguments([group.id, memberGroupId])
            try insertGroup.execute()
        }
    }

    /// Deletes users for good; the cascade takes their direct assignments and paths, and their keys are taken out
    /// of every member list here (a purged user's key may be given to a new user later).
    static func purge(userIds: [String], _ db: Database) throws {
        var purged = Set<Int64>()
        for userId in userIds {
            let key = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT userKey FROM users WHERE id = ?"), arguments: [userId])
            guard let key else { continue }
            purged.insert(key)
            try db.cachedStatement(sql: "DELETE FROM users WHERE userKey = ?").execute(arguments: [key])
        }
        if purged.isEmpty { return }
        var rewritten: [(groupId: String, keys: Data)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT groupId, userKeys FROM group_member_users")
        while let row = try rows.next() {
            let kept = try row.withUnsafeData(atIndex: 1) { data in
                (data ?? Data()).withUnsafeBytes { MemberKeys.removing(purged, from: $0) }
            }
            if kept.removed > 0 { rewritten.append((row[0], kept.packed)) }
        }
        for (groupId, keys) in rewritten {
            try db.cachedStatement(sql: "UPDATE group_member_users SET userKeys = ? WHERE groupId = ?")
                .execute(arguments: [keys, groupId])
        }
    }
}
