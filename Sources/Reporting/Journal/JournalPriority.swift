/// syslog priorities, the journal's `PRIORITY` field.
public enum JournalPriority: Int, Sendable, Hashable, CaseIterable {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    /// The word stderr lines use for this priority (`err`, `warning`, `info`, ...).
    public var name: String {
        switch self {
        case .emergency: "emerg"
        case .alert: "alert"
        case .critical: "crit"
        case .error: "err"
        case .warning: "warning"
        case .notice: "notice"
        case .info: "info"
        case .debug: "debug"
        }
    }

    /// The `PRIORITY` value.
    public var fieldValue: String { String(rawValue) }
}
