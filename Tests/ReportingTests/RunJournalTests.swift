import Foundation
import Reporting
import TenantModel
import Testing

@Suite struct RunJournalTests {
    @Test func summaryMessageIsTheOneLineHumanForm() {
        let entry = RunJournal().summaryEntry(for: ReportFixtures.report(runId: 42))
        #expect(entry["MESSAGE"] == "run 42 finished: 100012 users (+12 ~3 -1), licenses +25 -2, 6 errors, 0.9 s")
        #expect(entry["MESSAGE_ID"] == JournalMessageID.runFinished)
        #expect(entry["PRIORITY"] == "4")
    }

    /// Durations read as `printf("%.1f s")` writes them.
    @Test(arguments: [0.0, 0.04, 0.05, 0.25, 0.35, 0.949, 0.95, 1.0, 12.34, 59.96, 123.456, -3])
    func secondsAreWrittenAsPrintfWritesThem(duration: Double) {
        #expect(RunJournal.seconds(duration) == String(format: "%.1f s", max(0, duration)))
    }

    @Test func summaryOfARunThatAppliedNothingKeepsTheFinishedFormAndSaysWhy() {
        let failed = RunJournal.summaryMessage(ReportFixtures.report(runId: 10, outcome: .failed))
        #expect(failed.hasPrefix("run 10 finished: "))
        #expect(failed.hasSuffix("; failed, nothing applied"))
        let stopped = RunJournal.summaryMessage(ReportFixtures.report(runId: 11, outcome: .stoppedByGuard))
        #expect(stopped.hasPrefix("run 11 finished: "))
        #expect(stopped.hasSuffix("; stopped by the guard, nothing applied"))
    }

    @Test func aFindingWithoutUserNamesWhatItIsAbout() {
        let rule = Finding(
            kind: .other, userPrincipalName: "", skuPartNumber: "INTUNE_A", group: "Ghost Group", detail: "no group has this name")
        let entry = RunJournal().findingEntry(rule, runId: 3)
        #expect(entry["MESSAGE"] == "Other: INTUNE_A, group Ghost Group: no group has this name")
        #expect(entry["TENANTSYNC_USER"] == "")
    }

    @Test func withoutAJournalSocketTheEntriesGoToStandardErrorWithOneWarning() {
        let lines = LineCollector()
        let reporter = RunReporter(
            destination: .journal, journalSocketPath: "/nonexistent/journal/socket", output: lines.append)
        reporter.runStarted(runId: 5, mode: .delta, dryRun: false)
        reporter.report(ReportFixtures.report(runId: 5, findings: [ReportFixtures.finding(1), ReportFixtures.finding(2)]))
        #expect(lines.lines.count { $0.contains("journal write failed") } == 1, "\(lines.lines)")
        #expect(lines.lines.contains { $0.contains("run 5 finished: ") })
        #expect(lines.lines.count == 1 + 4)  // the warning, the start, two findings, the summary
    }

    @Test func everyEntryCarriesTheCommonFields() {
        let report = ReportFixtures.report(runId: 7, findings: [ReportFixtures.finding(1)])
        var failed = report
        failed.outcome = .failed
        failed.failure = "bind failed"
        let journal = RunJournal()
        let entries = journal.entries(for: failed) + [journal.startEntry(runId: 7, mode: .full, dryRun: true)]
        #expect(entries.count == 4)
        for entry in entries {
            #expect(entry["SYSLOG_IDENTIFIER"] == "tenantsync")
            #expect(entry["TENANTSYNC_RUN_ID"] == "7")
            #expect(entry["PRIORITY"] != nil)
            #expect(entry["MESSAGE"] != nil)
            #expect(entry.fields.allSatisfy { JournalFieldName.isValid($0.name) })
        }
    }

    @Test func messageIdsAreFixedDistinctAnd128Bit() {
        let ids = JournalMessageID.all
        #expect(ids.count == 4 + FindingKind.allCases.count)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }

    @Test func guardStopAndFailureGetAnErrEntryWithTheReason() {
        var stopped = ReportFixtures.report(runId: 9, outcome: .stoppedByGuard)
        stopped.guard = GuardStop(reason: "plan deletes 900 users, guard allows 500")
        var failed = ReportFixtures.report(runId: 10, outcome: .failed)
        failed.failure = "LDAP bind failed: invalid credentials (49)"
        let stoppedEntries = RunJournal().entries(for: stopped)
        let guardEntry = stoppedEntries.first { $0["MESSAGE_ID"] == JournalMessageID.stoppedByGuard }
        #expect(guardEntry?["PRIORITY"] == "3")
        #expect(guardEntry?["MESSAGE"]?.contains("plan deletes 900 users, guard allows 500") == true)
        #expect(stoppedEntries.last?["TENANTSYNC_OUTCOME"] == "stoppedByGuard")
        let failedEntry = RunJournal().entries(for: failed).first { $0["MESSAGE_ID"] == JournalMessageID.runFailed }
        #expect(failedEntry?["PRIORITY"] == "3")
        #expect(failedEntry?["MESSAGE"]?.contains("LDAP bind failed: invalid credentials (49)") == true)
    }

    @Test func cappedFindingsKeepLicenceErrorsBeforeAdvice() {
        let findings = (0..<5).map { ReportFixtures.finding($0, kind: .redundantDirectAssignment) }
            + (5..<8).map { ReportFixtures.finding($0, kind: .countViolation) }
        let entries = RunJournal(findingsCap: 4).entries(for: ReportFixtures.report(runId: 3, findings: findings))
        let written = entries.compactMap { $0["TENANTSYNC_ERROR"] }
        #expect(written == ["CountViolation", "CountViolation", "CountViolation", "RedundantDirectAssignment"])
        #expect(entries.last?["TENANTSYNC_FINDINGS_OMITTED"] == "4")
    }

    @Test func reporterWritesReadableStderrLinesWithoutAJournal() {
        let lines = LineCollector()
        let reporter = RunReporter(destination: .stderr, output: lines.append)
        reporter.runStarted(runId: 5, mode: .full, dryRun: false)
        reporter.report(ReportFixtures.report(runId: 5, findings: [ReportFixtures.finding(1)]))
        let written = lines.lines
        #expect(written.count == 3)
        #expect(written.first?.hasSuffix(" info: run 5 started: full sync") == true)
        #expect(written.dropFirst().first?.contains(" warning: CountViolation: user1@corp.example.org, INTUNE_A, group Intune Users: ") == true)
        #expect(written.last?.contains(" warning: run 5 finished: 100012 users (+12 ~3 -1)") == true)
    }
}
