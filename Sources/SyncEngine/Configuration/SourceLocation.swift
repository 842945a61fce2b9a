/// Where a value was written in a configuration file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named when loading (not resolved), e.g. `tenantsync.yaml`.
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A configuration value together with the place it was written, so that later checks
/// (unknown SKUs, missing groups) can point at it.
///
/// Two located values are equal when their values are equal: the location records where a value was
/// written, it is not part of the value. Two configurations that say the same thing compare equal
/// however they are laid out.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable, CustomStringConvertible {
    /// The value.
    public var value: Value
    /// Where the value was written.
    public var location: SourceLocation

    /// Creates a located value.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// Compares the values only.
    public static func == (lhs: Located, rhs: Located) -> Bool { lhs.value == rhs.value }

    /// Hashes the value only.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The value's description.
    public var description: String { String(describing: value) }
}
