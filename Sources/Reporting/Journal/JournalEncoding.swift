/// An entry that cannot be sent: it names a field journald would reject.
public struct InvalidJournalField: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending field name.
    public var name: String

    public init(name: String) { self.name = name }

    public var description: String {
        "invalid journal field name \"\(name)\" (allowed: A-Z, 0-9, _; not starting with _ or a digit; at most 64)"
    }
}

/// The bytes of journald's native protocol for one entry.
public enum JournalEncoding {
    /// Encodes `entry`: `NAME=value\n` per field, or `NAME\n<64-bit little-endian length><value>\n` when the value
    /// contains a newline (the binary-safe form).
    public static func encode(_ entry: JournalEntry) throws(InvalidJournalField) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entry.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 10 })
        for (name, value) in entry.fields {
            guard JournalFieldName.isValid(name) else { throw InvalidJournalField(name: name) }
            bytes.append(contentsOf: name.utf8)
            let valueBytes = Array(value.utf8)
            if valueBytes.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(valueBytes.count).littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                bytes.append(UInt8(ascii: "="))
            }
            bytes.append(contentsOf: valueBytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
