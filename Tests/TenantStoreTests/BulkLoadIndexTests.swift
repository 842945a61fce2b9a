import Foundation
import Testing
import TenantModel
import GRDB
@testable import TenantStore

/// A first sync of many users into an empty store builds the user indexes after the rows: the constraints they carry
/// must hold all the same.
@Suite struct BulkLoadIndexTests {
    static func users(_ count: Int) -> [TenantUser] {
        (0..<count).map { Fixtures.user("user\($0)", anchor: "anchor-\($0)") }
    }

    @Test func aDuplicateUpnInABulkLoadFailsTheRunAndWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = TenantChangeSet()
        changes.upsertUsers = Self.users(12_000)
        changes.upsertUsers[11_000].userPrincipalName = "USER7@example.org"
        changes.position = SyncPosition(kind: "usn", value: "1")
        let error = try #require(throws: StoreError.self) { try temp.store.apply(changes, report: Fixtures.report(1)) }
        #expect(error.message.contains("UNIQUE"))
        #expect(try temp.store.loadState() == TenantState())
    }

    @Test func theIndexesAreBackAfterABulkLoad() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = TenantChangeSet()
        changes.upsertUsers = Self.users(12_000)
        try temp.store.apply(changes, report: Fixtures.report(1))
        let indexes = try temp.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' ORDER BY name")
        }
        #expect(indexes.contains("users_anchor") && indexes.contains("users_live_upn"))
        #expect(try temp.store.user(upn: "User11999@Example.org")?.id == "u-user11999")

        var clash = TenantChangeSet()
        clash.upsertUsers = [TenantUser(id: "u-other", userPrincipalName: "other@example.org", onPremisesImmutableId: "anchor-5")]
        let error = try #require(throws: StoreError.self) { try temp.store.apply(clash, report: Fixtures.report(2)) }
        #expect(error.message.contains("UNIQUE"))
    }
}

/// A first sync's bulk load gives users their keys before SQLite writes them, so that member lists and paths name
/// them by key at once: the store must come out as the row-by-row write leaves it.
@Suite struct BulkLoadTests {
    /// 12,000 users (two soft-deleted, one listed twice), groups with members and a nested group, paths.
    static func changes() -> TenantChangeSet {
        var changes = TenantChangeSet()
        changes.upsertUsers = BulkLoadIndexTests.users(12_000)
        changes.upsertUsers[10].deletedDateTime = Fixtures.t0
        changes.upsertUsers[11_000].deletedDateTime = Fixtures.t0
        changes.upsertUsers.append(changes.upsertUsers[20])
        changes.upsertGroups = [
            Fixtures.group("staff", users: (0..<5_000).map { "u-user\($0 * 2)" }, groups: ["g-admins"]),
            Fixtures.group("admins", users: ["u-user11999", "u-user10", "u-user3"]),
            Fixtures.group("empty", users: []),
        ]
        changes.upsertPaths = [
            Fixtures.path("u-user11999", "SPE_E3", group: "g-staff"),
            Fixtures.path("u-user3", "EMS", group: "g-admins", error: .countViolation),
            Fixtures.path("u-user3", "SPE_E3", group: "g-admins"),
        ]
        changes.userContentHashes = ["u-user5": 55, "u-user11000": 1_100]
        changes.groupContentHashes = ["g-admins": 7]
        changes.subscriptions = [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 10)]
        changes.position = SyncPosition(kind: "syncrepl", value: "rid=001,csn=bulk")
        return changes
    }

    @Test func aBulkLoadLeavesWhatTheRowByRowWriteLeaves() throws {
        let bulk = try TemporaryStore()
        defer { bulk.remove() }
        let rowByRow = try TemporaryStore()
        defer { rowByRow.remove() }
        let changes = Self.changes()
        try bulk.store.apply(changes, report: Fixtures.report(1))
        // With a user in the store already, the same changes are written row by row.
        var first = TenantChangeSet()
        first.upsertUsers = [changes.upsertUsers[0]]
        try rowByRow.store.apply(first, report: Fixtures.report(1))
        try rowByRow.store.apply(changes, report: Fixtures.report(2))

        var loaded = try bulk.store.loadState()
        let expected = try rowByRow.store.loadState()
        #expect(loaded.users.count == 12_000)
        #expect(loaded.groups.first { $0.id == "g-staff" }?.memberUserIds.count == 5_000)
        #expect(loaded.groupPaths.count == 3)
        loaded.nextRunId = expected.nextRunId
        loaded.generation = expected.generation
        #expect(loaded == expected)
        // Digests went with their rows.
        let hashes = try bulk.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, contentHash FROM users WHERE contentHash IS NOT NULL ORDER BY id")
                .map { "\($0[0] as String)=\($0[1] as Int64)" }
        }
        #expect(hashes == ["u-user11000=1100", "u-user5=55"])
        // Keys are dense and follow the order written: the soft-deleted users first.
        let keys = try bulk.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT userKey, id FROM users WHERE userKey <= 3 ORDER BY userKey").map { $0[1] as String }
        }
        #expect(keys == ["u-user10", "u-user11000", "u-user0"])
    }

    @Test func aBulkLoadNamingAUserItDoesNotWriteFailsAndWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Self.changes()
        changes.upsertGroups[1].memberUserIds.append("u-nobody")
        let error = try #require(throws: StoreError.self) { try temp.store.apply(changes, report: Fixtures.report(1)) }
        #expect(error.message.contains("group g-admins names user u-nobody"))
        #expect(error.sqliteCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        #expect(try temp.store.loadState() == TenantState())

        changes = Self.changes()
        changes.upsertPaths.append(Fixtures.path("u-ghost", "EMS", group: "g-staff"))
        let pathError = try #require(throws: StoreError.self) { try temp.store.apply(changes, report: Fixtures.report(1)) }
        #expect(pathError.message.contains("licence path EMS names user u-ghost"))
        #expect(try temp.store.loadState() == TenantState())
    }
}
