/// Helpers for building RFC 4515 search filters safely.
public enum LDAPFilter {
    /// Escapes a value for use inside a filter: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`.
    ///
    /// Always escape values that come from configuration or user input, so `*)(uid=*` matches only itself.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "*": escaped += "\\2a"
            case "(": escaped += "\\28"
            case ")": escaped += "\\29"
            case "\\": escaped += "\\5c"
            case "\0": escaped += "\\00"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Escapes every byte of a binary value (e.g. an `objectGUID`) as `\xx`.
    public static func escape(bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var escaped = ""
        escaped.reserveCapacity(bytes.count * 3)
        for byte in bytes {
            escaped.append("\\")
            escaped.append(digits[Int(byte >> 4)])
            escaped.append(digits[Int(byte & 0x0f)])
        }
        return escaped
    }

    /// An equality filter `(attribute=value)` with the value escaped.
    public static func equal(_ attribute: String, _ value: String) -> String {
        "(\(attribute)=\(escape(value)))"
    }
}
