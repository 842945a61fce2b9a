/// One problem in a configuration file, with the place and key path it concerns.
///
/// Rendered as `FILE:LINE:COLUMN: KEYPATH: MESSAGE (HINT)`, e.g.
/// `tenantsync.yaml:14:5: licenses[1].disabledPlan: unknown key (did you mean disabledPlans?)`.
/// Messages never contain a secret.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration file as it was named when loading.
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1.
    public var column: Int
    /// The key path, e.g. `licenses[1].disabledPlans[0]`; empty for problems of the whole file.
    public var keyPath: String
    /// What is wrong.
    public var message: String
    /// How to fix it, where a fix can be suggested.
    public var hint: String?

    /// Creates an error at explicit coordinates.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.hint = hint
    }

    /// Creates an error at a source location.
    public init(at location: SourceLocation, keyPath: String, message: String, hint: String? = nil) {
        self.init(
            file: location.file, line: location.line, column: location.column,
            keyPath: keyPath, message: message, hint: hint
        )
    }

    /// Where the error points.
    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `FILE:LINE:COLUMN: KEYPATH: MESSAGE (HINT)`; the key path is left out when empty.
    public var description: String {
        var text = "\(file):\(line):\(column): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// All problems found in a configuration file, in file order. Thrown by loading and decoding, which
/// report every problem rather than stopping at the first.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit status for an invalid configuration (`EX_CONFIG`); the unit's
    /// `RestartPreventExitStatus=78` keeps systemd from restarting into the same error.
    public static let exitCode: Int32 = 78

    /// The problems, sorted by file, line and column.
    public var errors: [ConfigError]
    /// The sections with SKU and plan names as far as they decoded, for a file with other errors: their names are
    /// checked against the catalog too, so every problem is listed at once.
    public var licensingSections: LicensingSections?

    /// Creates the collection, sorting the errors by position (stable for errors at the same place).
    public init(_ errors: [ConfigError]) {
        self.errors = errors.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.file, lhs.element.line, lhs.element.column, lhs.offset)
            let right = (rhs.element.file, rhs.element.line, rhs.element.column, rhs.offset)
            return left < right
        }.map(\.element)
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The parts of a configuration that name SKUs and service plans.
public struct LicensingSections: Sendable, Equatable {
    public var subscriptions: [SubscriptionConfig]
    public var licenses: [LicenseRuleConfig]
    public var catalog: CatalogConfig

    public init(subscriptions: [SubscriptionConfig], licenses: [LicenseRuleConfig], catalog: CatalogConfig) {
        self.subscriptions = subscriptions
        self.licenses = licenses
        self.catalog = catalog
    }
}
