import Foundation
import TenantModel

/// Turns a run into the journal entries DESIGN 4.2 fixes: a start entry, one entry per finding (capped), an `err`
/// entry for a failure or a guard stop, and one summary entry. Pure: it builds entries and sends nothing.
public struct RunJournal: Sendable, Hashable {
    /// The identifier every entry carries.
    public static let syslogIdentifier = "tenantsync"
    /// Findings written per run unless configured otherwise.
    public static let defaultFindingsCap = 100

    /// At most this many finding entries per run; the summary says how many were left out.
    public var findingsCap: Int

    public init(findingsCap: Int = RunJournal.defaultFindingsCap) {
        self.findingsCap = max(0, findingsCap)
    }

    /// The entry written when a run begins.
    public func startEntry(runId: Int64, mode: SyncMode, dryRun: Bool) -> JournalEntry {
        var entry = baseEntry(
            runId: runId, priority: .info, messageID: JournalMessageID.runStarted,
            message: "run \(runId) started: \(mode.rawValue) sync\(dryRun ? ", dry run" : "")"
        )
        entry.append("TENANTSYNC_MODE", mode.rawValue)
        entry.append("TENANTSYNC_DRY_RUN", String(dryRun))
        return entry
    }

    /// The entries for a finished run, in the order they are sent: findings (licence errors before advice, capped),
    /// then the failure or guard stop, then the summary.
    public func entries(for report: RunReport) -> [JournalEntry] {
        var entries = writtenFindings(of: report).map { findingEntry($0, runId: report.runId) }
        if let stop = report.guard {
            entries.append(baseEntry(
                runId: report.runId, priority: .error, messageID: JournalMessageID.stoppedByGuard,
                message: "run \(report.runId) stopped by the safety guard, nothing applied: \(stop.reason)"
            ))
        }
        if let failure = report.failure {
            entries.append(baseEntry(
                runId: report.runId, priority: .error, messageID: JournalMessageID.runFailed,
                message: "run \(report.runId) failed, nothing applied: \(failure)"
            ))
        }
        entries.append(summaryEntry(for: report))
        return entries
    }

    /// The one summary entry of a run (`MESSAGE_ID` "run finished").
    public func summaryEntry(for report: RunReport) -> JournalEntry {
        var entry = baseEntry(
            runId: report.runId, priority: Self.summaryPriority(report.outcome), messageID: JournalMessageID.runFinished,
            message: Self.summaryMessage(report)
        )
        let counts: [(String, Int)] = [
            ("TENANTSYNC_USERS_ADDED", report.users.added),
            ("TENANTSYNC_USERS_UPDATED", report.users.updated),
            ("TENANTSYNC_USERS_DELETED", report.users.deleted),
            ("TENANTSYNC_USERS_QUARANTINED", report.users.quarantined),
            ("TENANTSYNC_GROUPS_ADDED", report.groups.added),
            ("TENANTSYNC_GROUPS_UPDATED", report.groups.updated),
            ("TENANTSYNC_GROUPS_DELETED", report.groups.deleted),
            ("TENANTSYNC_GROUPS_QUARANTINED", report.groups.quarantined),
            ("TENANTSYNC_LICENSES_ASSIGNED", report.licenses.assigned),
            ("TENANTSYNC_LICENSES_REMOVED", report.licenses.removed),
            ("TENANTSYNC_LICENSE_ERRORS", report.licenses.errors),
            ("TENANTSYNC_USERS_TOTAL", report.userTotal),
            ("TENANTSYNC_DURATION_MS", Self.milliseconds(report.duration)),
            ("TENANTSYNC_FINDINGS", report.findings.count),
            ("TENANTSYNC_FINDINGS_CAP", findingsCap),
            ("TENANTSYNC_FINDINGS_OMITTED", max(0, report.findings.count - findingsCap)),
        ]
        entry.append("TENANTSYNC_OUTCOME", report.outcome.rawValue)
        entry.append("TENANTSYNC_MODE", report.mode.rawValue)
        entry.append("TENANTSYNC_DRY_RUN", String(report.dryRun))
        for (name, value) in counts {
            entry.append(name, String(value))
        }
        return entry
    }

    /// The entry for one finding.
    public func findingEntry(_ finding: Finding, runId: Int64) -> JournalEntry {
        var entry = baseEntry(
            runId: runId, priority: .warning, messageID: JournalMessageID.finding(finding.kind),
            message: Self.findingMessage(finding)
        )
        entry.append("TENANTSYNC_ERROR", finding.kind.rawValue)
        entry.append("TENANTSYNC_USER", finding.userPrincipalName)
        // Every finding entry carries all four fields, empty where one does not apply, so filters and catalog
        // texts can rely on them.
        entry.append("TENANTSYNC_SKU", finding.skuPartNumber ?? "")
        entry.append("TENANTSYNC_GROUP", finding.group ?? "")
        return entry
    }

    /// The findings that get an entry: licence errors first (they need action), then advice, each in report order.
    func writtenFindings(of report: RunReport) -> [Finding] {
        let errors = report.findings.filter(\.kind.isError)
        let advice = report.findings.filter { !$0.kind.isError }
        return Array((errors + advice).prefix(findingsCap))
    }

    private func baseEntry(runId: Int64, priority: JournalPriority, messageID: String, message: String) -> JournalEntry {
        JournalEntry([
            ("MESSAGE", message),
            ("MESSAGE_ID", messageID),
            ("PRIORITY", priority.fieldValue),
            ("SYSLOG_IDENTIFIER", Self.syslogIdentifier),
            ("TENANTSYNC_RUN_ID", String(runId)),
        ])
    }

    static func summaryPriority(_ outcome: RunOutcome) -> JournalPriority {
        switch outcome {
        case .success: .info
        case .completedWithErrors: .warning
        case .failed, .stoppedByGuard: .error
        }
    }

    /// A duration as `0.9 s`, as `printf("%.1f s")` writes it; negative as zero. Through C's `vsnprintf`, not
    /// `String(format:)`, whose first use in a process sets up Foundation's formatting (1 ms of a delta).
    public static func seconds(_ duration: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = withVaList([max(0, duration)]) { arguments in vsnprintf(&buffer, buffer.count, "%.1f s", arguments) }
        return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }

    /// `run 42 finished: 100012 users (+12 ~3 -1), licenses +25 -2, 6 errors, 0.9 s`
    /// The one-line human summary of a run (also the daemon's sd_notify STATUS).
    public static func summaryMessage(_ report: RunReport) -> String {
        let users = report.users, licenses = report.licenses
        var text = "run \(report.runId) finished: \(report.userTotal) users (+\(users.added) ~\(users.updated) -\(users.deleted))"
        text += ", licenses +\(licenses.assigned) -\(licenses.removed), \(licenses.errors) errors"
        text += ", " + Self.seconds(report.duration)
        if report.dryRun { text += ", dry run" }
        switch report.outcome {
        case .success, .completedWithErrors: break
        case .failed: text += "; failed, nothing applied"
        case .stoppedByGuard: text += "; stopped by the guard, nothing applied"
        }
        return text
    }

    /// `CountViolation: alice@corp.example.org, INTUNE_A, group Intune Users: no free seat`
    static func findingMessage(_ finding: Finding) -> String {
        var subject = finding.userPrincipalName.isEmpty ? [] : [finding.userPrincipalName]
        if let sku = finding.skuPartNumber { subject.append(sku) }
        if let group = finding.group { subject.append("group \(group)") }
        return "\(finding.kind.rawValue): \(subject.joined(separator: ", ")): \(finding.detail)"
    }

    static func milliseconds(_ interval: TimeInterval) -> Int {
        Int((max(0, interval) * 1000).rounded())
    }
}
