import GRDB
import TenantModel

/// Reads the tenant's state out of an open connection.
enum StateReader {
    static let userColumns =
        "id, upn, displayName, mail, usageLocation, accountEnabled, anchor, dn, deletedDateTime, enteredRun"

    static func state(_ db: Database) throws -> TenantState {
        let stored = try StoredUsers(db)
        return TenantState(
            users: stored.users,
            groups: try groups(db, stored),
            directAssignments: try directAssignments(db),
            groupPaths: try groupPaths(db, stored),
            subscriptions: try subscriptions(db),
            position: try position(db),
            nextRunId: try nextRunId(db),
            generation: try StoreGeneration.current(db)
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

    /// A user from a row selected with `userColumns`, in that order, starting at column `first`.
    static func user(_ row: Row, from first: Int = 0) -> TenantUser {
        TenantUser(
            id: row[first],
            userPrincipalName: row[first + 1],
            displayName: row[first + 2],
            mail: row[first + 3],
            usageLocation: row[first + 4],
            accountEnabled: row[first + 5],
            onPremisesImmutableId: row[first + 6],
            onPremisesDistinguishedName: row[first + 7],
            deletedDateTime: ColumnCoding.date(row[first + 8] as Double?),
            enteredRun: row[first + 9]
        )
    }

    /// Groups with their members; members come back sorted by id (membership is a set). Member ids share their
    /// storage with the users' ids.
    static func groups(_ db: Database, _ stored: StoredUsers) throws -> [TenantGroup] {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM groups") ?? 0
        var groups: [TenantGroup] = []
        groups.reserveCapacity(count)
        var indexById: [String: Int] = [:]
        indexById.reserveCapacity(count)
        var memberIndexes: [Int32] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT g.id, g.displayName, g.anchor, g.dn, g.outOfScopeMemberCount, m.userKeys
            FROM groups g LEFT JOIN group_member_users m ON m.groupId = g.id ORDER BY g.id
            """)
        while let row = try rows.next() {
            var group = TenantGroup(
                id: row[0], displayName: row[1], onPremisesImmutableId: row[2], onPremisesDistinguishedName: row[3],
                outOfScopeMemberCount: row[4])
            memberIndexes.removeAll(keepingCapacity: true)
            try row.withUnsafeData(atIndex: 5) { blob in
                MemberKeys.forEach(in: blob) { key in
                    if let index = stored.index(ofKey: key) { memberIndexes.append(index) }
                }
            }
            // Users are in id order, so their indexes sort like their ids.
            memberIndexes.sort()
            group.memberUserIds = memberIndexes.map { stored.users[Int($0)].id }
            indexById[group.id] = groups.count
            groups.append(group)
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
                db, sql: "SELECT userId, sku, disabledPlans, lastUpdated FROM direct_assignments WHERE userId = ? ORDER BY sku",
                arguments: [userId])
        } else {
            rows = try Row.fetchCursor(
                db, sql: "SELECT userId, sku, disabledPlans, lastUpdated FROM direct_assignments ORDER BY userId, sku")
        }
        while let row = try rows.next() { assignments.append(try directAssignment(row)) }
        return assignments
    }

    /// A direct assignment from a row of `userId, sku, disabledPlans, lastUpdated`.
    static func directAssignment(_ row: Row) throws -> DirectAssignment {
        let lastUpdated: Double = row[3]
        return DirectAssignment(
            userId: row[0], skuPartNumber: row[1],
            disabledPlans: try ColumnCoding.plans(row[2], operation: "read direct assignments"),
            lastUpdatedDateTime: ColumnCoding.date(lastUpdated))
    }

    /// Group paths sorted by user id, SKU and rule key. Repeated texts (SKUs, rule keys, groups, plan lists) are
    /// read into one shared value each.
    static func groupPaths(_ db: Database, _ stored: StoredUsers) throws -> [LicensePath] {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM license_paths") ?? 0
        var paths: [LicensePath] = []
        paths.reserveCapacity(count)
        var userIndexes: [Int32] = []
        userIndexes.reserveCapacity(count)
        var texts = TextInterner()
        var planLists: [String: [String]] = [:]
        // Rows come in (userKey, sku, ruleKey) order: within a user already sorted, users reordered below.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT userKey, \(pathColumns) FROM license_paths ORDER BY userKey, sku, ruleKey
            """)
        while let row = try rows.next() {
            guard let userIndex = stored.index(ofKey: row[0]) else { continue }
            paths.append(try path(row, userId: stored.users[Int(userIndex)].id, texts: &texts, planLists: &planLists))
            userIndexes.append(userIndex)
        }
        if userIndexes.indices.dropFirst().allSatisfy({ userIndexes[$0 - 1] <= userIndexes[$0] }) { return paths }
        let order = userIndexes.indices.sorted { (userIndexes[$0], $0) < (userIndexes[$1], $1) }
        return order.map { paths[$0] }
    }

    /// A path from a row selected as `pathColumns` (after whatever comes before them: `first` is `sku`'s column).
    /// Repeated texts are shared through `texts` and `planLists`.
    static func path(
        _ row: Row, userId: String, from first: Int = 1, texts: inout TextInterner, planLists: inout [String: [String]]
    ) throws -> LicensePath {
        let stateText: String = row[first + 4]
        let errorText: String = row[first + 5]
        guard let state = AssignmentState(rawValue: stateText), let error = LicenseError(rawValue: errorText) else {
            throw StoreError(operation: "read licence paths", message: "unknown state \(stateText) or error \(errorText)")
        }
        let planText: String = row[first + 3]
        let plans: [String]
        if let known = planLists[planText] {
            plans = known
        } else {
            plans = try ColumnCoding.plans(planText, operation: "read licence paths")
            planLists[planText] = plans
        }
        return LicensePath(
            userId: userId, skuPartNumber: texts.shared(row[first]),
            assignedByGroup: (row[first + 2] as String?).map { texts.shared($0) }, ruleKey: texts.shared(row[first + 1]),
            disabledPlans: plans, state: state, error: error, errorDetail: row[first + 6],
            lastUpdatedDateTime: ColumnCoding.date(row[first + 7] as Double))
    }

    /// The columns `path(_:userId:from:texts:planLists:)` reads, in its order.
    static let pathColumns = "sku, ruleKey, assignedByGroup, disabledPlans, state, error, errorDetail, lastUpdated"

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
