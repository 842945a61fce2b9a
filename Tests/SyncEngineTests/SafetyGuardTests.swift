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

    @Test func theSuggestedAllowanceCoversExactlyWhatIsOverItsLimit() throws {
        // 12 deletions over 10; 4 removals under 5: the allowance needed is 12.
        let deletesOnly = try #require(guardrail.check(plan(users: 12, removals: 4)))
        #expect(deletesOnly.reason.contains("--allow-deletes 12"))
        #expect(!deletesOnly.reason.contains("removes"))
        // 3 deletions under 10; 24 removals over 5: 24.
        let removalsOnly = try #require(guardrail.check(plan(users: 3, removals: 24)))
        #expect(removalsOnly.reason.contains("removes 24"))
        #expect(removalsOnly.reason.contains("--allow-deletes 24"))
        // Both over: the larger.
        let both = try #require(guardrail.check(plan(users: 12, removals: 24)))
        #expect(both.reason.contains("deletes 12") && both.reason.contains("removes 24"))
        #expect(both.reason.contains("--allow-deletes 24"))
        #expect(SafetyGuard(maxDeletes: 10, maxLicenseRemovals: 5, allowDeletes: 24).check(plan(users: 12, removals: 24)) == nil)
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
