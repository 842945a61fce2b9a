import Logging

/// A swift-log handler that sends each event to the journal as one entry.
///
/// `PRIORITY` comes from the level, `SYSLOG_IDENTIFIER` is always `tenantsync`, source location goes to
/// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, and each metadata key becomes a field with its name upper-cased
/// (`tenantsync_run_id` → `TENANTSYNC_RUN_ID`; other characters become `_`). When the journal cannot be reached
/// the line goes to standard error instead, so nothing is lost silently.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let writer: JournalWriter?
    private let fallback: @Sendable (String) -> Void

    /// A handler sending through `writer`; `nil` (the journal socket could not be opened) writes to `fallback`.
    public init(
        label: String, writer: JournalWriter?, metadataProvider: Logger.MetadataProvider? = nil,
        fallback: @escaping @Sendable (String) -> Void = StandardErrorLine.write
    ) {
        self.writer = writer
        self.metadataProvider = metadataProvider
        self.fallback = fallback
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let entry = Self.entry(for: event, metadata: Logger.Metadata.merged(metadata, metadataProvider, event.metadata))
        do {
            guard let writer else { throw JournalUnavailable() }
            try writer.send(entry)
        } catch {
            fallback(StandardErrorLine.format(entry, date: .now))
        }
    }

    /// The entry for one event (fixed fields first, then metadata sorted by key).
    static func entry(for event: LogEvent, metadata: Logger.Metadata) -> JournalEntry {
        var entry = JournalEntry([
            ("MESSAGE", event.message.description),
            ("PRIORITY", JournalPriority(event.level).fieldValue),
            ("SYSLOG_IDENTIFIER", RunJournal.syslogIdentifier),
            ("CODE_FILE", event.file),
            ("CODE_LINE", String(event.line)),
            ("CODE_FUNC", event.function),
        ])
        if let error = event.error {
            entry.append("ERROR", String(describing: error))
        }
        let reserved: Set<String> = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERROR"]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard let name = JournalFieldName.sanitized(key), !reserved.contains(name) else { continue }
            entry.append(name, value.flatText)
        }
        return entry
    }
}

private struct JournalUnavailable: Error {}
