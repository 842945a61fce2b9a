import Foundation
import Logging

/// A swift-log handler that writes readable lines to standard error:
/// `2026-11-26T20:00:00Z warning: message key=value` (metadata sorted by key).
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// A handler writing to standard error, or to `output` (one call per line, without the newline).
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping @Sendable (String) -> Void = StandardErrorLine.write,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metadataProvider = metadataProvider
        self.output = output
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = Logger.Metadata.merged(metadata, metadataProvider, event.metadata)
        if let error = event.error, all["error"] == nil {
            all["error"] = .string(String(describing: error))
        }
        let fields = all.sorted { $0.key < $1.key }.map { ($0.key, $0.value.flatText) }
        output(StandardErrorLine.format(date: now(), priority: JournalPriority(event.level), message: event.message.description, fields: fields))
    }
}
