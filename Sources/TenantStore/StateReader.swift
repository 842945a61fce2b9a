import GRDB
import TenantModel

/// Reads the tenant's state out of an open connection.
enum StateReader {
    static let userColumns =
        "id, upn, displayName, mail, usageLocation, accountEnabled, anchor, dn, deletedDateTime, enteredRun"

    static func state(_ db: Database) throws -> TenantState {
        TenantState(
            users: try users(db, sql: "SELECT \(userColumns) FROM users ORDER BY id"),
            groups: try groups(db),
            directAssignments: try directAssignments(db),
            groupPaths: try groupPaths(db),
            subscriptions: try subscriptions(db),
            position: try position(db),
            nextRunId: try nextRunId(db)
        )
    }

    static func users(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [TenantUser] {
        var users: [TenantUser] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            users.append(user(row))
        }
        return users
    }

    /// A user from a row selected with `userColumns`, in that order.
    static func user(_ row: Row) -> TenantUser {
        TenantUser(
            id: row[0],
            userPrincipalName: row[1],
            displayName: row[2],
            mail: row[3],
            usageLocation: row[4],
            accountEnabled: row[5],
            onPremisesImmutableId: row[6],
            onPremisesDistinguishedName: row[7],
            deletedDateTime: ColumnCoding.date(row[8] as Double?),
            enteredRun: row[9]
        )
    }

    /// Groups with their members; members come back sorted by id (membership is a set).
    static func groups(_ db: Database) throws -> [TenantGroup] {
        var groups: [TenantGroup] = []
        var indexById: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, displayName, anchor, dn, outOfScopeMemberCount FROM groups ORDER BY id")
        while let row = try rows.next() {
            let group = TenantGroup(
                id: row[0], displayName: row[1], onPremisesImmutableId: row[2], onPremisesDistinguishedName: row[3],
                outOfScopeMemberCount: row[4])
            indexById[group.id] = groups.count
            groups.append(group)
        }
        let userMembers = try Row.fetchCursor(
            db, sql: "SELECT groupId, userId FROM group_member_users ORDER BY groupId, userId")
        while let row = try userMembers.next() {
            if let index = indexById[row[0]] { groups[index].memberUserIds.append(row[1]) }
        }
        let groupMembers = try Row.fetchCursor(
            db, sql: "SELECT groupId, memberGroupId FROM group_member_groups ORDER BY groupId, memberGroupId")
        while let row = try groupMembers.next() {
            if let index = indexById[row[0]] { groups[index].memberGroupIds.append(row[1]) }
        }
        return groups
    }

    static func directAssignments(_ db: Database, userId: String? = nil) throws -> [DirectAssignment] {
        var assignments: [DirectAssignment] = []
        let rows: RowCursor
        if let userId {
            rows = try Row.fetchCursor(
                db, sql: "SELECT userId, sku, disabledPlans FROM direct_assignments WHERE userId = ? ORDER BY sku",
                arguments: [userId])
        } else {
            rows = try Row.fetchCursor(
                db, sql: "SELECT userId, sku, disabledPlans FROM direct_assignments ORDER BY userId, sku")
        }
        while let row = try rows.next() {
            assignments.append(DirectAssignment(
                userId: row[0], skuPartNumber: row[1],
                disabledPlans: try ColumnCoding.plans(row[2], operation: "read direct assignments")))
        }
        return assignments
    }

    static func groupPaths(_ db: Database) throws -> [LicensePath] {
        var paths: [LicensePath] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT userId, sku, assignedByGroup, ruleKey, disabledPlans, state, error, errorDetail, lastUpdated
            FROM license_paths ORDER BY userId, sku, ruleKey
            """)
        while let row = try rows.next() {
            let stateText: String = row[5]
            let errorText: String = row[6]
            guard let state = AssignmentState(rawValue: stateText), let error = LicenseError(rawValue: errorText) else {
                throw StoreError(operation: "read licence paths", message: "unknown state \(stateText) or error \(errorText)")
            }
            paths.append(LicensePath(
                userId: row[0], skuPartNumber: row[1], assignedByGroup: row[2], ruleKey: row[3],
                disabledPlans: try ColumnCoding.plans(row[4], operation: "read licence paths"),
                state: state, error: error, errorDetail: row[7], lastUpdatedDateTime: ColumnCoding.date(row[8] as Double)))
        }
        return paths
    }

    static func subscriptions(_ db: Database) throws -> [SubscribedSku] {
        try Row.fetchAll(db, sql: "SELECT sku, seats FROM subscriptions ORDER BY sku").map {
            SubscribedSku(skuPartNumber: $0[0], enabledUnits: $0[1])
        }
    }

    static func position(_ db: Database) throws -> SyncPosition? {
        try Row.fetchOne(db, sql: "SELECT kind, value, server FROM sync_position WHERE id = 1").map {
            SyncPosition(kind: $0[0], value: $0[1], server: $0[2])
        }
    }

    static func nextRunId(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM runs") ?? 0
        return last + 1
    }
}
