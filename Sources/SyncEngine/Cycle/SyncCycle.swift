import DirectoryMapping
import Foundation
import LDAPClient
import Reporting
import TenantModel
import TenantStore

/// One sync cycle: read → map → match → evaluate → guard → apply → report. Only this type does I/O; every step
/// between the read and the apply is a pure function over values.
public struct SyncCycle: Sendable {
    public let context: SyncContext
    public let store: TenantStore
    public let reporter: any RunReportSink
    /// Receives progress lines (entries read, phase) for a terminal.
    public let progress: @Sendable (String) -> Void
    /// How many times a run plans before it plans under the store's write lock (see `run`).
    let attempts: Int

    public init(
        context: SyncContext, store: TenantStore, reporter: any RunReportSink, progress: @escaping @Sendable (String) -> Void = { _ in },
        attempts: Int = 3
    ) {
        self.attempts = max(1, attempts)
        self.context = context
        self.store = store
        self.reporter = reporter
        self.progress = progress
    }

    /// Runs one cycle and returns its report; the report is stored (unless dry run) and sent to the reporter.
    ///
    /// The stored state loads on its own thread while the directory is read: a full read does not need it.
    public func run(_ options: RunOptions) async -> RunReport {
        let startedAt = Date()
        let start: (position: SyncPosition?, nextRunId: Int64)
        do {
            start = try store.loadRunStart()
        } catch {
            return finish(failedReport(runId: 0, startedAt: startedAt, options: options, reason: "cannot read the tenant store: \(error)"), options)
        }
        let runId = start.nextRunId
        let mode = plannedMode(position: start.position, options: options, now: startedAt)
        reporter.runStarted(runId: runId, mode: mode, dryRun: options.dryRun)
        // Another command (`license assign`, `import-tenant`) may write to the store while this run plans: the plan
        // is then stale, so it is made again from the directory and the fresh state. The last attempt plans under
        // the store's write lock, so a stream of such writes cannot starve the run.
        for number in 1...attempts {
            if let report = await attempt(
                runId: runId, mode: mode, position: start.position, startedAt: startedAt, options: options,
                final: number == attempts, underLock: number == attempts && number > 1)
            {
                return report
            }
            progress("the tenant changed while this run planned (another command wrote to it); planning again")
        }
        preconditionFailure("the final attempt always reports")
    }

    /// Reads, plans and applies once; nil when another command changed the tenant meanwhile, unless `final`.
    /// `underLock` plans on the state read inside the write transaction that applies the plan.
    private func attempt(
        runId: Int64, mode: SyncMode, position: SyncPosition?, startedAt: Date, options: RunOptions, final: Bool,
        underLock: Bool
    ) async -> RunReport? {
        // The state goes into a slot rather than being the task's value: a task keeps its value as long as it lives.
        // A full read needs it at its end, so it loads meanwhile; a delta may do with a narrow state instead, and so
        // may an OpenLDAP full read that finds nothing changed (it starts the load at the first changed entry).
        let skipsUnchanged = context.config.directory.schema == .openldap && options.trustContentHashes
        let loading = StateLoad(store: store, startNow: mode == .full && !skipsUnchanged)
        let slot = loading.slot
        let stateSource = StateSource(
            wait: {
                do { try await loading.wait() } catch { throw StateLoadFailure(underlying: error) }
                return slot.peek()
            },
            usersIfLoaded: { slot.usersIfLoaded() }, start: { loading.start() })
        progress("reading the directory")
        var read: DirectoryRead
        do {
            read = try await readDirectory(position: position, state: stateSource, options: options, now: startedAt)
        } catch let failure as StateLoadFailure {
            return finish(failedReport(runId: 0, startedAt: startedAt, options: options, reason: "cannot read the tenant store: \(failure.underlying)"), options)
        } catch {
            loading.cancel()
            if Task.isCancelled { return interrupted(runId: runId, startedAt: startedAt, options: options) }
            var report = failedReport(runId: runId, startedAt: startedAt, options: options, reason: "directory read failed: \(error)")
            report.mode = mode
            return finish(report, options)
        }
        // The last attempt, under the write lock, plans on the whole state it reads there.
        if let narrow = read.narrow, !(underLock && !options.dryRun) {
            let changed = read.delta.map { "\($0.users.count) changed users, \($0.deletedAnchors.count) deleted entries" } ?? ""
            progress("delta read: \(changed); planning on the \(narrow.loaded.state.users.count) users it concerns")
            var planned = plan(
                snapshot: DirectorySnapshot(), delta: read.delta, state: narrow.loaded.state, runId: runId, startedAt: startedAt,
                options: options, narrow: narrow)
            complete(&planned, from: read)
            if Task.isCancelled { return interrupted(runId: runId, startedAt: startedAt, options: options) }
            return finish(planned.report, options, changes: planned.changes, plannedOn: narrow.loaded.state.generation, final: final)
        }
        let state: TenantState
        do {
            try await loading.wait()
            state = slot.take()
        } catch {
            return finish(failedReport(runId: 0, startedAt: startedAt, options: options, reason: "cannot read the tenant store: \(error)"), options)
        }
        if Task.isCancelled { return interrupted(runId: runId, startedAt: startedAt, options: options) }
        if let delta = read.delta {
            progress("delta read: \(delta.users.count) changed users, \(delta.deletedAnchors.count) deleted entries; planning")
        } else {
            progress("\(read.mode) read: \(read.snapshot.users.count) users, \(read.snapshot.groups.count) groups; planning")
        }
        let generation = state.generation
        let snapshot = read.snapshot
        read.snapshot = DirectorySnapshot()
        let delta = read.delta
        read.delta = nil
        if underLock && !options.dryRun {
            _ = consume state  // planned again on the state read under the lock
            if Task.isCancelled { return interrupted(runId: runId, startedAt: startedAt, options: options) }
            return planAndApplyUnderLock(snapshot: snapshot, delta: delta, read: read, runId: runId, startedAt: startedAt, options: options)
        }
        var planned = plan(
            snapshot: consume snapshot, delta: consume delta, state: consume state, runId: runId, startedAt: startedAt, options: options,
            merged: read.merged)
        complete(&planned, from: read)
        if Task.isCancelled { return interrupted(runId: runId, startedAt: startedAt, options: options) }
        return finish(planned.report, options, changes: planned.changes, plannedOn: generation, final: final)
    }

    /// What the read adds to a plan: the mode, the quarantines a delta carries, the position to save.
    private func complete(_ planned: inout (report: RunReport, changes: TenantChangeSet?), from read: DirectoryRead) {
        planned.report.mode = read.mode
        if read.mode == .delta { carryQuarantines(read.earlierQuarantines, into: &planned.report, unless: read.changedDNs) }
        planned.changes?.position = read.position
        planned.changes?.clearPosition = read.clearPosition
    }

    /// Loads the state, plans and applies in one write transaction: no other writer can come between.
    private func planAndApplyUnderLock(
        snapshot: DirectorySnapshot, delta: SyncRead?, read: DirectoryRead, runId: Int64, startedAt: Date, options: RunOptions
    ) -> RunReport {
        var report: RunReport
        do {
            report = try store.planAndApply { state in
                var planned = plan(
                    snapshot: snapshot, delta: delta, state: state, runId: runId, startedAt: startedAt, options: options, merged: read.merged)
                complete(&planned, from: read)
                planned.report.finishedAt = Date()
                let applies = planned.report.outcome == .success || planned.report.outcome == .completedWithErrors
                return (planned.report, applies ? planned.changes : nil)
            }
        } catch {
            report = failedReport(runId: runId, startedAt: startedAt, options: options, reason: "applying the plan failed, nothing was changed: \(error)")
            report.mode = read.mode
            try? store.recordRun(report)
        }
        reporter.report(report)
        return report
    }

    /// The pure middle of the cycle: from a snapshot (or a delta the planner takes as it is) and the stored state to
    /// the changes and the report. Both are consumed: the snapshot is released once the directory is planned, the
    /// state's users and groups too.
    ///
    /// With `narrow`, `state` is the narrow state of a delta: the tenant's totals come from it, and only the loaded
    /// users' licences are evaluated, with the seats the others hold counted as taken.
    func plan(
        snapshot: consuming DirectorySnapshot, delta: consuming SyncRead? = nil, state: consuming TenantState, runId: Int64,
        startedAt: Date, options: RunOptions, narrow: NarrowDelta? = nil, merged: Bool = false
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
        if let delta = delta.take() {
            (directoryPlan, readUserCount) = planner.planDelta(consume delta, users: consume users, state: state)
            readUserCount += unloadedWithDN
        } else {
            directoryPlan = planner.plan(snapshot: consume snapshot, users: consume users, state: state)
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
                subscriptions: subscriptions, heldElsewhere: narrow?.heldElsewhere ?? [:], now: now))
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
    private func carryQuarantines(_ earlier: [Finding], into report: inout RunReport, unless changedDNs: Set<String>) {
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

    /// Shutting down before the apply: the read and plan are thrown away and nothing, not even the run, is written.
    private func interrupted(runId: Int64, startedAt: Date, options: RunOptions) -> RunReport {
        let report = failedReport(runId: runId, startedAt: startedAt, options: options, reason: "stopped before applying: shutting down")
        reporter.report(report)
        return report
    }

    private func failedReport(runId: Int64, startedAt: Date, options: RunOptions, reason: String) -> RunReport {
        RunReport(
            runId: runId, startedAt: startedAt, finishedAt: Date(), mode: .full, dryRun: options.dryRun, outcome: .failed,
            failure: reason)
    }

    /// Records a run that applies nothing (unless dry run) and reports it.
    private func finish(_ report: RunReport, _ options: RunOptions) -> RunReport {
        var report = report
        report.finishedAt = Date()
        if !options.dryRun && report.runId > 0 {
            do {
                try store.recordRun(report)
            } catch {
                report.failure = (report.failure.map { $0 + "; " } ?? "") + "the run could not be recorded: \(error)"
            }
        }
        reporter.report(report)
        return report
    }

    /// Applies a planned run (unless dry run or its outcome says not to), records it, and reports it. The changes are
    /// applied only if the store is still at `generation`, the one they were planned on; otherwise nil comes back for
    /// another attempt, unless this was the `final` one.
    private func finish(
        _ report: RunReport, _ options: RunOptions, changes: TenantChangeSet?, plannedOn generation: Int64, final: Bool
    ) -> RunReport? {
        guard !options.dryRun, report.runId > 0, let changes, report.outcome == .success || report.outcome == .completedWithErrors
        else { return finish(report, options) }
        var report = report
        report.finishedAt = Date()
        do {
            try store.apply(changes, report: report, plannedOn: generation)
        } catch is TenantChangedError where !final {
            return nil
        } catch {
            report.outcome = .failed
            report.failure = "applying the plan failed, nothing was changed: \(error)"
            try? store.recordRun(report)
        }
        reporter.report(report)
        return report
    }
}
