import Foundation
import TenantModel

/// `tenantsync report --json`: the shape DESIGN 4.3 fixes, keys sorted, dates ISO 8601, absent values as `null`.
public enum RunJSON {
    /// The JSON document for `report`.
    public static func encode(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(Document(report))
    }

    /// The JSON document as text.
    public static func string(_ report: RunReport) throws -> String {
        String(decoding: try encode(report), as: UTF8.self)
    }

    private struct Document: Encodable {
        let report: RunReport

        init(_ report: RunReport) { self.report = report }

        enum Key: String, CodingKey {
            case runId, startedAt, finishedAt, mode, dryRun, outcome, users, groups, licenses, findings, `guard`
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(report.runId, forKey: .runId)
            try container.encode(report.startedAt, forKey: .startedAt)
            try container.encode(report.finishedAt, forKey: .finishedAt)
            try container.encode(report.mode, forKey: .mode)
            try container.encode(report.dryRun, forKey: .dryRun)
            try container.encode(report.outcome, forKey: .outcome)
            try container.encode(report.users, forKey: .users)
            try container.encode(report.groups, forKey: .groups)
            try container.encode(report.licenses, forKey: .licenses)
            try container.encode(report.findings, forKey: .findings)
            // Optional.encode writes an explicit null.
            try container.encode(report.guard, forKey: .guard)
        }
    }
}
