import Foundation
import TenantModel

/// Run reports for the tests, with a run id of their own so parallel tests never read each other's entries.
enum ReportFixtures {
    static let started = Date(timeIntervalSince1970: 1_795_723_200) // 2026-11-26T20:00:00Z

    static func uniqueRunId() -> Int64 {
        Int64.random(in: 1_000_000...9_000_000_000)
    }

    static func finding(_ index: Int, kind: FindingKind = .countViolation) -> Finding {
        Finding(
            kind: kind, userPrincipalName: "user\(index)@corp.example.org", skuPartNumber: "INTUNE_A",
            group: "Intune Users", detail: "no free seat (25 of 25 taken)"
        )
    }

    static func report(runId: Int64, findings: [Finding] = [], outcome: RunOutcome = .completedWithErrors) -> RunReport {
        RunReport(
            runId: runId, startedAt: started, finishedAt: started.addingTimeInterval(0.9), mode: .delta, dryRun: false,
            outcome: outcome,
            users: ObjectCounts(added: 12, updated: 3, deleted: 1, quarantined: 2),
            groups: ObjectCounts(added: 4, updated: 5, deleted: 6, quarantined: 7),
            licenses: LicenseCounts(assigned: 25, removed: 2, errors: 6),
            findings: findings, userTotal: 100_012
        )
    }
}
