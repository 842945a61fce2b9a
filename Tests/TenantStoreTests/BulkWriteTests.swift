import Foundation
import Testing
import TenantModel
import TenantStore

/// The writer binds user and path rows through SQLite's C interface; these pin what GRDB's binding did for it.
@Suite struct BulkWriteTests {
    @Test func emptyTextStaysEmptyAndMissingValuesStayNull() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        changes.upsertUsers[0].displayName = ""
        changes.upsertUsers[0].mail = nil
        changes.upsertUsers[0].usageLocation = nil
        changes.upsertUsers[1].displayName = "Bøb Ünïcode ✓"
        var path = Fixtures.path("u-alice", "SPE_E3", group: "g-staff")
        path.disabledPlans = []
        path.errorDetail = nil
        changes.upsertPaths = [path]
        try temp.store.apply(changes, report: Fixtures.report(1))

        let state = try temp.reopen().loadState()
        let alice = try #require(state.users.first { $0.id == "u-alice" })
        #expect(alice.displayName == "")
        #expect(alice.mail == nil)
        #expect(alice.usageLocation == nil)
        #expect(state.users.first { $0.id == "u-bob" }?.displayName == "Bøb Ünïcode ✓")
        #expect(state.groupPaths == [path])
    }

    @Test func aRowSQLiteRefusesFailsTheApplyWithItsReasonAndWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let before = try temp.store.loadState()
        var changes = TenantChangeSet()
        // A new user with alice's anchor: the anchor index refuses the row.
        changes.upsertUsers = [Fixtures.user("dora", anchor: "a4"), Fixtures.user("erin", anchor: "a1")]
        let error = try #require(throws: StoreError.self) {
            try temp.store.apply(changes, report: Fixtures.report(2))
        }
        #expect(error.message.contains("UNIQUE constraint failed: users.anchor"))
        #expect(error.sqliteCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(try temp.store.loadState() == before)

        // The cached statement is reset: the next apply writes.
        changes.upsertUsers = [Fixtures.user("dora", anchor: "a4")]
        try temp.store.apply(changes, report: Fixtures.report(2))
        #expect(try temp.store.loadState().users.contains { $0.id == "u-dora" })
    }
}
