import Foundation
import Testing
import TenantModel
import TenantStore

@Suite struct ApplyTests {
    @Test func aPlanMadeBeforeAnotherWriteIsRefusedWholeAndWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let planned = try temp.store.loadState()
        // Another command writes meanwhile: a direct licence.
        try temp.store.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "EMS")) { _ in }
        let before = try temp.store.loadState()
        #expect(before.generation == planned.generation + 1)

        var changes = TenantChangeSet()
        changes.upsertUsers = [Fixtures.user("dora", anchor: "a4")]
        #expect(throws: TenantChangedError.self) {
            try temp.store.apply(changes, report: Fixtures.report(2), plannedOn: planned.generation)
        }
        #expect(try temp.store.loadState() == before)
        try temp.store.apply(changes, report: Fixtures.report(2), plannedOn: before.generation)
        #expect(try temp.store.loadState().users.count == 4)
    }

    @Test func usersMayTradeTheirUPNsInOneRun() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var alice = Fixtures.user("alice", anchor: "a1")
        var bob = Fixtures.user("bob", anchor: "a2")
        var carol = Fixtures.user("carol", anchor: "a3")
        // Alice and bob swap; carol takes a UPN nobody has.
        (alice.userPrincipalName, bob.userPrincipalName) = (bob.userPrincipalName, alice.userPrincipalName)
        carol.userPrincipalName = "Carol.New@example.org"
        var changes = TenantChangeSet()
        changes.upsertUsers = [alice, bob, carol]
        try temp.store.apply(changes, report: Fixtures.report(2))
        let upns = Dictionary(uniqueKeysWithValues: try temp.reopen().loadState().users.map { ($0.id, $0.userPrincipalName) })
        #expect(upns == ["u-alice": "bob@example.org", "u-bob": "alice@example.org", "u-carol": "Carol.New@example.org"])
    }

    @Test func applyThenLoadStateReturnsEverythingWritten() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let changes = Fixtures.firstSync()
        try temp.store.apply(changes, report: Fixtures.report(1))

        let state = try temp.store.loadState()
        #expect(state.users == changes.upsertUsers.sorted { $0.id < $1.id })
        let staff = try #require(state.groups.first { $0.id == "g-staff" })
        #expect(staff == changes.upsertGroups[0])
        #expect(state.groups.count == 2)
        #expect(state.groupPaths == changes.upsertPaths)
        #expect(state.subscriptions == changes.subscriptions)
        #expect(state.position == changes.position)
        #expect(state.directAssignments.isEmpty)
        #expect(state.nextRunId == 2)
    }

    @Test func upsertingAUserKeepsItsMembershipsAndPaths() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var changes = TenantChangeSet()
        var alice = Fixtures.user("alice", anchor: "a1")
        alice.displayName = "Alice Renamed"
        changes.upsertUsers = [alice]
        try temp.store.apply(changes, report: Fixtures.report(2))

        let state = try temp.store.loadState()
        #expect(state.users.first { $0.id == "u-alice" }?.displayName == "Alice Renamed")
        #expect(state.groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-alice", "u-bob"])
        #expect(state.groupPaths.contains { $0.userId == "u-alice" })
    }

    @Test func upsertedGroupsGetTheirMemberListsReplaced() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var changes = TenantChangeSet()
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-carol"])]
        changes.deleteGroupIds = ["g-admins"]
        try temp.store.apply(changes, report: Fixtures.report(2))

        let groups = try temp.store.loadState().groups
        #expect(groups.map(\.id) == ["g-staff"])
        #expect(groups[0].memberUserIds == ["u-carol"])
        #expect(groups[0].memberGroupIds.isEmpty)
    }

    @Test func removedMembersAreTakenOutOfTheStoredListOrTheListIsWrittenWhole() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var changes = TenantChangeSet()
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-bob"])]
        changes.removedMemberUserIds = ["g-staff": ["u-alice"]]
        try temp.store.apply(changes, report: Fixtures.report(2))
        #expect(try temp.store.loadState().groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-bob"])

        // A removal that does not lead to the group's list (bob is no member any more): the list is written whole.
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-carol"])]
        changes.removedMemberUserIds = ["g-staff": ["u-bob"]]
        try temp.store.apply(changes, report: Fixtures.report(3))
        #expect(try temp.store.loadState().groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-carol"])
    }

    @Test func failingHalfWayWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let before = try temp.store.loadState()

        var changes = TenantChangeSet()
        changes.upsertUsers = [Fixtures.user("dave", anchor: "a4")]
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-dave"])]
        changes.upsertPaths = [Fixtures.path("u-nobody", "SPE_E3", group: "g-staff")]
        changes.subscriptions = []
        changes.position = SyncPosition(kind: "syncrepl", value: "rid=001,csn=later")
        let error = try #require(throws: StoreError.self) {
            try temp.store.apply(changes, report: Fixtures.report(2))
        }
        #expect(error.message.contains("FOREIGN KEY"))
        #expect(error.operation == "apply run 2")

        #expect(try temp.store.loadState() == before)
        #expect(try temp.store.lastReport()?.runId == 1)
    }

    @Test func upnIsUniqueAmongLiveUsersOnly() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))

        var clash = TenantChangeSet()
        var impostor = Fixtures.user("impostor", anchor: "a9")
        impostor.userPrincipalName = "ALICE@example.org"
        clash.upsertUsers = [impostor]
        let error = try #require(throws: StoreError.self) { try temp.store.apply(clash, report: Fixtures.report(2)) }
        #expect(error.message.contains("UNIQUE"))

        // Alice leaves; a new user takes her UPN in the same run, and the soft-deleted Alice stays.
        var handOver = TenantChangeSet()
        handOver.upsertUsers = [impostor, Fixtures.user("alice", anchor: "a1", deleted: Fixtures.t0)]
        try temp.store.apply(handOver, report: Fixtures.report(2))
        let users = try temp.store.loadState().users
        #expect(users.first { $0.id == "u-alice" }?.isDeleted == true)
        #expect(try temp.store.user(upn: "alice@EXAMPLE.org")?.id == "u-impostor")

        // Alice cannot be restored while the UPN is taken by a live user.
        var restore = TenantChangeSet()
        restore.upsertUsers = [Fixtures.user("alice", anchor: "a1")]
        #expect(throws: StoreError.self) { try temp.store.apply(restore, report: Fixtures.report(3)) }
    }

    @Test func purgeCascadesToMembershipsAssignmentsAndPaths() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        try temp.store.assignDirect(DirectAssignment(userId: "u-alice", skuPartNumber: "EMS")) { _ in }

        var changes = TenantChangeSet()
        changes.purgeUserIds = ["u-alice"]
        try temp.store.apply(changes, report: Fixtures.report(2))

        let state = try temp.store.loadState()
        #expect(!state.users.contains { $0.id == "u-alice" })
        #expect(state.groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-bob"])
        #expect(!state.groupPaths.contains { $0.userId == "u-alice" })
        #expect(state.directAssignments.isEmpty)
    }

    @Test func positionMovesOnlyWithAnApply() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let first = try temp.store.loadState().position

        try temp.store.recordRun(Fixtures.report(2, outcome: .failed))
        #expect(try temp.store.loadState().position == first)

        var unchanged = TenantChangeSet()
        unchanged.upsertUsers = [Fixtures.user("dave", anchor: "a4")]
        try temp.store.apply(unchanged, report: Fixtures.report(3))
        #expect(try temp.store.loadState().position == first)

        var moved = TenantChangeSet()
        moved.position = SyncPosition(kind: "usn", value: "12345", server: "invocation-1")
        try temp.store.apply(moved, report: Fixtures.report(4))
        #expect(try temp.store.loadState().position == moved.position)

        var cleared = TenantChangeSet()
        cleared.clearPosition = true
        try temp.store.apply(cleared, report: Fixtures.report(5))
        #expect(try temp.store.loadState().position == nil)
    }

    @Test func directPathsAreRefusedBeforeAnythingIsWritten() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        changes.upsertPaths.append(LicensePath(userId: "u-alice", skuPartNumber: "EMS", lastUpdatedDateTime: Fixtures.t0))
        let error = try #require(throws: StoreError.self) { try temp.store.apply(changes, report: Fixtures.report(1)) }
        #expect(error.message.contains("no rule key"))
        #expect(try temp.store.loadState().users.isEmpty)
    }
}
