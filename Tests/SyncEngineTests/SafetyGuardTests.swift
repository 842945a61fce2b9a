import TenantModel
import Testing

@testable import SyncEngine

@Suite struct SafetyGuardTests {
    private let guardrail = SafetyGuard(maxDeletes: 10, maxLicenseRemovals: 5, allowDeletes: nil)

    private func plan(read: Int = 100, before: Int = 100, users: Int = 0, groups: Int = 0, removals: Int = 0) -> SafetyGuard.Plan {
        SafetyGuard.Plan(readUserCount: read, syncedUsersBefore: before, userDeletes: users, groupDeletes: groups, licenseRemovals: removals)
    }

    @Test func withinLimitsPasses() {
        #expect(guardrail.check(plan(users: 6, groups: 4, removals: 5)) == nil)
    }

    @Test func tooManyDeletesStopsNamingTheNumbersAndTheWayForward() throws {
        let stop = try #require(guardrail.check(plan(users: 11)))
        #expect(stop.reason.contains("deletes 11 users"))
        #expect(stop.reason.contains("limit of 10"))
        #expect(stop.reason.contains("--allow-deletes 11"))
    }

    @Test func tooManyLicenceRemovalsStops() throws {
        let stop = try #require(guardrail.check(plan(removals: 6)))
        #expect(stop.reason.contains("removes 6"))
        #expect(stop.reason.contains("maxLicenseRemovals"))
    }

    @Test func emptyReadOverSyncedTenantStopsEvenUnderTheLimit() throws {
        let generous = SafetyGuard(maxDeletes: 1000, maxLicenseRemovals: 1000, allowDeletes: nil)
        let stop = try #require(generous.check(plan(read: 0, before: 3, users: 3)))
        #expect(stop.reason.contains("no users"))
    }

    @Test func emptyReadOverSyncedTenantStopsWhateverTheAllowance() throws {
        let allowing = SafetyGuard(maxDeletes: 10, maxLicenseRemovals: 5, allowDeletes: 1000)
        let stop = try #require(allowing.check(plan(read: 0, before: 3, users: 3)))
        #expect(stop.reason.contains("not even with --allow-deletes"))
    }

    @Test func emptyReadOfEmptyTenantPasses() {
        #expect(guardrail.check(plan(read: 0, before: 0)) == nil)
    }

    @Test func allowDeletesLetsOneRunThrough() {
        let once = SafetyGuard(maxDeletes: 10, maxLicenseRemovals: 5, allowDeletes: 40)
        #expect(once.check(plan(users: 40, removals: 40)) == nil)
        #expect(once.check(plan(users: 41)) != nil)
    }
}
