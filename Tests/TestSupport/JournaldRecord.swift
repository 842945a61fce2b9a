import Foundation

/// One entry as `journalctl -o json` prints it: every field with all its values.
///
/// journalctl writes a value as a string, as an array of byte values when it is not printable text, and as an
/// array of those when the field occurs more than once.
public struct JournalRecord: Sendable {
    /// Each field's values, in order.
    public var fields: [String: [String]]

    public init(jsonLine: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: jsonLine) as? [String: Any] else {
            throw JournaldHarnessError(message: "journalctl printed a line that is not a JSON object")
        }
        var fields: [String: [String]] = [:]
        for (name, value) in object {
            fields[name] = Self.values(value)
        }
        self.fields = fields
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        fields[name]?.first
    }

    private static func values(_ value: Any) -> [String] {
        if let text = value as? String { return [text] }
        if let bytes = value as? [Int] { return [String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)] }
        if let many = value as? [Any] { return many.flatMap(values) }
        return []
    }
}
