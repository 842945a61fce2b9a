import Foundation
import Synchronization
import TenantModel

/// What the sync cycle reports a run to.
public protocol RunReportSink: Sendable {
    /// A run begins.
    func runStarted(runId: Int64, mode: SyncMode, dryRun: Bool)
    /// A run ended (successfully or not): its summary, findings and failure.
    func report(_ report: RunReport)
}

/// Sends a run's entries (``RunJournal``) to the journal, or writes them as readable lines to standard error.
///
/// An entry the journal refuses is written to standard error instead, with a line saying why.
public struct RunReporter: RunReportSink {
    /// How entries are built (the findings cap).
    public let journal: RunJournal
    private let writer: JournalWriter?
    private let output: @Sendable (String) -> Void
    /// Set once the journal refused an entry: the reporter then writes to stderr and has said why once.
    private let fallback = JournalFallback()

    /// A reporter for `destination`; `output` receives stderr lines (one call per line, without the newline).
    public init(
        destination: LogDestination, journal: RunJournal = RunJournal(),
        journalSocketPath: String = JournalWriter.defaultSocketPath,
        output: @escaping @Sendable (String) -> Void = StandardErrorLine.write
    ) {
        self.journal = journal
        self.output = output
        self.writer = destination == .journal ? try? JournalWriter(socketPath: journalSocketPath) : nil
    }

    /// A reporter sending through `writer`.
    public init(writer: JournalWriter, journal: RunJournal = RunJournal(), output: @escaping @Sendable (String) -> Void = StandardErrorLine.write) {
        self.journal = journal
        self.output = output
        self.writer = writer
    }

    public func runStarted(runId: Int64, mode: SyncMode, dryRun: Bool) {
        emit([journal.startEntry(runId: runId, mode: mode, dryRun: dryRun)])
    }

    public func report(_ report: RunReport) {
        emit(journal.entries(for: report))
    }

    private func emit(_ entries: [JournalEntry]) {
        // One time for all the run's lines: a report may have hundreds of findings.
        let now = StandardErrorLine.timestamp(Date())
        for entry in entries {
            guard let writer, !fallback.active else {
                output(StandardErrorLine.format(entry, timestamp: now))
                continue
            }
            do {
                try writer.send(entry)
            } catch {
                fallback.activate()
                output(StandardErrorLine.format(timestamp: now, priority: .warning, message: "journal write failed: \(error); writing to stderr"))
                output(StandardErrorLine.format(entry, timestamp: now))
            }
        }
    }
}

/// Whether a reporter gave up on the journal; shared by its copies.
private final class JournalFallback: Sendable {
    private let failed = Atomic(false)

    var active: Bool { failed.load(ordering: .relaxed) }

    func activate() { failed.store(true, ordering: .relaxed) }
}
