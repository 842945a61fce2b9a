import GRDB
import TenantModel

/// Writes a change set through an open write transaction. Bulk rows go through cached prepared statements.
enum ChangeWriter {
    static func apply(_ changes: TenantChangeSet, _ db: Database) throws {
        try validate(changes)
        for groupId in changes.deleteGroupIds {
            try db.cachedStatement(sql: "DELETE FROM groups WHERE id = ?").execute(arguments: [groupId])
        }
        for userId in changes.purgeUserIds {
            try db.cachedStatement(sql: "DELETE FROM users WHERE id = ?").execute(arguments: [userId])
        }
        // Soft deletions first: a new user may take the UPN a deleted one leaves in the same run.
        try upsert(users: changes.upsertUsers.lazy.filter(\.isDeleted), db)
        try upsert(users: changes.upsertUsers.lazy.filter { !$0.isDeleted }, db)
        // All groups exist before any membership row, so nested groups may come in any order.
        try upsert(groups: changes.upsertGroups, db)
        for group in changes.upsertGroups {
            try replaceMembers(of: group, db)
        }
        for key in changes.deletePaths {
            try db.cachedStatement(sql: "DELETE FROM license_paths WHERE userId = ? AND sku = ? AND ruleKey = ?")
                .execute(arguments: [key.userId, key.skuPartNumber, key.ruleKey])
        }
        try upsert(paths: changes.upsertPaths, db)
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
    // the user's memberships, direct assignments and paths with it.
    static func upsert(users: some Sequence<TenantUser>, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO users (id, upn, displayName, mail, usageLocation, accountEnabled, anchor, dn, deletedDateTime, enteredRun)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET
                upn = excluded.upn, displayName = excluded.displayName, mail = excluded.mail,
                usageLocation = excluded.usageLocation, accountEnabled = excluded.accountEnabled,
                anchor = excluded.anchor, dn = excluded.dn, deletedDateTime = excluded.deletedDateTime,
                enteredRun = excluded.enteredRun, contentHash = NULL
            """)
        for user in users {
            statement.setUncheckedArguments([
                user.id, user.userPrincipalName, user.displayName, user.mail, user.usageLocation, user.accountEnabled,
                user.onPremisesImmutableId, user.onPremisesDistinguishedName,
                user.deletedDateTime.map(ColumnCoding.seconds), user.enteredRun,
            ])
            try statement.execute()
        }
    }

    static func upsert(groups: [TenantGroup], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO groups (id, anchor, displayName, dn, outOfScopeMemberCount) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET
                anchor = excluded.anchor, displayName = excluded.displayName, dn = excluded.dn,
                outOfScopeMemberCount = excluded.outOfScopeMemberCount
            """)
        for group in groups {
            statement.setUncheckedArguments([
                group.id, group.onPremisesImmutableId, group.displayName, group.onPremisesDistinguishedName,
                group.outOfScopeMemberCount,
            ])
            try statement.execute()
        }
    }

    static func replaceMembers(of group: TenantGroup, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM group_member_users WHERE groupId = ?").execute(arguments: [group.id])
        try db.cachedStatement(sql: "DELETE FROM group_member_groups WHERE groupId = ?").execute(arguments: [group.id])
        let insertUser = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO group_member_users (groupId, userId) VALUES (?, ?)")
        for userId in group.memberUserIds {
            insertUser.setUncheckedArguments([group.id, userId])
            try insertUser.execute()
        }
        let insertGroup = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO group_member_groups (groupId, memberGroupId) VALUES (?, ?)")
        for memberGroupId in group.memberGroupIds {
            insertGroup.setUncheckedArguments([group.id, memberGroupId])
            try insertGroup.execute()
        }
    }

    static func upsert(paths: [LicensePath], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO license_paths
                (userId, sku, ruleKey, assignedByGroup, disabledPlans, state, error, errorDetail, lastUpdated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for path in paths {
            statement.setUncheckedArguments([
                path.userId, path.skuPartNumber, path.ruleKey, path.assignedByGroup,
                try ColumnCoding.json(path.disabledPlans), path.state.rawValue, path.error.rawValue, path.errorDetail,
                ColumnCoding.seconds(path.lastUpdatedDateTime),
            ])
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

    static func upsert(_ assignment: DirectAssignment, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO direct_assignments (userId, sku, disabledPlans) VALUES (?, ?, ?)")
            .execute(arguments: [assignment.userId, assignment.skuPartNumber, try ColumnCoding.json(assignment.disabledPlans)])
    }
}
