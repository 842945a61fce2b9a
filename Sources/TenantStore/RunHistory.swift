import Foundation
import GRDB
import TenantModel

/// Stores run reports: the counts as columns (for queries), the whole report as JSON text.
enum RunHistory {
    /// The report as its row stores it.
    static func json(_ report: RunReport) throws -> String {
        String(decoding: try ColumnCoding.reportEncoder().encode(report), as: UTF8.self)
    }

    /// `json` is `json(report)` when made already.
    static func insert(_ report: RunReport, json made: String? = nil, _ db: Database) throws {
        let json = try made ?? Self.json(report)
        try db.execute(sql: """
            INSERT INTO runs (id, startedAt, finishedAt, mode, dryRun, outcome,
                usersAdded, usersUpdated, usersDeleted, usersQuarantined, groupsAdded, groupsUpdated, groupsDeleted,
                licensesAssigned, licensesRemoved, licenseErrors, findingCount, userTotal, report)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                report.runId, ColumnCoding.seconds(report.startedAt), ColumnCoding.seconds(report.finishedAt),
                report.mode.rawValue, report.dryRun, report.outcome.rawValue,
                report.users.added, report.users.updated, report.users.deleted, report.users.quarantined,
                report.groups.added, report.groups.updated, report.groups.deleted,
                report.licenses.assigned, report.licenses.removed, report.licenses.errors,
                report.findings.count, report.userTotal, json,
            ])
    }

    static func report(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> RunReport? {
        guard let json = try String.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
        do {
            return try ColumnCoding.reportDecoder().decode(RunReport.self, from: Data(json.utf8))
        } catch {
            throw StoreError(operation: "read run report", message: "stored report does not decode: \(error)")
        }
    }
}
