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

    /// Users whose UPN, anchor and deletion stay are updated without those columns; the others go through the
    /// upsert. Both land, and the UPN and anchor indexes answer for the new values only.
    @Test func updatesKeepingOrChangingAUsersKeysAllLand() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var first = Fixtures.firstSync()
        first.upsertUsers.append(Fixtures.user("dora", anchor: "a4"))
        try temp.store.apply(first, report: Fixtures.report(1))
        var changes = TenantChangeSet()
        var alice = Fixtures.user("alice", anchor: "a1")
        alice.displayName = "Alice Renamed"
        alice.usageLocation = "FR"
        var bob = Fixtures.user("bob", anchor: "a2")
        bob.userPrincipalName = "robert@example.org"
        var carol = Fixtures.user("carol", anchor: "a3")
        carol.userPrincipalName = "Carol@example.org"  // a change of case is a change of UPN
        let dora = Fixtures.user("dora", anchor: "a4", deleted: Date(timeIntervalSince1970: 1_700_000_000))
        let erin = Fixtures.user("erin", anchor: "a5", enteredRun: 2)
        changes.upsertUsers = [dora, alice, bob, carol, erin]
        try temp.store.apply(changes, report: Fixtures.report(2))

        let users = Dictionary(uniqueKeysWithValues: try temp.reopen().loadState().users.map { ($0.id, $0) })
        #expect(users["u-alice"] == alice)
        #expect(users["u-bob"] == bob)
        #expect(users["u-carol"] == carol)
        #expect(users["u-dora"] == dora)
        #expect(users["u-erin"] == erin)
        let holders = try temp.store.liveHolders(ofUPNs: [
            "alice@example.org", "bob@example.org", "robert@example.org", "carol@example.org", "dora@example.org", "erin@example.org",
        ])
        #expect(holders == ["alice@example.org": "a1", "robert@example.org": "a2", "carol@example.org": "a3", "erin@example.org": "a5"])
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
