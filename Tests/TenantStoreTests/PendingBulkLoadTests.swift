import Foundation
import GRDB
import TenantModel
import Testing

@testable import TenantStore

/// A first sync's users written before the rest of the run is planned (`TenantStore.beginBulkLoad`).
@Suite struct PendingBulkLoadTests {
    /// The bulk-load changes with some users lacking the usage location the licence step gives them.
    static func changes() -> (written: [TenantUser], final: TenantChangeSet) {
        var final = BulkLoadTests.changes()
        var written = final.upsertUsers
        for index in [3, 11_999] { written[index].usageLocation = nil }
        final.upsertUsers[3].usageLocation = "AT"
        final.upsertUsers[11_999].usageLocation = "FR"
        return (written, final)
    }

    @Test func finishingStoresWhatOneApplyStores() throws {
        let early = try TemporaryStore()
        defer { early.remove() }
        let whole = try TemporaryStore()
        defer { whole.remove() }
        let (written, final) = Self.changes()
        let pending = early.store.beginBulkLoad(
            users: written, contentHashes: final.userContentHashes, plannedOn: try early.store.loadState().generation, runId: 1)
        try pending.finish(final, report: Fixtures.report(1))
        pending.abandon()  // after finish: nothing happens
        try whole.store.apply(final, report: Fixtures.report(1))

        let state = try early.reopen().loadState()
        #expect(state == (try whole.store.loadState()))
        #expect(state.users.first { $0.id == "u-user3" }?.usageLocation == "AT")
        #expect(state.users.first { $0.id == "u-user11999" }?.usageLocation == "FR")
        #expect(try early.store.lastAppliedReport()?.runId == 1)
    }

    /// user20 is listed twice (one row); only its second listing gets a usage location late, as the row-by-row
    /// write would keep it.
    @Test func aUserListedTwiceGetsTheUsageLocationOfItsLastListing() throws {
        let early = try TemporaryStore()
        defer { early.remove() }
        let whole = try TemporaryStore()
        defer { whole.remove() }
        var (written, final) = Self.changes()
        let second = try #require(final.upsertUsers.lastIndex { $0.id == "u-user20" })
        #expect(second != final.upsertUsers.firstIndex { $0.id == "u-user20" })
        written[second].usageLocation = nil
        final.upsertUsers[second].usageLocation = "IT"
        let pending = early.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        try pending.finish(final, report: Fixtures.report(1))
        try whole.store.apply(final, report: Fixtures.report(1))
        #expect(try early.store.loadState().users.first { $0.id == "u-user20" }?.usageLocation == "IT")
        #expect(try early.store.loadState() == whole.store.loadState())
    }

    @Test func abandoningWritesNothingAndReleasesTheStore() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let (written, final) = Self.changes()
        let before = try temp.store.loadState()
        let pending = temp.store.beginBulkLoad(
            users: written, contentHashes: final.userContentHashes, plannedOn: before.generation, runId: 1)
        pending.abandon()
        #expect(try temp.store.loadState() == before)
        #expect(try temp.store.lastReport() == nil)
        try temp.store.apply(final, report: Fixtures.report(1))
        #expect(try temp.store.loadState().users.count == 12_000)
    }

    @Test func aStoreWrittenMeanwhileRefusesTheLoad() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let (written, final) = Self.changes()
        let planned = try temp.store.loadState().generation
        // Another command writes first: a cloud-only user.
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let before = try temp.store.loadState()
        let pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: planned, runId: 2)
        #expect(throws: TenantChangedError.self) { try pending.finish(final, report: Fixtures.report(2)) }
        #expect(try temp.store.loadState() == before)
    }

    @Test func changesBeyondUsageLocationsAndUnknownMembersAreRefusedAndWriteNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var (written, final) = Self.changes()
        final.upsertUsers[5].displayName = "Changed later"
        var pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        let changed = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(changed.message.contains("user u-user5 changed after it was written"))
        #expect(try temp.store.loadState() == TenantState())

        (written, final) = Self.changes()
        final.upsertGroups[0].memberUserIds.append("u-nobody")
        pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        let unknown = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(unknown.message.contains("names user u-nobody"))
        #expect(try temp.store.loadState() == TenantState())
    }

    /// Users added one by one (across batch boundaries), then the groups, then the rest: what one apply stores.
    @Test func usersAndGroupsHandedOverAsPlannedStoreWhatOneApplyStores() throws {
        let early = try TemporaryStore()
        defer { early.remove() }
        let whole = try TemporaryStore()
        defer { whole.remove() }
        var (written, final) = Self.changes()
        // Users as a first sync makes them: none soft-deleted, so the order added is the order written.
        for index in written.indices { written[index].deletedDateTime = nil }
        for index in final.upsertUsers.indices { final.upsertUsers[index].deletedDateTime = nil }
        let pending = early.store.beginBulkLoad(plannedOn: 0, runId: 1)
        for user in written { pending.add(user, contentHash: final.userContentHashes[user.id]) }
        pending.closeUsers(written, contentHashes: final.userContentHashes)
        pending.writeGroups(final.upsertGroups, contentHashes: final.groupContentHashes)
        pending.writePaths(final.upsertPaths)
        try pending.finish(final, report: Fixtures.report(1))
        try whole.store.apply(final, report: Fixtures.report(1))
        #expect(try early.reopen().loadState() == whole.store.loadState())
        // The load checks references itself; the store's writer checks them again afterwards.
        #expect(try early.store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") } == 1)
    }

    @Test func abandoningWhileUsersComeWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let (written, final) = Self.changes()
        let pending = temp.store.beginBulkLoad(plannedOn: 0, runId: 1)
        for user in written.prefix(PendingBulkLoad.batchSize + 10) { pending.add(user, contentHash: nil) }
        pending.abandon()
        #expect(try temp.store.loadState() == TenantState())
        try temp.store.apply(final, report: Fixtures.report(1))
        #expect(try temp.store.loadState().users.count == 12_000)
    }

    @Test func partsThatDoNotMatchAreRefusedAndWriteNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let (written, final) = Self.changes()

        // The users closed are not the users added.
        var pending = temp.store.beginBulkLoad(plannedOn: 0, runId: 1)
        for user in written.dropLast() { pending.add(user, contentHash: nil) }
        pending.closeUsers(written, contentHashes: final.userContentHashes)
        let closed = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(closed.message.contains("the users closed are not the 12000 users added"))

        // Finished before the users were closed.
        pending = temp.store.beginBulkLoad(plannedOn: 0, runId: 1)
        for user in written { pending.add(user, contentHash: nil) }
        let unclosed = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(unclosed.message.contains("finished before its users were closed"))

        // The run's groups are not the ones written early.
        pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        pending.writeGroups(Array(final.upsertGroups.dropLast()), contentHashes: final.groupContentHashes)
        let groups = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(groups.message.contains("the run's groups are not the ones written before"))

        // The run's paths are not the ones written early (and paths may come without groups).
        pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        pending.writePaths(Array(final.upsertPaths.dropFirst()))
        let paths = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(paths.message.contains("the run's paths are not the ones written before"))

        // A group written early names a user the load does not write.
        var unknown = final.upsertGroups
        unknown[0].memberUserIds.append("u-nobody")
        pending = temp.store.beginBulkLoad(users: written, contentHashes: final.userContentHashes, plannedOn: 0, runId: 1)
        pending.writeGroups(unknown, contentHashes: final.groupContentHashes)
        let member = try #require(throws: StoreError.self) { try pending.finish(final, report: Fixtures.report(1)) }
        #expect(member.message.contains("group g-staff names user u-nobody"))

        // A group names a member group the load does not write.
        var nested = final
        nested.upsertGroups[1].memberGroupIds = ["g-nowhere"]
        pending = temp.store.beginBulkLoad(users: written, contentHashes: nested.userContentHashes, plannedOn: 0, runId: 1)
        let group = try #require(throws: StoreError.self) { try pending.finish(nested, report: Fixtures.report(1)) }
        #expect(group.message.contains("group g-admins names member group g-nowhere"))
        #expect(try temp.store.loadState() == TenantState())
    }


    /// A store may hold groups and no users yet: a load's group may name one of them as a member group.
    @Test func aMemberGroupTheStoreHoldsIsKnown() throws {
        for early in [false, true] {
            let temp = try TemporaryStore()
            defer { temp.remove() }
            var before = TenantChangeSet()
            before.upsertGroups = [Fixtures.group("old", users: [])]
            try temp.store.apply(before, report: Fixtures.report(1))
            let (written, changes) = Self.changes()
            var final = changes
            final.upsertGroups[1].memberGroupIds = ["g-old"]
            if early {
                let pending = temp.store.beginBulkLoad(
                    users: written, contentHashes: final.userContentHashes, plannedOn: try temp.store.loadState().generation, runId: 2)
                pending.writeGroups(final.upsertGroups, contentHashes: final.groupContentHashes)
                try pending.finish(final, report: Fixtures.report(2))
            } else {
                try temp.store.apply(final, report: Fixtures.report(2))
            }
            let admins = try #require(try temp.store.loadState().groups.first { $0.id == "g-admins" })
            #expect(admins.memberGroupIds == ["g-old"], "early: \(early)")
        }
    }
}

extension TenantStore {
    /// `beginBulkLoad(plannedOn:runId:)` with every user handed over at once, in the order they are written.
    func beginBulkLoad(users: [TenantUser], contentHashes: [String: Int64], plannedOn generation: Int64, runId: Int64) -> PendingBulkLoad {
        let pending = beginBulkLoad(plannedOn: generation, runId: runId)
        let ordered = BulkLoad.writeOrder(users)
        for user in ordered { pending.add(user, contentHash: contentHashes[user.id]) }
        pending.closeUsers(ordered, contentHashes: contentHashes)
        return pending
    }
}
