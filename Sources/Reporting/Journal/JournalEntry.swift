/// One journal entry: its fields in the order they are written.
///
/// Field names follow journald's rules (see ``JournalFieldName``); a name may appear more than once.
public struct JournalEntry: Sendable, Equatable, CustomStringConvertible {
    /// The fields, in order.
    public var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// Appends a field.
    public mutating func append(_ name: String, _ value: String) {
        fields.append((name, value))
    }

    /// Appends a field when `value` is not `nil` (the journal has no null).
    public mutating func append(_ name: String, _ value: String?) {
        if let value { fields.append((name, value)) }
    }

    /// The value of the first field called `name`.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public var description: String {
        fields.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
}
