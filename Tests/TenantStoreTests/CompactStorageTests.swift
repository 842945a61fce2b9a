import Foundation
import Testing
import TenantModel
import TenantStore

/// Member lists and licence paths refer to users by an integer key, and plan lists are stored as joined text: what
/// goes in must come out exactly, across purges that free keys and plan names that need escaping.
@Suite struct CompactStorageTests {
    @Test func aKeyFreedByAPurgeDoesNotPutTheNewUserIntoTheOldMemberLists() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        // carol was written last, so hers is the largest key, the one SQLite hands out again after her purge.
        var purge = TenantChangeSet()
        purge.purgeUserIds = ["u-carol"]
        try temp.store.apply(purge, report: Fixtures.report(2))
        var arrival = TenantChangeSet()
        arrival.upsertUsers = [Fixtures.user("dave", anchor: "a4")]
        try temp.store.apply(arrival, report: Fixtures.report(3))

        let groups = try temp.store.loadState().groups
        #expect(groups.first { $0.id == "g-admins" }?.memberUserIds == [])
        #expect(groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-alice", "u-bob"])
    }

    @Test func memberListsComeBackSortedAndWithoutDuplicates() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-carol", "u-alice", "u-carol", "u-bob"])]
        try temp.store.apply(changes, report: Fixtures.report(1))
        #expect(try temp.store.loadState().groups.first?.memberUserIds == ["u-alice", "u-bob", "u-carol"])
    }

    @Test func aMemberTheStoreDoesNotHoldFailsTheWholeRun() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let before = try temp.store.loadState()
        var changes = TenantChangeSet()
        changes.upsertGroups = [Fixtures.group("staff", users: ["u-alice", "u-ghost"])]
        let error = try #require(throws: StoreError.self) { try temp.store.apply(changes, report: Fixtures.report(2)) }
        #expect(error.message.contains("FOREIGN KEY"))
        #expect(error.message.contains("u-ghost"))
        #expect(error.operation == "apply run 2")
        #expect(try temp.store.loadState() == before)
    }

    @Test func planListsOfEveryShapeRoundTrip() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        let shapes: [[String]] = [[], ["YAMMER_ENTERPRISE"], ["A", "B"], ["with,comma"], [""], ["[bracket", "x"], ["a", ""]]
        changes.upsertPaths = shapes.enumerated().map { index, plans in
            var path = Fixtures.path("u-alice", "SKU\(index)", group: "g-staff")
            path.disabledPlans = plans
            return path
        }
        try temp.store.apply(changes, report: Fixtures.report(1))
        try temp.store.assignDirect(DirectAssignment(userId: "u-bob", skuPartNumber: "EMS", disabledPlans: ["x,y", "z"])) { _ in }

        let state = try temp.store.loadState()
        #expect(state.groupPaths.map(\.disabledPlans) == shapes)
        #expect(state.directAssignments.first?.disabledPlans == ["x,y", "z"])
    }

    @Test func pathsComeBackInUserIdOrderWhateverOrderTheUsersWereWrittenIn() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        changes.upsertUsers.reverse()
        changes.upsertPaths = [
            Fixtures.path("u-carol", "EMS", group: "g-admins"), Fixtures.path("u-alice", "SPE_E3", group: "g-staff"),
            Fixtures.path("u-alice", "EMS", group: "g-staff"), Fixtures.path("u-bob", "EMS", group: "g-staff"),
        ]
        try temp.store.apply(changes, report: Fixtures.report(1))
        let keys = try temp.store.loadState().groupPaths.map { "\($0.userId) \($0.skuPartNumber)" }
        #expect(keys == ["u-alice EMS", "u-alice SPE_E3", "u-bob EMS", "u-carol EMS"])
    }

    @Test func deletingAPathOfAnUnknownUserIsNotAnError() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var changes = TenantChangeSet()
        changes.deletePaths = [
            LicensePathKey(userId: "u-ghost", skuPartNumber: "SPE_E3", ruleKey: "g-staff/SPE_E3"),
            LicensePathKey(userId: "u-alice", skuPartNumber: "SPE_E3", ruleKey: "g-staff/SPE_E3"),
        ]
        try temp.store.apply(changes, report: Fixtures.report(2))
        #expect(try temp.store.loadState().groupPaths.map(\.userId) == ["u-bob"])
    }

    @Test func newAndChangedUsersOfOneRunLandInTheRightMemberLists() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        var changes = TenantChangeSet()
        var bob = Fixtures.user("bob", anchor: "a2")
        bob.displayName = "Robert"
        changes.upsertUsers = [Fixtures.user("dave", anchor: "a4"), bob, Fixtures.user("erin", anchor: "a5")]
        changes.upsertGroups = [
            Fixtures.group("staff", users: ["u-erin", "u-bob", "u-dave"]), Fixtures.group("admins", users: ["u-bob"]),
        ]
        changes.upsertPaths = [Fixtures.path("u-dave", "EMS", group: "g-staff"), Fixtures.path("u-bob", "EMS", group: "g-staff")]
        try temp.store.apply(changes, report: Fixtures.report(2))

        let state = try temp.store.loadState()
        #expect(state.groups.first { $0.id == "g-staff" }?.memberUserIds == ["u-bob", "u-dave", "u-erin"])
        #expect(state.groups.first { $0.id == "g-admins" }?.memberUserIds == ["u-bob"])
        #expect(state.groupPaths.filter { $0.skuPartNumber == "EMS" }.map(\.userId) == ["u-bob", "u-dave"])
        #expect(state.users.first { $0.id == "u-bob" }?.displayName == "Robert")
    }

    @Test func mailComesBackExactlyWhetherItIsTheUpnOrNot() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let users = [
            TenantUser(id: "u-1", userPrincipalName: "same@example.org", mail: "same@example.org"),
            TenantUser(id: "u-2", userPrincipalName: "case@example.org", mail: "Case@example.org"),
            TenantUser(id: "u-3", userPrincipalName: "other@example.org", mail: "someone.else@example.org"),
            TenantUser(id: "u-4", userPrincipalName: "none@example.org", mail: nil),
        ]
        var changes = TenantChangeSet()
        changes.upsertUsers = users
        try temp.store.apply(changes, report: Fixtures.report(1))
        #expect(try temp.store.loadState().users == users)
    }
}
