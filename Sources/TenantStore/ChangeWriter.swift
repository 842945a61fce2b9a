import Foundation
import GRDB
import TenantModel

/// Writes a change set through an open write transaction. Bulk rows go through cached prepared statements.
enum ChangeWriter {
    static func apply(_ changes: TenantChangeSet, _ db: Database) throws {
        try validate(changes)
        if try BulkLoad.applies(to: changes, db) {
            try BulkLoad.write(changes, db)
        } else {
            try write(changes, db)
        }
        try writeSubscriptionsAndPosition(changes, db)
    }

    /// The seats and the delta position of a change set.
    static func writeSubscriptionsAndPosition(_ changes: TenantChangeSet, _ db: Database) throws {
        if let subscriptions = changes.subscriptions {
            try replaceSubscriptions(subscriptions, db)
        }
        if changes.clearPosition {
            try db.execute(sql: "DELETE FROM sync_position")
        }
        if let position = changes.position {
            try db.execute(
                sql: "INSERT OR REPLACE INTO sync_position (id, kind, value, server) VALUES (1, ?, ?, ?)",
                arguments: [position.kind, position.value, position.server])
        }
    }

    /// Writes the users, groups, member lists and paths of `changes` into a store that may hold any of them.
    private static func write(_ changes: TenantChangeSet, _ db: Database) throws {
        for groupId in changes.deleteGroupIds {
            try db.cachedStatement(sql: "DELETE FROM groups WHERE id = ?").execute(arguments: [groupId])
        }
        try MemberWriter.purge(userIds: changes.purgeUserIds, db)
        let keys = UserKeys(expected: changes.upsertUsers.count)
        // Soft deletions first: a new user may take the UPN a deleted one leaves in the same run.
        var hashed = 0
        hashed += try upsert(users: changes.upsertUsers.lazy.filter(\.isDeleted), db, keys: keys, hashes: changes.userContentHashes)
        try releaseChangingUPNs(of: changes.upsertUsers.lazy.filter { !$0.isDeleted }, db)
        hashed += try upsert(users: changes.upsertUsers.lazy.filter { !$0.isDeleted }, db, keys: keys, hashes: changes.userContentHashes)
        if hashed < changes.userContentHashes.count { try ContentHashWriter.updateUsers(changes, db) }
        // All groups exist before any membership row, so nested groups may come in any order.
        try upsert(groups: changes.upsertGroups, db, hashes: changes.groupContentHashes)
        try ContentHashWriter.updateGroups(changes, db)
        for group in changes.upsertGroups {
            if changes.partialMemberLists {
                // The list holds only the users the run loaded: never written whole.
                try MemberWriter.removeMembers(changes.removedMemberUserIds[group.id] ?? [], fromGroup: group.id, db, keys: keys)
                try MemberWriter.replaceMemberGroups(of: group, db)
            } else if let removed = changes.removedMemberUserIds[group.id],
                try MemberWriter.removeMembers(removed, fromGroup: group.id, expectedCount: group.memberUserIds.count, db, keys: keys)
            {
                try MemberWriter.replaceMemberGroups(of: group, db)
            } else {
                try MemberWriter.replaceMembers(of: group, db, keys: keys)
            }
        }
        for key in changes.deletePaths {
            guard let userKey = try keys.key(of: key.userId, db) else { continue }
            try db.cachedStatement(sql: "DELETE FROM license_paths WHERE userKey = ? AND sku = ? AND ruleKey = ?")
                .execute(arguments: [userKey, key.skuPartNumber, key.ruleKey])
        }
        try upsert(paths: changes.upsertPaths, db, keys: keys)
    }

    /// A UPN may move from one user to another in one run, or two users may swap theirs, while the unique index
    /// checks every row as it is written: the live users whose UPN changes first get a placeholder no UPN can be
    /// (a control character and their id), which the upsert then replaces.
    ///
    /// With `cloudOnly`, only users without an anchor are released (an import writes no synced user).
    static func releaseChangingUPNs(of users: some Sequence<TenantUser>, cloudOnly: Bool = false, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE users SET upn = char(1) || id
            WHERE id = ? AND deletedDateTime IS NULL AND lower(upn) <> lower(?)\(cloudOnly ? " AND anchor IS NULL" : "")
            """)
        for user in users {
            try statement.execute(arguments: [user.id, user.userPrincipalName])
        }
    }

    /// Direct licences live in `direct_assignments`, and a sync never touches them: a path without a rule key is a
    /// caller's mistake, refused before anything is written.
    static func validate(_ changes: TenantChangeSet) throws {
        if let path = changes.upsertPaths.first(where: { $0.ruleKey == nil }) {
            throw StoreError(
                operation: "apply",
                message: "path \(path.skuPartNumber) of user \(path.userId) has no rule key; direct licences are direct assignments")
        }
        if let key = changes.deletePaths.first(where: { $0.ruleKey == nil }) {
            throw StoreError(
                operation: "apply",
                message: "cannot delete the direct path \(key.skuPartNumber) of user \(key.userId); a sync never removes direct assignments")
        }
    }

    // ON CONFLICT DO UPDATE, never INSERT OR REPLACE: a replace deletes the row first, and the cascade would take
    // the user's memberships, direct assignments and paths with it. A row that would not change is not written.
    // No RETURNING clause: it costs SQLite a temporary table per row. A new row is told by the last inserted rowid
    // moving, which an update leaves alone.
    /// Returns how many of the users had a digest in `hashes`. A user written without one loses the digest it had:
    /// its row was not planned from the entry the digest describes.
    @discardableResult
    ///
    /// With `firstKey`, the users get keys from it on, one after the other (a bulk load into a store without users).
    static func upsert(
        users: some Sequence<TenantUser>, _ db: Database, keys: UserKeys? = nil, hashes: [String: Int64] = [:], firstKey: Int64? = nil
    ) throws -> Int {
        try upsert(hashedUsers: users.lazy.map { ($0, hashes.isEmpty ? nil : hashes[$0.id]) }, db, keys: keys, firstKey: firstKey)
    }

    /// `upsert(users:)` with each user's digest given beside it.
    static func upsert(
        hashedUsers: some Sequence<(user: TenantUser, hash: Int64?)>, _ db: Database, keys: UserKeys? = nil, firstKey: Int64? = nil
    ) throws -> Int {
        let keyColumn = firstKey == nil ? "" : "userKey, "
        let keyMark = firstKey == nil ? "" : "?, "
        var statement = try BulkStatement(db, sql: """
            INSERT INTO users (\(keyColumn)id, upn, displayName, mail, usageLocation, accountEnabled, anchor, dn, deletedDateTime,
                enteredRun, contentHash)
            VALUES (\(keyMark)?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET
                upn = excluded.upn, displayName = excluded.displayName, mail = excluded.mail,
                usageLocation = excluded.usageLocation, accountEnabled = excluded.accountEnabled,
                anchor = excluded.anchor, dn = excluded.dn, deletedDateTime = excluded.deletedDateTime,
                enteredRun = excluded.enteredRun, contentHash = excluded.contentHash
            WHERE upn IS NOT excluded.upn OR displayName IS NOT excluded.displayName OR mail IS NOT excluded.mail
                OR usageLocation IS NOT excluded.usageLocation OR accountEnabled IS NOT excluded.accountEnabled
                OR anchor IS NOT excluded.anchor OR dn IS NOT excluded.dn
                OR deletedDateTime IS NOT excluded.deletedDateTime OR enteredRun IS NOT excluded.enteredRun
                OR contentHash IS NOT excluded.contentHash
            """)
        // A user that keeps its UPN, anchor and deletion is updated without naming them: SQLite rewrites the index
        // entries of every column an UPDATE sets, to the same value too (a delta of 90 users wrote 186 index pages
        // beside their 90 table pages). The upsert then takes only new users and those whose keys change.
        var sameKeys = try BulkStatement(db, sql: """
            UPDATE users SET displayName = ?3, mail = ?4, usageLocation = ?5, accountEnabled = ?6, dn = ?8, enteredRun = ?10,
                contentHash = ?11
            WHERE id = ?1 AND upn IS ?2 AND anchor IS ?7 AND deletedDateTime IS ?9
                AND (displayName IS NOT ?3 OR mail IS NOT ?4 OR usageLocation IS NOT ?5 OR accountEnabled IS NOT ?6
                    OR dn IS NOT ?8 OR enteredRun IS NOT ?10 OR contentHash IS NOT ?11)
            """)
        // A bulk load's users are all new.
        let mayExist = firstKey == nil
        var hashed = 0
        var nextKey = firstKey
        for (user, hash) in hashedUsers {
            if hash != nil { hashed += 1 }
            if mayExist {
                bind(user, hash: hash, to: &sameKeys)
                try sameKeys.execute()
                if sameKeys.changedRows == 1 { continue }
            }
            if let key = nextKey {
                statement.bind(key)
                nextKey = key + 1
            }
            bind(user, hash: hash, to: &statement)
            let lastKey = statement.lastInsertedRowID
            try statement.execute()
            if let keys, statement.lastInsertedRowID != lastKey {
                keys.remember(statement.lastInsertedRowID, of: user.id)
            }
        }
        return hashed
    }

    /// Binds a user's columns in the order of the users' upsert: id, upn, displayName, mail, usageLocation,
    /// accountEnabled, anchor, dn, deletedDateTime, enteredRun, contentHash.
    private static func bind(_ user: TenantUser, hash: Int64?, to statement: inout BulkStatement) {
        statement.bind(user.id)
        statement.bind(user.userPrincipalName)
        statement.bind(user.displayName)
        statement.bind(user.mail)
        statement.bind(user.usageLocation)
        statement.bind(user.accountEnabled)
        statement.bind(user.onPremisesImmutableId)
        statement.bind(user.onPremisesDistinguishedName)
        statement.bind(user.deletedDateTime.map(ColumnCoding.seconds))
        statement.bind(user.enteredRun)
        statement.bind(hash)
    }

    /// A group in `hashes` gets that digest; any other written loses the one it had.
    static func upsert(groups: [TenantGroup], _ db: Database, hashes: [String: Int64] = [:]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO groups (id, anchor, displayName, dn, outOfScopeMemberCount, contentHash) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET
                anchor = excluded.anchor, displayName = excluded.displayName, dn = excluded.dn,
                outOfScopeMemberCount = excluded.outOfScopeMemberCount, contentHash = excluded.contentHash
            WHERE anchor IS NOT excluded.anchor OR displayName IS NOT excluded.displayName OR dn IS NOT excluded.dn
                OR outOfScopeMemberCount IS NOT excluded.outOfScopeMemberCount OR contentHash IS NOT excluded.contentHash
            """)
        for group in groups {
            statement.setUncheckedArguments([
                group.id, group.onPremisesImmutableId, group.displayName, group.onPremisesDistinguishedName,
                group.outOfScopeMemberCount, hashes[group.id],
            ])
            try statement.execute()
        }
    }

    static func upsert(paths: [LicensePath], _ db: Database, keys: UserKeys) throws {
        let keyed = try paths.map { path in
            (key: try keys.existingKey(of: path.userId, for: "licence path \(path.skuPartNumber)", db), path: path)
        }
        // In the order of the users' keys: each row's foreign key looks its user up, and users in key order read
        // each page of the users table once instead of once per SKU (a first sync's users outgrow the page cache).
        try insert(keyedPaths: keyed.sorted { $0.key < $1.key }, db)
    }

    /// Upserts paths whose users' keys are known, in the order given.
    static func insert(keyedPaths: [(key: Int64, path: LicensePath)], _ db: Database) throws {
        var statement = try BulkStatement(db, sql: """
            INSERT INTO license_paths
                (userKey, sku, ruleKey, assignedByGroup, disabledPlans, state, error, errorDetail, lastUpdated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(userKey, sku, ruleKey) DO UPDATE SET
                assignedByGroup = excluded.assignedByGroup, disabledPlans = excluded.disabledPlans,
                state = excluded.state, error = excluded.error, errorDetail = excluded.errorDetail,
                lastUpdated = excluded.lastUpdated
            WHERE assignedByGroup IS NOT excluded.assignedByGroup OR disabledPlans IS NOT excluded.disabledPlans
                OR state IS NOT excluded.state OR error IS NOT excluded.error
                OR errorDetail IS NOT excluded.errorDetail OR lastUpdated IS NOT excluded.lastUpdated
            """)
        for (userKey, path) in keyedPaths {
            statement.bind(userKey)
            statement.bind(path.skuPartNumber)
            statement.bind(path.ruleKey)
            statement.bind(path.assignedByGroup)
            statement.bind(try ColumnCoding.planText(path.disabledPlans))
            statement.bind(path.state.rawValue)
            statement.bind(path.error.rawValue)
            statement.bind(path.errorDetail)
            statement.bind(ColumnCoding.seconds(path.lastUpdatedDateTime))
            try statement.execute()
        }
    }

    static func replaceSubscriptions(_ subscriptions: [SubscribedSku], _ db: Database) throws {
        try db.execute(sql: "DELETE FROM subscriptions")
        let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO subscriptions (sku, seats) VALUES (?, ?)")
        for subscription in subscriptions {
            try insert.execute(arguments: [subscription.skuPartNumber, subscription.enabledUnits])
        }
    }

    /// Writes a direct assignment. It keeps `held`'s time when `held` is the same licence (the assignment did not
    /// change); a new or changed one takes its own time, or `now` when it has none.
    static func upsert(_ assignment: DirectAssignment, held: DirectAssignment?, now: Date, _ db: Database) throws {
        let lastUpdated = held.flatMap { $0.isSameLicence(as: assignment) ? $0.lastUpdatedDateTime : nil }
            ?? assignment.lastUpdatedDateTime ?? now
        try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO direct_assignments (userId, sku, disabledPlans, lastUpdated) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [
            assignment.userId, assignment.skuPartNumber, try ColumnCoding.planText(assignment.disabledPlans),
            ColumnCoding.seconds(lastUpdated),
        ])
    }
}
