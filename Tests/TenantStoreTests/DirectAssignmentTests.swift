import Foundation
import GRDB
import Testing
import TenantModel
@testable import TenantStore

struct Refusal: Error, Equatable {
    let reason: String
}

@Suite struct DirectAssignmentTests {
    @Test func assignDirectWritesWhatTheCheckAcceptsAndSeesCurrentState() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let assignment = DirectAssignment(
            userId: "u-carol", skuPartNumber: "EMS", disabledPlans: ["INTUNE_A"], lastUpdatedDateTime: Fixtures.t0)
        var seenUsers = 0
        try temp.store.assignDirect(assignment) { state in seenUsers = state.users.count }
        #expect(seenUsers == 3)
        #expect(try temp.store.loadState().directAssignments == [assignment])

        var replaced = assignment
        replaced.disabledPlans = []
        replaced.lastUpdatedDateTime = Fixtures.t0.addingTimeInterval(60)
        try temp.store.assignDirect(replaced) { _ in }
        #expect(try temp.store.loadState().directAssignments == [replaced])
    }

    @Test func assigningTheSameLicenceAgainKeepsItsTime() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let first = DirectAssignment(
            userId: "u-carol", skuPartNumber: "EMS", disabledPlans: ["INTUNE_A"], lastUpdatedDateTime: Fixtures.t0)
        try temp.store.assignDirect(first) { _ in }

        var again = first
        again.lastUpdatedDateTime = Fixtures.t0.addingTimeInterval(3600)
        try temp.store.assignDirect(again) { _ in }
        #expect(try temp.reopen().loadState().directAssignments == [first])
    }

    @Test func theSameDisabledPlansInAnotherOrderAreTheSameLicence() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let first = DirectAssignment(
            userId: "u-carol", skuPartNumber: "SPE_E3", disabledPlans: ["YAMMER_ENTERPRISE", "SWAY"], lastUpdatedDateTime: Fixtures.t0)
        try temp.store.assignDirect(first) { _ in }
        let reordered = DirectAssignment(
            userId: "u-carol", skuPartNumber: "SPE_E3", disabledPlans: ["SWAY", "YAMMER_ENTERPRISE"],
            lastUpdatedDateTime: Fixtures.t0.addingTimeInterval(3600))
        try temp.store.assignDirect(reordered) { _ in }
        #expect(try temp.reopen().loadState().directAssignments.first?.lastUpdatedDateTime == Fixtures.t0)
    }

    @Test func anAssignmentWithoutATimeIsStampedWhenStored() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let before = Date()
        try temp.store.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "EMS")) { _ in }
        let after = Date()
        let stored = try #require(try temp.store.loadState().directAssignments.first?.lastUpdatedDateTime)
        // Stored as REAL seconds: allow for the rounding of the round trip.
        #expect(stored.timeIntervalSince(before) > -0.001 && stored.timeIntervalSince(after) < 0.001)

        try temp.store.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "EMS")) { _ in }
        #expect(try temp.store.loadState().directAssignments.first?.lastUpdatedDateTime == stored)
    }

    @Test func assignDirectRefusedByCheckLeavesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let refusal = Refusal(reason: "no free seat of SPE_E3")
        let thrown = try #require(throws: Refusal.self) {
            try temp.store.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "SPE_E3")) { state in
                if state.subscriptions.first?.enabledUnits == 1 { throw refusal }
            }
        }
        #expect(thrown == refusal)
        #expect(try temp.store.loadState().directAssignments.isEmpty)
    }

    @Test func assignDirectToAnUnknownUserFails() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        #expect(throws: StoreError.self) {
            try temp.store.assignDirect(DirectAssignment(userId: "u-ghost", skuPartNumber: "EMS")) { _ in }
        }
    }

    @Test func removeDirectSaysWhetherThereWasOne() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        try temp.store.assignDirect(DirectAssignment(userId: "u-bob", skuPartNumber: "EMS")) { _ in }
        #expect(try temp.store.removeDirect(userId: "u-bob", skuPartNumber: "EMS"))
        #expect(try !temp.store.removeDirect(userId: "u-bob", skuPartNumber: "EMS"))
        #expect(try temp.store.loadState().directAssignments.isEmpty)
    }

    @Test func userByUpnIgnoresCaseAndDeletedUsers() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var changes = Fixtures.firstSync()
        changes.upsertUsers.append(Fixtures.user("dave", anchor: "a4", deleted: Fixtures.t0))
        try temp.store.apply(changes, report: Fixtures.report(1))
        #expect(try temp.store.user(upn: "Bob@Example.ORG")?.id == "u-bob")
        #expect(try temp.store.user(upn: "dave@example.org") == nil)
        #expect(try temp.store.user(upn: "nobody@example.org") == nil)
    }

    @Test func aSecondStoreCanAssignWhileTheFirstHoldsALongRead() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let reading = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let daemon = temp.store
        DispatchQueue.global().async {
            try? daemon.pool.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM users")
                reading.signal()
                release.wait()
            }
            done.signal()
        }
        reading.wait()
        let cli = try temp.reopen()
        try cli.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "EMS")) { _ in }
        // The read is still open here: the write did not wait for it.
        #expect(done.wait(timeout: .now()) == .timedOut)
        release.signal()
        done.wait()
        #expect(try daemon.loadState().directAssignments.map(\.userId) == ["u-carol"])
    }

    @Test func aSecondWriterWaitsForTheFirstInsteadOfFailing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let writing = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let daemon = temp.store
        DispatchQueue.global().async {
            try? daemon.pool.write { db in
                try db.execute(sql: "UPDATE users SET displayName = 'Busy' WHERE id = 'u-alice'")
                writing.signal()
                Thread.sleep(forTimeInterval: 0.5)
            }
            done.signal()
        }
        writing.wait()
        let started = Date()
        let cli = try temp.reopen()
        try cli.assignDirect(DirectAssignment(userId: "u-carol", skuPartNumber: "EMS")) { _ in }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        done.wait()
        let state = try daemon.loadState()
        #expect(state.directAssignments.count == 1)
        #expect(state.users.first { $0.id == "u-alice" }?.displayName == "Busy")
    }
}
