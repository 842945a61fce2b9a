import Foundation
import GRDB
import TenantModel

/// Reads the part of the tenant a narrow delta needs (see `TenantStore.loadNarrowState`).
enum NarrowStateReader {
    /// How many values one `IN (...)` list takes.
    private static let chunk = 500

    /// `groups`, read ahead (`TenantStore.loadNarrowGroups`), are used when the store is still at their generation.
    static func state(_ request: NarrowStateRequest, _ db: Database, groups ahead: NarrowGroups? = nil) throws -> NarrowState? {
        guard let basis = try LicensingBasisStore.current(fingerprint: request.fingerprint, db) else { return nil }
        let generation = try StoreGeneration.current(db)
        // Read ahead at this generation, for this request's purge time: what is standing is as read.
        let readAhead = ahead.flatMap { $0.generation == generation ? $0.standing : nil }
        let standing = try readAhead.flatMap { $0.purgeBefore == request.purgeBefore ? $0 : nil }
            ?? standingUsers(purgeBefore: request.purgeBefore, db)
        let asked = try requestedKeys(request, db).subtracting(standing.keys)
        var users = standing.users + (try loadUsers(asked, db))
        users.sort { $0.user.id < $1.user.id }
        let position = Dictionary(uniqueKeysWithValues: users.enumerated().map { ($0.element.key, $0.offset) })
        let tenantUsers = users.map(\.user)
        var pathsByKey = standing.paths
        try pathsByKey.merge(paths(of: users.filter { asked.contains($0.key) }, db)) { standing, _ in standing }
        let state = TenantState(
            users: tenantUsers,
            groups: try groups(db, members: position, users: tenantUsers, ahead: ahead),
            directAssignments: standing.directAssignments,
            groupPaths: users.flatMap { pathsByKey[$0.key] ?? [] },
            subscriptions: try StateReader.subscriptions(db),
            position: try StateReader.position(db),
            nextRunId: try StateReader.nextRunId(db),
            generation: generation)
        return NarrowState(state: state, basis: basis)
    }

    /// The users every narrow state loads, whatever the delta (`standingKeys`), with their paths and direct
    /// assignments: read while the delta is.
    static func standingUsers(purgeBefore: Date, _ db: Database) throws -> StandingUsers {
        let (keys, directKeys) = try standingKeys(purgeBefore: purgeBefore, db)
        let users = try loadUsers(keys, db)
        // Only the users found through their direct assignments have any.
        let direct = users.filter { directKeys.contains($0.key) }.map(\.user.id).sorted()
        return StandingUsers(
            purgeBefore: purgeBefore, keys: keys, directKeys: directKeys, users: users, paths: try paths(of: users, db),
            directAssignments: try directAssignments(of: direct, db))
    }

    /// The keys of the users asked for and of the live users holding the asked UPNs.
    private static func requestedKeys(_ request: NarrowStateRequest, _ db: Database) throws -> Set<Int64> {
        var keys = Set<Int64>()
        for part in chunks(request.anchors) {
            keys.formUnion(try Int64.fetchAll(
                db, sql: "SELECT userKey FROM users WHERE anchor IN (\(marks(part.count)))", arguments: StatementArguments(part)))
        }
        for part in chunks(request.lowercasedUPNs) {
            keys.formUnion(try Int64.fetchAll(
                db, sql: "SELECT userKey FROM users WHERE lower(upn) IN (\(marks(part.count))) AND deletedDateTime IS NULL",
                arguments: StatementArguments(part)))
        }
        return keys
    }

    /// The keys of the users loaded whatever the delta: the live users holding a UPN that is not ASCII, every
    /// cloud-only user, users due to be purged, users with a group path not `Active` (they wait for a seat, or a
    /// check failed) and users with a direct assignment (also apart).
    private static func standingKeys(purgeBefore: Date, _ db: Database) throws -> (all: Set<Int64>, direct: Set<Int64>) {
        var keys = Set<Int64>()
        keys.formUnion(try Int64.fetchAll(db, sql: "SELECT userKey FROM users WHERE anchor IS NULL"))
        keys.formUnion(try Int64.fetchAll(
            db, sql: """
                SELECT userKey FROM users INDEXED BY users_non_ascii_upn
                WHERE \(StoreSchema.nonASCIIUPN) AND deletedDateTime IS NULL
                """))
        keys.formUnion(try Int64.fetchAll(
            db, sql: "SELECT userKey FROM users WHERE deletedDateTime IS NOT NULL AND deletedDateTime < ?",
            arguments: [ColumnCoding.seconds(purgeBefore)]))
        keys.formUnion(try Int64.fetchAll(db, sql: "SELECT DISTINCT userKey FROM license_paths WHERE state <> 'Active'"))
        // Written as IN, not as a join: without statistics SQLite would walk every user and look each one up in
        // the (usually far smaller) direct assignments.
        let direct = Set(try Int64.fetchAll(
            db, sql: "SELECT userKey FROM users WHERE id IN (SELECT userId FROM direct_assignments)"))
        return (keys.union(direct), direct)
    }

    private static func loadUsers(_ keys: Set<Int64>, _ db: Database) throws -> [(key: Int64, user: TenantUser)] {
        var users: [(key: Int64, user: TenantUser)] = []
        users.reserveCapacity(keys.count)
        for part in chunks(Array(keys)) {
            let rows = try Row.fetchCursor(
                db, sql: "SELECT userKey, \(StateReader.userColumns) FROM users WHERE userKey IN (\(marks(part.count)))",
                arguments: StatementArguments(part))
            while let row = try rows.next() { users.append((row[0], StateReader.user(row, from: 1))) }
        }
        return users
    }

    /// Every group; member users only where loaded (`members`: key → position in `users`), in id order. `ahead`
    /// are the groups read before, used when the store is still at their generation.
    private static func groups(_ db: Database, members: [Int64: Int], users: [TenantUser], ahead: NarrowGroups?) throws -> [TenantGroup] {
        var groups: [TenantGroup]
        if let ahead, ahead.generation == (try StoreGeneration.current(db)) {
            groups = ahead.groups
        } else {
            groups = try groupRows(db)
        }
        guard !members.isEmpty else { return groups }
        var positions: [Int] = []
        let loaded = SoughtKeys(Array(members.keys))
        let loadedPositions = loaded.sorted.map { members[$0]! }
        let lists = try BulkQuery(db, sql: "SELECT groupId, userKeys FROM group_member_users")
        while try lists.next() {
            positions.removeAll(keepingCapacity: true)
            lists.withBlob(1) { blob in
                loaded.matches(in: blob) { positions.append(loadedPositions[$0]) }
            }
            guard !positions.isEmpty, let index = index(of: lists.text(0), in: groups) else { continue }
            positions.sort()
            groups[index].memberUserIds = positions.map { users[$0].id }
        }
        return groups
    }

    /// Every group with its member groups and without member users, in id order.
    static func groupRows(_ db: Database) throws -> [TenantGroup] {
        var groups: [TenantGroup] = []
        // The largest rowid, found in the index's last page, bounds the count, which SQLite would walk every page for.
        groups.reserveCapacity(try Int.fetchOne(db, sql: "SELECT max(rowid) FROM groups") ?? 0)
        // In the table's own order, sorted here: walking the id index would look up one row per group. Groups a
        // first sync wrote are in id order already, which the sort finds at once. Every narrow delta reads them
        // all: through SQLite's C interface.
        let rows = try BulkQuery(db, sql: "SELECT id, displayName, anchor, dn, outOfScopeMemberCount FROM groups")
        while try rows.next() {
            groups.append(TenantGroup(
                id: rows.text(0), displayName: rows.text(1), onPremisesImmutableId: rows.text(2),
                onPremisesDistinguishedName: rows.text(3), outOfScopeMemberCount: Int(rows.int64(4))))
        }
        groups.sort { $0.id < $1.id }
        let groupMembers = try Row.fetchCursor(
            db, sql: "SELECT groupId, memberGroupId FROM group_member_groups ORDER BY groupId, memberGroupId")
        while let row = try groupMembers.next() {
            if let index = index(of: row[0], in: groups) { groups[index].memberGroupIds.append(row[1]) }
        }
        return groups
    }

    /// The position of the group `id` in `groups` (sorted by id). Few groups hold a loaded user or a member group:
    /// they are found by binary search, not through a table of all.
    private static func index(of id: String, in groups: [TenantGroup]) -> Int? {
        var low = 0
        var high = groups.count
        while low < high {
            let middle = (low + high) / 2
            if groups[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < groups.count && groups[low].id == id ? low : nil
    }

    /// The direct assignments of these users (in id order), by user and SKU.
    private static func directAssignments(of userIds: [String], _ db: Database) throws -> [DirectAssignment] {
        var assignments: [DirectAssignment] = []
        for part in chunks(userIds) {
            let rows = try Row.fetchCursor(
                db, sql: """
                    SELECT userId, sku, disabledPlans, lastUpdated FROM direct_assignments WHERE userId IN (\(marks(part.count)))
                    ORDER BY userId, sku
                    """, arguments: StatementArguments(part))
            while let row = try rows.next() { assignments.append(try StateReader.directAssignment(row)) }
        }
        return assignments
    }

    /// The users' group paths by user key, each user's by SKU and rule key.
    private static func paths(of users: [(key: Int64, user: TenantUser)], _ db: Database) throws -> [Int64: [LicensePath]] {
        let idByKey = Dictionary(uniqueKeysWithValues: users.map { ($0.key, $0.user.id) })
        var byKey: [Int64: [LicensePath]] = [:]
        var texts = TextInterner()
        var planLists: [String: [String]] = [:]
        for part in chunks(users.map(\.key)) {
            let rows = try Row.fetchCursor(
                db, sql: "SELECT userKey, \(StateReader.pathColumns) FROM license_paths WHERE userKey IN (\(marks(part.count)))",
                arguments: StatementArguments(part))
            while let row = try rows.next() {
                let key: Int64 = row[0]
                guard let userId = idByKey[key] else { continue }
                byKey[key, default: []].append(try StateReader.path(row, userId: userId, texts: &texts, planLists: &planLists))
            }
        }
        for key in byKey.keys {
            byKey[key]!.sort { ($0.skuPartNumber, $0.ruleKey ?? "") < ($1.skuPartNumber, $1.ruleKey ?? "") }
        }
        return byKey
    }

    private static func chunks<Element>(_ values: [Element]) -> [ArraySlice<Element>] {
        stride(from: 0, to: values.count, by: chunk).map { values[$0..<min($0 + chunk, values.count)] }
    }

    private static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
