import Foundation

/// Byte-level readers for attribute values: the common ASCII case without Foundation, the rest as before.
enum TextValue {
    /// What reading a value as text gave.
    enum Reading {
        case text(String)
        case empty
        case notUTF8
    }

    /// The value as UTF-8 text without surrounding whitespace (`CharacterSet.whitespaces`: spaces, tabs and the
    /// other Unicode space separators).
    static func trimmed(_ raw: [UInt8]) -> Reading {
        var start = 0
        var end = raw.count
        while start < end, isSpaceOrTab(raw[start]) { start += 1 }
        while end > start, isSpaceOrTab(raw[end - 1]) { end -= 1 }
        guard start < end else {
            return String(validating: raw, as: UTF8.self) == nil ? .notUTF8 : .empty
        }
        if raw[start] >= 0x80 || raw[end - 1] >= 0x80 {
            // A non-ASCII character at an edge may be a Unicode space: let Foundation decide.
            guard let text = String(validating: raw, as: UTF8.self) else { return .notUTF8 }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? .empty : .text(trimmed)
        }
        let text = start == 0 && end == raw.count ? String(validating: raw, as: UTF8.self) : String(validating: raw[start..<end], as: UTF8.self)
        guard let text else { return .notUTF8 }
        return .text(text)
    }

    /// `name@domain` with something on both sides of the first `@` and no whitespace anywhere.
    static func isPlausibleUPN(_ upn: String) -> Bool {
        let utf8 = upn.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return isPlausibleUnicodeUPN(upn) }
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")) else { return false }
        guard at != utf8.startIndex, utf8.index(after: at) != utf8.endIndex else { return false }
        return !utf8.contains { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0d) }
    }

    private static func isPlausibleUnicodeUPN(_ upn: String) -> Bool {
        guard let at = upn.firstIndex(of: "@") else { return false }
        return at != upn.startIndex && upn.index(after: at) != upn.endIndex && !upn.contains(where: \.isWhitespace)
    }

    /// A two-letter country code in upper case, or `nil`.
    static func countryCode(_ value: String) -> String? {
        let utf8 = value.utf8
        if utf8.count == 2, utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a }) {
            if utf8.allSatisfy({ $0 <= 0x5a }) { return value }
            return String(decoding: utf8.map { $0 & ~0x20 }, as: UTF8.self)
        }
        let code = value.uppercased()
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return code
    }

    /// `uniqueMember` values may end in `#'0101'B` (an optional unique id); the DN is what comes before it.
    static func strippingUniqueMemberUID(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.last == UInt8(ascii: "B"), utf8.dropLast().last == UInt8(ascii: "'") else { return value }
        guard let hash = value.range(of: "#'", options: .backwards) else { return value }
        return String(value[..<hash.lowerBound])
    }

    private static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
