import Foundation

/// How values that SQLite has no type for are written to columns.
enum ColumnCoding {
    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static func date(_ seconds: Double?) -> Date? { seconds.map(date) }

    /// A plan list as text: the names joined by commas (the empty list is the empty string). A list that this cannot
    /// hold unambiguously (an empty name, a comma in a name, a first name starting with `[`) is written as JSON.
    static func planText(_ plans: [String]) throws -> String {
        let plain = plans.allSatisfy { !$0.isEmpty && !$0.utf8.contains(UInt8(ascii: ",")) }
        if plain && plans.first?.hasPrefix("[") != true {
            return plans.joined(separator: ",")
        }
        let data = try JSONEncoder().encode(plans)
        return String(decoding: data, as: UTF8.self)
    }

    /// The plan list of text written by `planText`.
    static func plans(_ text: String, operation: String) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("[") else {
            return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw StoreError(operation: operation, message: "plan list is not a JSON array of strings: \(text)")
        }
    }

    static func reportEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func reportDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
