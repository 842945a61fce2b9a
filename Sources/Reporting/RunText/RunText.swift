import Foundation
import TenantModel

/// `tenantsync report` for people: outcome, counts, the guard or failure reason, and findings grouped by kind
/// with the users, licences and groups involved.
public enum RunText {
    /// The readable report (ends with a newline).
    public static func render(_ report: RunReport) -> String {
        var lines: [String] = []
        let flags = [report.mode.rawValue] + (report.dryRun ? ["dry run"] : [])
        lines.append("Run \(report.runId) (\(flags.joined(separator: ", "))): \(outcomeText(report.outcome))")
        lines.append("Started   \(report.startedAt.formatted(.iso8601))")
        lines.append("Finished  \(report.finishedAt.formatted(.iso8601)) (\(RunJournal.seconds(report.duration)))")
        lines.append("Users in scope: \(report.userTotal)")
        lines.append("")
        lines.append(contentsOf: countsTable(report))
        lines.append("")
        lines.append("Licenses: \(report.licenses.assigned) assigned, \(report.licenses.removed) removed, \(report.licenses.errors) errors")
        if let stop = report.guard {
            lines.append("")
            lines.append("Stopped by the safety guard, nothing applied: \(stop.reason)")
        }
        if let failure = report.failure {
            lines.append("")
            lines.append("Failed, nothing applied: \(failure)")
        }
        lines.append("")
        lines.append(contentsOf: findingLines(report.findings))
        return lines.joined(separator: "\n") + "\n"
    }

    static func outcomeText(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .success: "success"
        case .completedWithErrors: "completed with errors"
        case .failed: "failed"
        case .stoppedByGuard: "stopped by guard"
        }
    }

    private static func countsTable(_ report: RunReport) -> [String] {
        let header = ["", "added", "updated", "deleted", "quarantined"]
        func row(_ name: String, _ counts: ObjectCounts) -> [String] {
            let numbers: [Int] = [counts.added, counts.updated, counts.deleted, counts.quarantined]
            return [name] + numbers.map(String.init)
        }
        let table: [[String]] = [header, row("Users", report.users), row("Groups", report.groups)]
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }

    private static func findingLines(_ findings: [Finding]) -> [String] {
        guard !findings.isEmpty else { return ["No findings."] }
        var lines = ["Findings (\(findings.count)):"]
        let grouped = Dictionary(grouping: findings, by: \.kind)
        for kind in FindingKind.allCases {
            guard let ofKind = grouped[kind] else { continue }
            let users = Set(ofKind.map(\.userPrincipalName)).count
            let groups = Set(ofKind.compactMap(\.group)).sorted()
            var heading = "  \(kind.rawValue) (\(ofKind.count), \(users) user\(users == 1 ? "" : "s")"
            if !groups.isEmpty { heading += "; groups: " + groups.joined(separator: ", ") }
            lines.append(heading + ")")
            for finding in ofKind.sorted(by: { ($0.userPrincipalName, $0.skuPartNumber ?? "") < ($1.userPrincipalName, $1.skuPartNumber ?? "") }) {
                var subject = finding.userPrincipalName
                if let sku = finding.skuPartNumber { subject += " " + sku }
                if let group = finding.group { subject += " via \(group)" }
                lines.append("    \(subject): \(finding.detail)")
            }
        }
        return lines
    }
}
