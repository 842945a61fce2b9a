import Foundation

/// A JSON value whose objects keep their keys in the order given, so the views print Graph's field order and
/// explicit `null`s. Rendered pretty-printed with two-space indentation.
enum ViewJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([ViewJSON])
    case object([Field])

    /// One key and its value inside an object.
    struct Field: Sendable, Equatable {
        var key: String
        var value: ViewJSON
    }

    /// An object from key-value pairs, in this order.
    static func object(_ pairs: KeyValuePairs<String, ViewJSON>) -> ViewJSON {
        .object(pairs.map { Field(key: $0.key, value: $0.value) })
    }

    /// A string, or `null` when absent.
    static func string(_ value: String?) -> ViewJSON {
        value.map { .string($0) } ?? .null
    }

    /// An ISO 8601 UTC timestamp ending in `Z`, or `null` when absent.
    static func date(_ value: Date?) -> ViewJSON {
        value.map { .string(ViewJSON.timestamp($0)) } ?? .null
    }

    /// A list of strings.
    static func strings(_ values: [String]) -> ViewJSON {
        .array(values.map { .string($0) })
    }

    /// The timestamp form used in every view: `2024-05-01T10:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    /// The value as JSON text, without a trailing newline.
    func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0)
        return output
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .string(let value): ViewJSON.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += ViewJSON.padding(indent + 1)
                value.write(to: &output, indent: indent + 1)
                output += index == values.count - 1 ? "\n" : ",\n"
            }
            output += ViewJSON.padding(indent) + "]"
        case .object(let fields):
            guard !fields.isEmpty else { output += "{}"; return }
            output += "{\n"
            for (index, field) in fields.enumerated() {
                output += ViewJSON.padding(indent + 1)
                ViewJSON.writeString(field.key, to: &output)
                output += ": "
                field.value.write(to: &output, indent: indent + 1)
                output += index == fields.count - 1 ? "\n" : ",\n"
            }
            output += ViewJSON.padding(indent) + "}"
        }
    }

    private static func padding(_ level: Int) -> String {
        String(repeating: "  ", count: level)
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
