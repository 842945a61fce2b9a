import Foundation
import Testing
import TenantModel
import TenantStore

/// The narrow state a delta of user changes plans on (`TenantStore.loadNarrowState`), with groups read ahead.
@Suite struct NarrowStateTests {
    static let basis = LicensingBasis(
        fingerprint: "rules-1", consumedUnits: [:],
        totals: TenantTotals(liveSyncedUsers: 3, liveSyncedUsersWithDN: 3, groups: 2, activePaths: 0))

    static func request(anchors: [String]) -> NarrowStateRequest {
        NarrowStateRequest(anchors: anchors, lowercasedUPNs: [], purgeBefore: Fixtures.t0, fingerprint: "rules-1")
    }

    @Test func groupsReadAheadServeWhileTheStoreIsUnchangedAndAreReadAgainAfterAWrite() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var first = Fixtures.firstSync()
        first.licensingBasis = Self.basis
        try temp.store.apply(first, report: Fixtures.report(1))

        let ahead = try temp.store.loadNarrowGroups()
        let narrow = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"]), groups: ahead))
        let fresh = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"])))
        #expect(narrow.state == fresh.state)
        // Only loaded users are listed as members (carol, in admins only, is not loaded); member groups come whole.
        let loaded = Set(narrow.state.users.map(\.id))
        #expect(loaded.contains("u-alice") && !loaded.contains("u-carol"))
        let staff = try #require(narrow.state.groups.first { $0.id == "g-staff" })
        #expect(staff.memberUserIds.contains("u-alice") && staff.memberUserIds.allSatisfy(loaded.contains))
        #expect(staff.memberGroupIds == ["g-admins"])
        #expect(narrow.state.groups.first { $0.id == "g-admins" }?.memberUserIds == [])

        // Another write: a new group. The groups read before are stale and not used.
        var later = TenantChangeSet()
        later.upsertGroups = [Fixtures.group("sales", users: ["u-alice"])]
        later.licensingBasis = Self.basis
        try temp.store.apply(later, report: Fixtures.report(2))
        let after = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"]), groups: ahead))
        #expect(after.state.groups.map(\.id).sorted() == ["g-admins", "g-sales", "g-staff"])
        #expect(after.state.groups.first { $0.id == "g-sales" }?.memberUserIds == ["u-alice"])
        #expect(after.state == (try temp.store.loadNarrowState(Self.request(anchors: ["a1"])))?.state)
    }

    /// The users loaded whatever the delta (here bob, whose path waits for a seat), read with the groups, serve
    /// while the store is unchanged and for the same purge time; otherwise they are read again.
    @Test func standingUsersReadAheadServeWhileTheStoreIsUnchanged() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var first = Fixtures.firstSync()
        first.licensingBasis = Self.basis
        try temp.store.apply(first, report: Fixtures.report(1))

        let ahead = try temp.store.loadNarrowGroups(purgeBefore: Fixtures.t0)
        let narrow = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"]), groups: ahead))
        #expect(narrow.state == (try temp.store.loadNarrowState(Self.request(anchors: ["a1"])))?.state)
        #expect(Set(narrow.state.users.map(\.id)) == ["u-alice", "u-bob"])
        #expect(Set(narrow.state.groupPaths.map(\.userId)) == ["u-alice", "u-bob"])
        // Another purge time: the users due to be purged may differ, so the standing users are read again.
        var later = Self.request(anchors: ["a1"])
        later.purgeBefore = Fixtures.t0.addingTimeInterval(86_400 * 365)
        #expect(try temp.store.loadNarrowState(later, groups: ahead)?.state == (try temp.store.loadNarrowState(later))?.state)

        // Another write: carol gets a path that waits for a seat. What was read ahead is stale and not used.
        var next = TenantChangeSet()
        next.upsertPaths = [Fixtures.path("u-carol", "SPE_E3", group: "g-admins", error: .countViolation)]
        next.licensingBasis = Self.basis
        try temp.store.apply(next, report: Fixtures.report(2))
        let after = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"]), groups: ahead))
        #expect(Set(after.state.users.map(\.id)) == ["u-alice", "u-bob", "u-carol"])
        #expect(after.state == (try temp.store.loadNarrowState(Self.request(anchors: ["a1"])))?.state)
    }

    /// SQLite's lower() and Swift may fold such a UPN differently: its live holder is loaded whatever the delta.
    @Test func liveUsersWhoseUPNIsNotASCIIAreAlwaysLoaded() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var first = Fixtures.firstSync()
        var accented = Fixtures.user("dora", anchor: "a4")
        accented.userPrincipalName = "Dörte@example.org"
        var control = Fixtures.user("erik", anchor: "a5")
        control.userPrincipalName = "erik\u{7f}@example.org"
        var deleted = Fixtures.user("finn", anchor: "a6", deleted: Fixtures.t0)
        deleted.userPrincipalName = "Fínn@example.org"
        first.upsertUsers += [accented, control, deleted]
        first.licensingBasis = Self.basis
        try temp.store.apply(first, report: Fixtures.report(1))

        let narrow = try #require(try temp.store.loadNarrowState(Self.request(anchors: ["a1"])))
        // alice is asked for; bob waits for a seat (his path is not Active).
        #expect(Set(narrow.state.users.map(\.id)) == ["u-alice", "u-bob", "u-dora"])
    }
}
