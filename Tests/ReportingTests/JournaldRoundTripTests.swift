import Foundation
import Logging
import Reporting
import TenantModel
import TestSupport
import Testing

/// Entries sent to a real journald (started privately by `JournaldServer`) and read back with `journalctl`.
@Suite struct JournaldRoundTripTests {
    @Test func summaryFieldsReadBack() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let runId = ReportFixtures.uniqueRunId()
        let reporter = RunReporter(writer: try JournalWriter(socketPath: journald.socketPath))
        reporter.runStarted(runId: runId, mode: .delta, dryRun: false)
        reporter.report(ReportFixtures.report(runId: runId))

        let summary = try #require(try await journald.waitForEntries(
            matching: ["TENANTSYNC_RUN_ID": String(runId), "MESSAGE_ID": JournalMessageID.runFinished], count: 1
        ).first)
        let expected: [String: String] = [
            "SYSLOG_IDENTIFIER": "tenantsync", "PRIORITY": "4",
            "MESSAGE": "run \(runId) finished: 100012 users (+12 ~3 -1), licenses +25 -2, 6 errors, 0.9 s",
            "TENANTSYNC_OUTCOME": "completedWithErrors", "TENANTSYNC_MODE": "delta", "TENANTSYNC_DRY_RUN": "false",
            "TENANTSYNC_USERS_ADDED": "12", "TENANTSYNC_USERS_UPDATED": "3", "TENANTSYNC_USERS_DELETED": "1",
            "TENANTSYNC_USERS_QUARANTINED": "2", "TENANTSYNC_GROUPS_ADDED": "4", "TENANTSYNC_GROUPS_UPDATED": "5",
            "TENANTSYNC_GROUPS_DELETED": "6", "TENANTSYNC_GROUPS_QUARANTINED": "7", "TENANTSYNC_LICENSES_ASSIGNED": "25",
            "TENANTSYNC_LICENSES_REMOVED": "2", "TENANTSYNC_LICENSE_ERRORS": "6", "TENANTSYNC_DURATION_MS": "900",
            "TENANTSYNC_FINDINGS_CAP": "100", "TENANTSYNC_FINDINGS_OMITTED": "0",
        ]
        for (field, value) in expected {
            #expect(summary[field] == value, "field \(field)")
        }
        let start = try await journald.waitForEntries(
            matching: ["TENANTSYNC_RUN_ID": String(runId), "MESSAGE_ID": JournalMessageID.runStarted], count: 1
        )
        #expect(start.first?["MESSAGE"] == "run \(runId) started: delta sync")
    }

    @Test func oneWarningEntryPerFinding() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let runId = ReportFixtures.uniqueRunId()
        let findings = [
            Finding(kind: .countViolation, userPrincipalName: "ann@corp.example.org", skuPartNumber: "INTUNE_A", group: "Intune Users", detail: "no free seat"),
            Finding(kind: .redundantDirectAssignment, userPrincipalName: "bob@corp.example.org", skuPartNumber: "SPE_E3", group: "E3", detail: "group covers it"),
            Finding(kind: .uniquenessViolation, userPrincipalName: "cy@corp.example.org", detail: "UPN taken"),
        ]
        RunReporter(writer: try JournalWriter(socketPath: journald.socketPath))
            .report(ReportFixtures.report(runId: runId, findings: findings))

        let entries = try await journald.waitForEntries(matching: ["TENANTSYNC_RUN_ID": String(runId), "PRIORITY": "4"], count: 4)
        let perFinding = entries.filter { $0["TENANTSYNC_ERROR"] != nil }
        #expect(perFinding.count == 3)
        let count = try #require(perFinding.first { $0["TENANTSYNC_ERROR"] == "CountViolation" })
        #expect(count["TENANTSYNC_USER"] == "ann@corp.example.org")
        #expect(count["TENANTSYNC_SKU"] == "INTUNE_A")
        #expect(count["TENANTSYNC_GROUP"] == "Intune Users")
        #expect(count["MESSAGE_ID"] == JournalMessageID.finding(.countViolation))
        let redundant = try #require(perFinding.first { $0["TENANTSYNC_ERROR"] == "RedundantDirectAssignment" })
        #expect(redundant["MESSAGE_ID"] == JournalMessageID.finding(.redundantDirectAssignment))
        let unique = try #require(perFinding.first { $0["TENANTSYNC_ERROR"] == "UniquenessViolation" })
        // Fields that do not apply are there, empty: every finding entry has all four.
        #expect(unique["TENANTSYNC_SKU"] == "")
        #expect(unique["TENANTSYNC_GROUP"] == "")
        #expect(unique["TENANTSYNC_USER"] == "cy@corp.example.org")
    }

    @Test func findingsAreCappedAndTheSummarySaysHowManyWereLeftOut() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let runId = ReportFixtures.uniqueRunId()
        let findings = (0..<150).map { ReportFixtures.finding($0) }
        RunReporter(writer: try JournalWriter(socketPath: journald.socketPath), journal: RunJournal(findingsCap: 100))
            .report(ReportFixtures.report(runId: runId, findings: findings))

        let all = try await journald.waitForEntries(matching: ["TENANTSYNC_RUN_ID": String(runId)], count: 101)
        // Give journald time to store anything beyond the cap, had it been sent.
        try await Task.sleep(for: .milliseconds(300))
        let settled = try journald.entries(matching: ["TENANTSYNC_RUN_ID": String(runId)])
        #expect(all.count == 101)
        #expect(settled.filter { $0["TENANTSYNC_ERROR"] == "CountViolation" }.count == 100)
        let summary = try #require(settled.first { $0["MESSAGE_ID"] == JournalMessageID.runFinished })
        #expect(summary["TENANTSYNC_FINDINGS_CAP"] == "100")
        #expect(summary["TENANTSYNC_FINDINGS_OMITTED"] == "50")
    }

    @Test func multiLineValueRoundTripsThroughTheBinarySafeForm() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let marker = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let text = "first line\nsecond line = with equals\n\nlast"
        try JournalWriter(socketPath: journald.socketPath).send(JournalEntry([
            ("MESSAGE", text), ("SYSLOG_IDENTIFIER", "tenantsync"), ("TEST_MARKER", marker), ("DETAIL", "a\nb"),
        ]))
        let entry = try #require(try await journald.waitForEntries(matching: ["TEST_MARKER": marker], count: 1).first)
        #expect(entry["MESSAGE"] == text)
        #expect(entry["DETAIL"] == "a\nb")
    }

    @Test func entryTooLargeForADatagramGoesThroughASealedMemfd() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let marker = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let large = String(repeating: "0123456789abcdef", count: 32 * 1024) // 512 KiB, over the datagram limit
        try JournalWriter(socketPath: journald.socketPath).send(JournalEntry([
            ("MESSAGE", "large entry"), ("TEST_MARKER", marker), ("LARGE", large),
        ]))
        let entry = try #require(try await journald.waitForEntries(matching: ["TEST_MARKER": marker], count: 1).first)
        #expect(entry["LARGE"]?.utf8.count == large.utf8.count)
        let sameValue = entry["LARGE"] == large
        #expect(sameValue)
    }

    @Test func logHandlerMapsLevelAndMetadataToFields() async throws {
        let journald = try JournaldServer()
        defer { journald.stop() }
        let runId = ReportFixtures.uniqueRunId()
        var logger = Logger(label: "tenantsync.test") { label in
            JournalLogHandler(label: label, writer: try? JournalWriter(socketPath: journald.socketPath))
        }
        logger[metadataKey: "tenantsync_run_id"] = "\(runId)"
        logger.warning("seats are short", metadata: ["sku": "INTUNE_A", "ldap.dn": "cn=x,dc=example,dc=org"])

        let entry = try #require(try await journald.waitForEntries(matching: ["TENANTSYNC_RUN_ID": String(runId)], count: 1).first)
        #expect(entry["MESSAGE"] == "seats are short")
        #expect(entry["PRIORITY"] == "4")
        #expect(entry["SYSLOG_IDENTIFIER"] == "tenantsync")
        #expect(entry["SKU"] == "INTUNE_A")
        #expect(entry["LDAP_DN"] == "cn=x,dc=example,dc=org")
        #expect(entry["CODE_FUNC"] != nil)
    }
}
