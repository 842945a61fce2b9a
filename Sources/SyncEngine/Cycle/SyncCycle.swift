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
    /// A connection to the directory opened while the store was (`Runtime.runOnce`): the first OpenLDAP read takes it.
    let connection: LDAPConnectionOpening?

    public init(
        context: SyncContext, store: TenantStore, reporter: any RunReportSink, progress: @escaping @Sendable (String) -> Void = { _ in },
        attempts: Int = 3, connection: LDAPConnectionOpening? = nil
    ) {
        self.attempts = max(1, attempts)
        self.connection = connection
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
        // A first sync leaves its WAL for the next run to copy into the file: done while this one reads.
        if !options.dryRun { store.checkpointInBackground() }
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
            // Not needed: a load the read started is not waited for.
            loading.cancel()
            let delta = read.delta
            read.delta = nil
            var planned = plan(
                snapshot: DirectorySnapshot(), delta: consume delta, state: narrow.loaded.state, runId: runId, startedAt: startedAt,
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
        // Into an empty tenant, the users are written as they are planned, and the groups while the licences are.
        let writesUsersEarly = options.writesUsersEarly && !options.dryRun && delta == nil && state.users.isEmpty && state.groups.isEmpty
            && state.groupPaths.isEmpty && state.directAssignments.isEmpty && snapshot.users.count >= TenantStore.bulkLoadUsers
        let early = writesUsersEarly ? store.beginBulkLoad(plannedOn: generation, runId: runId) : nil
        var hooks = PlanningHooks()
        if let early {
            hooks.newUser = { early.add($0, contentHash: $1) }
            hooks.usersPlanned = { users in
                progress("writing the \(users.changes.upsertUsers.count) users while their groups and licences are planned")
                early.closeUsers(users.changes.upsertUsers, contentHashes: users.changes.userContentHashes)
            }
            hooks.groupsPlanned = {
                early.writeGroups($0.changes.upsertGroups, contentHashes: $0.changes.groupContentHashes, memberPlaces: $0.memberPlaces)
            }
            hooks.pathsPlanned = { early.writePaths($0) }
        }
        var planned = plan(
            snapshot: consume snapshot, delta: consume delta, state: consume state, runId: runId, startedAt: startedAt, options: options,
            merged: read.merged, hooks: hooks)
        complete(&planned, from: read)
        if Task.isCancelled {
            early?.abandon()
            return interrupted(runId: runId, startedAt: startedAt, options: options)
        }
        return finish(planned.report, options, changes: planned.changes, plannedOn: generation, final: final, early: early)
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
    ///
    /// With `early`, the write begun with the plan's users is finished (or, when nothing is to be applied, abandoned).
    private func finish(
        _ report: RunReport, _ options: RunOptions, changes: TenantChangeSet?, plannedOn generation: Int64, final: Bool,
        early: PendingBulkLoad? = nil
    ) -> RunReport? {
        guard !options.dryRun, report.runId > 0, let changes, report.outcome == .success || report.outcome == .completedWithErrors
        else {
            early?.abandon()
            return finish(report, options)
        }
        var report = report
        report.finishedAt = Date()
        do {
            if let early {
                try early.finish(changes, report: report)
            } else {
                try store.apply(changes, report: report, plannedOn: generation)
            }
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
