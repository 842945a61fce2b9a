import Foundation

/// Whether a run read the whole scope or only the changes since the saved position.
public enum SyncMode: String, Sendable, Hashable, Codable {
    case full
    case delta
}

/// How a run ended; also the journal's `TENANTSYNC_OUTCOME`.
public enum RunOutcome: String, Sendable, Hashable, Codable {
    case success
    case completedWithErrors
    case failed
    case stoppedByGuard

    /// The process exit code of `tenantsync --once` for this outcome.
    public var exitCode: Int32 {
        switch self {
        case .success: 0
        case .completedWithErrors: 2
        case .failed: 1
        case .stoppedByGuard: 3
        }
    }
}

/// Counts of object changes in one run.
public struct ObjectCounts: Sendable, Hashable, Codable {
    public var added = 0
    public var updated = 0
    public var deleted = 0
    public var quarantined = 0

    public init(added: Int = 0, updated: Int = 0, deleted: Int = 0, quarantined: Int = 0) {
        self.added = added
        self.updated = updated
        self.deleted = deleted
        self.quarantined = quarantined
    }
}

/// Counts of licence changes in one run.
public struct LicenseCounts: Sendable, Hashable, Codable {
    public var assigned = 0
    public var removed = 0
    public var errors = 0

    public init(assigned: Int = 0, removed: Int = 0, errors: Int = 0) {
        self.assigned = assigned
        self.removed = removed
        self.errors = errors
    }
}

/// Why the safety guard stopped a run.
public struct GuardStop: Sendable, Hashable, Codable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}

/// The record of one sync run, in the shape of `tenantsync report --json`.
public struct RunReport: Sendable, Hashable, Codable {
    public var runId: Int64
    public var startedAt: Date
    public var finishedAt: Date
    public var mode: SyncMode
    public var dryRun: Bool
    public var outcome: RunOutcome
    public var users: ObjectCounts
    public var groups: ObjectCounts
    public var licenses: LicenseCounts
    public var findings: [Finding]
    /// Set when the safety guard stopped the run.
    public var `guard`: GuardStop?
    /// Why the run failed, when it did.
    public var failure: String?
    /// Users in the tenant's scope after the run (synced, not deleted).
    public var userTotal: Int

    public init(
        runId: Int64, startedAt: Date, finishedAt: Date, mode: SyncMode, dryRun: Bool, outcome: RunOutcome,
        users: ObjectCounts = ObjectCounts(), groups: ObjectCounts = ObjectCounts(), licenses: LicenseCounts = LicenseCounts(),
        findings: [Finding] = [], guard guardStop: GuardStop? = nil, failure: String? = nil, userTotal: Int = 0
    ) {
        self.runId = runId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.mode = mode
        self.dryRun = dryRun
        self.outcome = outcome
        self.users = users
        self.groups = groups
        self.licenses = licenses
        self.findings = findings
        self.guard = guardStop
        self.failure = failure
        self.userTotal = userTotal
    }

    public var duration: TimeInterval { finishedAt.timeIntervalSince(startedAt) }
}
