import Foundation

/// One attribute value in LDIF: text, or bytes written base64 (`attr:: ...`).
public enum LDIFValue: Sendable, Hashable, ExpressibleByStringLiteral {
    /// A text value (base64-encoded automatically when it is not LDIF-safe).
    case text(String)
    /// A binary value, always base64-encoded.
    case bytes([UInt8])

    /// A text value from a literal.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

/// One LDIF entry: a DN and its attributes in order.
public struct LDIFEntry: Sendable, Hashable {
    /// The entry's DN.
    public var dn: String
    /// Attribute name and value pairs, in the order they are written; repeat a name for several values.
    public var attributes: [Attribute]

    /// One `name: value` line.
    public struct Attribute: Sendable, Hashable {
        /// The attribute description, e.g. `mail` or `userCertificate;binary`.
        public var name: String
        /// The value.
        public var value: LDIFValue

        /// Creates one attribute line.
        public init(_ name: String, _ value: LDIFValue) {
            self.name = name
            self.value = value
        }
    }

    /// Creates an entry.
    public init(dn: String, attributes: [Attribute]) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The entry as an LDIF record, ending with a blank line; unsafe values are base64-encoded.
    public var ldif: String {
        var text = LDIFBuilder.line("dn", .text(dn))
        for attribute in attributes { text += LDIFBuilder.line(attribute.name, attribute.value) }
        return text + "\n"
    }
}

/// Builds test directories under `dc=example,dc=org`: inetOrgPerson users in `ou=people` (`uid=...`)
/// and groupOfNames groups in `ou=groups` (`cn=...`).
public enum LDIFBuilder {
    /// `dc=example,dc=org`.
    public static let suffix = "dc=example,dc=org"
    /// `ou=people,dc=example,dc=org`.
    public static let peopleDN = "ou=people,dc=example,dc=org"
    /// `ou=groups,dc=example,dc=org`.
    public static let groupsDN = "ou=groups,dc=example,dc=org"

    /// The suffix entry and the two organizational units.
    public static func baseEntries() -> [LDIFEntry] {
        [
            LDIFEntry(
                dn: suffix,
                attributes: [.init("objectClass", "dcObject"), .init("objectClass", "organization"),
                    .init("dc", "example"), .init("o", "Example")]),
            LDIFEntry(
                dn: peopleDN, attributes: [.init("objectClass", "organizationalUnit"), .init("ou", "people")]),
            LDIFEntry(
                dn: groupsDN, attributes: [.init("objectClass", "organizationalUnit"), .init("ou", "groups")]),
        ]
    }

    /// The DN of user `uid`.
    public static func userDN(_ uid: String) -> String { "uid=\(uid),\(peopleDN)" }

    /// The DN of group `cn`.
    public static func groupDN(_ cn: String) -> String { "cn=\(cn),\(groupsDN)" }

    /// An inetOrgPerson user with uid, cn, givenName, sn, displayName, mail (`uid@example.org` unless given).
    ///
    /// A `country` adds `objectClass: extensibleObject`, because inetOrgPerson does not allow `c`.
    public static func user(
        uid: String, givenName: String? = nil, surname: String? = nil, mail: String? = nil, country: String? = nil,
        extra: [LDIFEntry.Attribute] = []
    ) -> LDIFEntry {
        let given = givenName ?? "Given \(uid)"
        let sn = surname ?? "Surname \(uid)"
        var attributes: [LDIFEntry.Attribute] = [.init("objectClass", "inetOrgPerson")]
        if country != nil { attributes.append(.init("objectClass", "extensibleObject")) }
        attributes += [
            .init("uid", .text(uid)), .init("cn", .text("\(given) \(sn)")), .init("givenName", .text(given)),
            .init("sn", .text(sn)), .init("displayName", .text("\(given) \(sn)")),
            .init("mail", .text(mail ?? "\(uid)@example.org")),
        ]
        if let country { attributes.append(.init("c", .text(country))) }
        return LDIFEntry(dn: userDN(uid), attributes: attributes + extra)
    }

    /// A groupOfNames with the given member DNs; groupOfNames needs at least one member.
    public static func group(cn: String, memberDNs: [String], extra: [LDIFEntry.Attribute] = []) -> LDIFEntry {
        precondition(!memberDNs.isEmpty, "groupOfNames needs at least one member")
        var attributes: [LDIFEntry.Attribute] = [.init("objectClass", "groupOfNames"), .init("cn", .text(cn))]
        attributes += memberDNs.map { .init("member", .text($0)) }
        return LDIFEntry(dn: groupDN(cn), attributes: attributes + extra)
    }

    /// The uids `user1 ... userN` (zero-padded to the width of N, so they sort).
    public static func numberedUIDs(count: Int, prefix: String = "user") -> [String] {
        let width = String(count).count
        return (1...max(count, 1)).prefix(count).map { number in
            let digits = String(number)
            return prefix + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// A complete directory: base entries, `userCount` numbered users, then the groups, each listing member uids.
    public static func directory(userCount: Int, groups: [(cn: String, memberUIDs: [String])] = []) -> String {
        var entries = baseEntries()
        entries += numberedUIDs(count: userCount).map { user(uid: $0) }
        entries += groups.map { group(cn: $0.cn, memberDNs: $0.memberUIDs.map(userDN)) }
        return render(entries)
    }

    /// Concatenates entries into one LDIF document.
    public static func render(_ entries: [LDIFEntry]) -> String {
        var text = ""
        text.reserveCapacity(entries.count * 256)
        for entry in entries { text += entry.ldif }
        return text
    }

    /// One `name: value` or `name:: base64` line.
    static func line(_ name: String, _ value: LDIFValue) -> String {
        switch value {
        case .bytes(let bytes):
            return "\(name):: \(Data(bytes).base64EncodedString())\n"
        case .text(let text):
            return isSafe(text) ? "\(name): \(text)\n" : "\(name):: \(Data(text.utf8).base64EncodedString())\n"
        }
    }

    /// RFC 2849 SAFE-STRING: ASCII without NUL/CR/LF, not starting with space, `:` or `<`, not ending in space.
    private static func isSafe(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") { return false }
        if text.utf8.last == UInt8(ascii: " ") { return false }
        return text.utf8.allSatisfy { $0 < 0x80 && $0 != 0 && $0 != 0x0a && $0 != 0x0d }
    }
}
