/// The rules journald applies to field names a client may send.
public enum JournalFieldName {
    /// journald drops longer names.
    public static let maximumLength = 64

    /// Whether `name` is a field name a client may send: 1 to 64 characters of `A-Z`, `0-9` and `_`, not starting
    /// with `_` (those are the fields journald itself adds) or a digit.
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maximumLength else { return false }
        guard first != UInt8(ascii: "_"), !isDigit(first) else { return false }
        return bytes.allSatisfy { isUppercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Turns a free-form key (such as a log metadata key) into a valid field name: upper-cased, other characters
    /// replaced by `_`, leading `_` and digits dropped, cut to 64 characters. `nil` when nothing is left.
    public static func sanitized(_ key: String) -> String? {
        var bytes = key.uppercased().utf8.map { byte -> UInt8 in
            isUppercaseLetter(byte) || isDigit(byte) ? byte : UInt8(ascii: "_")
        }
        while let first = bytes.first, first == UInt8(ascii: "_") || isDigit(first) {
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return nil }
        return String(decoding: bytes.prefix(maximumLength), as: UTF8.self)
    }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
