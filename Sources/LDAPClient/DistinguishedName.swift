/// One `type=value` pair of a relative distinguished name.
public struct DistinguishedNameAttribute: Sendable, Hashable {
    /// The attribute type as written (`CN`, `ou`, `2.5.4.3`).
    public var type: String
    /// The unescaped value (`Smith, John`). A `#`-prefixed BER value is kept in its hex form.
    public var value: String

    /// Creates a pair from an attribute type and an unescaped value.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// An RFC 4514 distinguished name, compared and hashed by its normalised form.
///
/// `CN=Intune Users, OU=Groups,DC=corp` equals `cn=intune users,ou=groups,dc=corp`: types and values are
/// case-folded, escaping is canonical, spaces around separators are dropped and multi-valued RDNs are sorted.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The RDNs from the leaf (first) to the root (last); each RDN holds one or more pairs joined by `+`.
    public let rdns: [[DistinguishedNameAttribute]]
    /// The canonical case-folded form used for equality and hashing.
    public let normalized: String

    /// Parses an RFC 4514 string; the empty string is the root DN.
    public init(_ string: String) throws(DistinguishedNameError) {
        self.init(rdns: try DistinguishedNameParser.parse(string))
    }

    /// Builds a DN from RDNs (leaf first).
    public init(rdns: [[DistinguishedNameAttribute]]) {
        self.rdns = rdns
        self.normalized = rdns.map { rdn in
            rdn.map { "\($0.type.lowercased())=\(DistinguishedName.escape(Self.fold($0.value)))" }.sorted()
                .joined(separator: "+")
        }.joined(separator: ",")
    }

    /// The DN as an RFC 4514 string in its original case, canonically escaped, without extra spaces.
    public var string: String {
        rdns.map { rdn in rdn.map { "\($0.type)=\(DistinguishedName.escape($0.value))" }.joined(separator: "+") }
            .joined(separator: ",")
    }

    /// Same as `string`.
    public var description: String { string }

    /// The DN one level up; `nil` for the root DN.
    public var parent: DistinguishedName? {
        rdns.isEmpty ? nil : DistinguishedName(rdns: Array(rdns.dropFirst()))
    }

    /// The value of the first pair of the first RDN (`Intune Users` for `CN=Intune Users,OU=Groups`).
    public var rdnValue: String? {
        rdns.first?.first?.value
    }

    /// Whether the DN is the root DN (no RDNs).
    public var isRoot: Bool { rdns.isEmpty }

    /// Whether this DN lies strictly below `ancestor`.
    public func isDescendant(of ancestor: DistinguishedName) -> Bool {
        guard rdns.count > ancestor.rdns.count else { return false }
        return DistinguishedName(rdns: Array(rdns.suffix(ancestor.rdns.count))) == ancestor
    }

    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool {
        lhs.normalized == rhs.normalized
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }

    /// Escapes a value the RFC 4514 way: `"+,;<>\` everywhere, `#` or space at the start, space at the end, NUL as `\00`.
    public static func escape(_ value: String) -> String {
        if !needsEscaping(value) { return value }
        let scalars = Array(value.unicodeScalars)
        var escaped = ""
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                escaped += "\\" + String(scalar)
            case "\0":
                escaped += "\\00"
            case "#" where index == 0:
                escaped += "\\#"
            case " " where index == 0 || index == scalars.count - 1:
                escaped += "\\ "
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Whether `escape` would change the value; most values need nothing.
    private static func needsEscaping(_ value: String) -> Bool {
        let utf8 = value.utf8
        if let first = utf8.first, first == UInt8(ascii: "#") || first == UInt8(ascii: " ") { return true }
        if utf8.last == UInt8(ascii: " ") { return true }
        return utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"),
                UInt8(ascii: ">"), UInt8(ascii: "\\"), 0:
                true
            default:
                false
            }
        }
    }

    /// Case folding for DN comparison (directory strings compare case-insensitively).
    private static func fold(_ value: String) -> String {
        value.lowercased()
    }
}

/// A string that is not a valid RFC 4514 distinguished name.
public struct DistinguishedNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The string that failed to parse.
    public var input: String
    /// What is wrong.
    public var reason: String
    /// Byte offset in the UTF-8 input where the problem was found.
    public var offset: Int

    /// Creates an error.
    public init(input: String, reason: String, offset: Int) {
        self.input = input
        self.reason = reason
        self.offset = offset
    }

    /// One readable line with the input.
    public var description: String {
        "invalid distinguished name \"\(input)\": \(reason) at offset \(offset)"
    }
}
