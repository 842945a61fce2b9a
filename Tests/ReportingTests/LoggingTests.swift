import Foundation
import Logging
import Reporting
import Testing

@Suite struct LoggingTests {
    @Test func autoPicksTheJournalOnlyWhenJournalStreamNamesStderr() throws {
        let identity = try #require(LogTarget.standardErrorIdentity())
        #expect(LogTarget.auto.resolve(environment: ["JOURNAL_STREAM": identity]) == .journal)
        #expect(LogTarget.auto.resolve(environment: ["JOURNAL_STREAM": "1:2"]) == .stderr)
        #expect(LogTarget.auto.resolve(environment: [:]) == .stderr)
        #expect(LogTarget.auto.resolve(environment: ["JOURNAL_STREAM": "8:1234"], standardErrorIdentity: "8:1234") == .journal)
        #expect(LogTarget.auto.resolve(environment: ["JOURNAL_STREAM": "8:1234"], standardErrorIdentity: nil) == .stderr)
    }

    @Test func explicitTargetsIgnoreTheEnvironment() {
        #expect(LogTarget.journal.resolve(environment: [:]) == .journal)
        #expect(LogTarget.stderr.resolve(environment: ["JOURNAL_STREAM": LogTarget.standardErrorIdentity() ?? ""]) == .stderr)
        #expect(LogTarget(rawValue: "auto") == .auto)
    }

    @Test func stderrIdentityIsDeviceAndInodeOfDescriptorTwo() throws {
        let identity = try #require(LogTarget.standardErrorIdentity())
        let parts = identity.split(separator: ":")
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { UInt64($0) != nil })
    }

    @Test func stderrHandlerWritesReadableLines() {
        let lines = LineCollector()
        let fixed = Date(timeIntervalSince1970: 1_795_723_200)
        var logger = Logger(label: "test") { label in
            StderrLogHandler(label: label, output: lines.append, now: { fixed })
        }
        logger[metadataKey: "run"] = "42"
        logger.warning("seats are short", metadata: ["sku": "INTUNE_A", "group": "Intune Users"])
        logger.debug("not shown at the default level")
        #expect(lines.lines == ["2026-11-26T20:00:00Z warning: seats are short group=\"Intune Users\" run=42 sku=INTUNE_A"])
    }

    @Test func journalHandlerFallsBackToStderrWithoutAJournal() throws {
        let lines = LineCollector()
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-journal-\(UUID().uuidString)").path
        let logger = Logger(label: "test") { label in
            JournalLogHandler(label: label, writer: try? JournalWriter(socketPath: missing), fallback: lines.append)
        }
        logger.error("store is read-only")
        #expect(lines.lines.count == 1)
        #expect(lines.lines.first?.hasSuffix(" err: store is read-only") == true)
    }
}
