import Foundation
import Testing
import TenantModel
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
