import Logging

extension JournalPriority {
    /// The syslog priority of a swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .trace, .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

extension Logger.MetadataValue {
    /// The value as journal fields and stderr lines show it.
    var flatText: String {
        switch self {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array, .dictionary: description
        }
    }
}

extension Logger.Metadata {
    /// Handler metadata, then the provider's, then the event's: later keys win.
    static func merged(_ handler: Logger.Metadata, _ provider: Logger.MetadataProvider?, _ event: Logger.Metadata?) -> Logger.Metadata {
        var result = handler
        if let provided = provider?.get(), !provided.isEmpty {
            result.merge(provided) { _, new in new }
        }
        if let event, !event.isEmpty {
            result.merge(event) { _, new in new }
        }
        return result
    }
}
