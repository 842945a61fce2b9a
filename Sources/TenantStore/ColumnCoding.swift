import Foundation

/// How values that SQLite has no type for are written to columns.
enum ColumnCoding {
    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static func date(_ seconds: Double?) -> Date? { seconds.map(date) }

    /// A plan list as JSON text; the empty list, by far the most common, skips the encoder.
    static func json(_ plans: [String]) throws -> String {
        if plans.isEmpty { return "[]" }
        let data = try JSONEncoder().encode(plans)
        return String(decoding: data, as: UTF8.self)
    }

    static func plans(_ json: String, operation: String) throws -> [String] {
        if json == "[]" { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StoreError(operation: operation, message: "plan list is not a JSON array of strings: \(json)")
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
