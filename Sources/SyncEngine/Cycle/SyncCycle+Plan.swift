import DirectoryMapping
import Foundation
import Licensing
import TenantModel
import TenantStore

extension SyncCycle {
    /// The pure middle of the cycle: from a snapshot (or a delta the planner takes as it is) and the stored state to
    /// the changes and the report. Both are consumed: the snapshot is released once the directory is planned, the
    /// state's users and groups too.
    ///
    /// With `narrow`, `state` is the narrow state of a delta: the tenant's totals come from it, and only the loaded
    /// users' licences are evaluated, with the seats the others hold counted as taken.
    ///
    /// For a whole snapshot, `hooks` learn of each new user of a tenant without users as it is made, of the users
    /// once they are planned, of the groups once they are, before the licences are, and of the licence paths once
    /// evaluated (see `DirectoryPlanner.plan`).
    func plan(
        snapshot: consuming DirectorySnapshot, delta: consuming SyncRead? = nil, state: consuming TenantState, runId: Int64,
        startedAt: Date, options: RunOptions, narrow: NarrowDelta? = nil, merged: Bool = false, hooks: PlanningHooks = PlanningHooks()
    ) -> (report: RunReport, changes: TenantChangeSet?) {
        let now = startedAt
        var readUserCount = snapshot.users.count + snapshot.quarantined.count
        let loadedSyncedBefore = state.users.count { $0.onPremisesSyncEnabled && !$0.isDeleted }
        let syncedBefore = narrow?.loaded.totals.liveSyncedUsers ?? loadedSyncedBefore
        let groupsBefore = narrow?.loaded.totals.groups ?? state.groups.count
        // Users a narrow state did not load are unchanged: the merged directory lists them all.
        let loadedWithDNBefore = state.users.count { $0.onPremisesSyncEnabled && !$0.isDeleted && $0.onPremisesDistinguishedName != nil }
        let withDNBefore = narrow?.loaded.totals.liveSyncedUsersWithDN ?? loadedWithDNBefore
        let unloadedWithDN = withDNBefore - loadedWithDNBefore
        let loadedActiveBefore = state.groupPaths.count { $0.state == .active }
        let activeBefore = narrow?.loaded.totals.activePaths ?? loadedActiveBefore
        let users = state.users
        state.users = []
        let planner = DirectoryPlanner(softMatch: context.config.sync.softMatch, runId: runId, now: now, recordsGroupDigests: !merged)
        var directoryPlan: DirectoryPlan
        let snapshotPlanned = delta == nil
        if let delta = delta.take() {
            (directoryPlan, readUserCount) = planner.planDelta(consume delta, users: consume users, state: state)
            readUserCount += unloadedWithDN
        } else {
            directoryPlan = planner.plan(
                snapshot: consume snapshot, users: consume users, state: state, usersPlanned: hooks.usersPlanned, newUser: hooks.newUser)
            hooks.groupsPlanned(directoryPlan)
        }
        state.groups = []
        let purged = Set(directoryPlan.changes.purgeUserIds)
        let subscriptions = context.seats(stored: state.subscriptions)
        let licensing = LicensingStep(context: context)
        // The input is a temporary: kept, it would hold on to the planned users, which the usage locations then
        // change in a copy of them all.
        let outcome = licensing.evaluate(
            licensing.input(
                users: directoryPlan.users, groups: directoryPlan.groups,
                directAssignments: purged.isEmpty ? state.directAssignments : state.directAssignments.filter { !purged.contains($0.userId) },
                previousGroupPaths: purged.isEmpty ? state.groupPaths : state.groupPaths.filter { !purged.contains($0.userId) },
                subscriptions: subscriptions, heldElsewhere: narrow?.heldElsewhere ?? [:], rules: narrow?.rules, now: now))
        if snapshotPlanned { hooks.pathsPlanned(outcome.upsertPaths) }
        applyUsageLocations(outcome.result.usageLocationUpdates, to: &directoryPlan)

        var changes = directoryPlan.changes
        changes.upsertPaths = outcome.upsertPaths
        changes.deletePaths = outcome.deletePaths
        if subscriptions != state.subscriptions { changes.subscriptions = subscriptions }
        changes.partialMemberLists = narrow != nil

        let plannedSynced = directoryPlan.users.count { $0.onPremisesSyncEnabled && !$0.isDeleted }
        let plannedWithDN = directoryPlan.users.count { $0.onPremisesSyncEnabled && !$0.isDeleted && $0.onPremisesDistinguishedName != nil }
        let totalsAfter = TenantTotals(
            liveSyncedUsers: syncedBefore - loadedSyncedBefore + plannedSynced,
            liveSyncedUsersWithDN: unloadedWithDN + plannedWithDN,
            groups: groupsBefore + directoryPlan.groupCounts.added - directoryPlan.groupCounts.deleted,
            activePaths: activeBefore - loadedActiveBefore + outcome.result.groupPaths.count { $0.state == .active })
        changes.licensingBasis = LicensingBasis(
            fingerprint: context.licensingFingerprint, consumedUnits: outcome.result.consumedUnits, totals: totalsAfter)
        var report = RunReport(
            runId: runId, startedAt: startedAt, finishedAt: Date(), mode: .full, dryRun: options.dryRun, outcome: .success,
            users: directoryPlan.userCounts, groups: directoryPlan.groupCounts, licenses: outcome.counts,
            findings: directoryPlan.findings + outcome.ruleFindings + outcome.result.findings,
            userTotal: totalsAfter.liveSyncedUsers)

        let limits = context.config.sync.guard
        let safety = SafetyGuard(
            maxDeletes: limits.maxDeletes.limit(ofTotal: syncedBefore + groupsBefore),
            maxLicenseRemovals: limits.maxLicenseRemovals.limit(ofTotal: activeBefore), allowDeletes: options.allowDeletes)
        if let stop = safety.check(
            SafetyGuard.Plan(
                readUserCount: readUserCount, syncedUsersBefore: syncedBefore,
                userDeletes: directoryPlan.userCounts.deleted, groupDeletes: directoryPlan.groupCounts.deleted,
                licenseRemovals: outcome.counts.removed))
        {
            report.outcome = .stoppedByGuard
            report.guard = stop
            return (report, nil)
        }
        report.outcome = report.findings.contains(where: \.isLicenseError) ? .completedWithErrors : .success
        return (report, changes)
    }

    /// A delta does not see unchanged entries, so the quarantines of the last applied run stand unless their entry
    /// was brought or read again (`recheckQuarantines`). A run that applied nothing (failed, stopped by the guard)
    /// leaves them as they were.
    func carryQuarantines(_ earlier: [Finding], into report: inout RunReport, unless changedDNs: Set<String>) {
        let carried = earlier.filter { finding in
            guard let dn = finding.quarantinedDN else { return false }
            return !changedDNs.contains(dn)
        }
        guard !carried.isEmpty else { return }
        report.findings = carried + report.findings
        report.users.quarantined += carried.count
        if report.outcome == .success && carried.contains(where: \.isLicenseError) { report.outcome = .completedWithErrors }
    }

    /// The tenant default location is written to users that get a group licence and have none.
    private func applyUsageLocations(_ updates: [String: String], to plan: inout DirectoryPlan) {
        guard !updates.isEmpty else { return }
        // A first sync upserts every user in plan order: then positions agree and no table is needed.
        let aligned = plan.changes.upsertUsers.count == plan.users.count
            && plan.users.indices.allSatisfy { plan.users[$0].id == plan.changes.upsertUsers[$0].id }
        if aligned {
            // Often one array shared by both: changed once, and shared again, rather than copied on the first change.
            plan.users = []
            for position in plan.changes.upsertUsers.indices {
                let user = plan.changes.upsertUsers[position]
                guard user.usageLocation == nil, let location = updates[user.id] else { continue }
                plan.changes.upsertUsers[position].usageLocation = location
            }
            plan.users = plan.changes.upsertUsers
            return
        }
        var upsertPosition: [String: Int] = [:]
        for (position, user) in plan.changes.upsertUsers.enumerated() { upsertPosition[user.id] = position }
        for position in plan.users.indices {
            guard let location = plan.users[position].usageLocation == nil ? updates[plan.users[position].id] : nil else { continue }
            plan.users[position].usageLocation = location
            if let upsert = upsertPosition[plan.users[position].id] {
                plan.changes.upsertUsers[upsert].usageLocation = location
            } else {
                plan.changes.upsertUsers.append(plan.users[position])
            }
        }
    }
}

/// What a caller of `SyncCycle.plan` learns while a whole snapshot is planned: a first sync writes its users,
/// groups and licence paths while the rest is still planned.
struct PlanningHooks {
    /// Each user made for a tenant without users, with the digest of its entry, in the order of `changes.upsertUsers`.
    var newUser: ((TenantUser, Int64?) -> Void)?
    /// The plan once its users are final.
    var usersPlanned: (DirectoryPlan) -> Void = { _ in }
    /// The plan once its groups are final too (`changes.upsertGroups` and their digests), before the licences.
    var groupsPlanned: (DirectoryPlan) -> Void = { _ in }
    /// The licence paths to write (`changes.upsertPaths`), once evaluated.
    var pathsPlanned: ([LicensePath]) -> Void = { _ in }
}
