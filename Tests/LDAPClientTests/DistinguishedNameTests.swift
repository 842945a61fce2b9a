import LDAPClient
import Testing

@Suite struct DistinguishedNameTests {
    @Test(arguments: [
        ("CN=Intune Users, OU=Groups,DC=corp", "cn=intune users,ou=groups,dc=corp"),
        ("cn = Smith\\, John ,ou=people", "cn=smith\\, john,ou=people"),
        ("cn=Smith\\2C John,ou=people", "cn=smith\\, john,ou=people"),
        ("cn=Smith\\2c John,ou=people", "cn=smith\\, john,ou=people"),
        ("cn=J\\C3\\BCrgen,dc=x", "cn=jürgen,dc=x"),
        ("CN=ÄBC,DC=X", "cn=äbc,dc=x"),
        ("uid=b+cn=A,dc=x", "cn=a+uid=b,dc=x"),
        ("cn=A + uid=B,dc=x", "cn=a+uid=b,dc=x"),
        ("cn=\\\"q\\\" \\<x\\> \\+ \\\\ \\;,dc=x", "cn=\\\"q\\\" \\<x\\> \\+ \\\\ \\;,dc=x"),
        ("cn=\\ lead,dc=x", "cn=\\ lead,dc=x"),
        ("cn=trail\\ ,dc=x", "cn=trail\\ ,dc=x"),
        ("cn=\\#hash,dc=x", "cn=\\#hash,dc=x"),
        ("cn=a=b,dc=x", "cn=a=b,dc=x"),
        ("2.5.4.3=John,DC=x", "2.5.4.3=john,dc=x"),
        ("cn=,dc=x", "cn=,dc=x"),
        ("", ""),
    ])
    func normalizes(input: String, normalized: String) throws {
        #expect(try DistinguishedName(input).normalized == normalized)
    }

    @Test(arguments: [
        "CN=Intune Users, OU=Groups,DC=corp", "cn = Smith\\, John ,ou=people", "cn=Smith\\2C John,ou=people",
        "cn=J\\C3\\BCrgen,dc=x", "CN=ÄBC,DC=X", "uid=b+cn=A,dc=x", "cn=\\ lead,dc=x", "cn=trail\\ ,dc=x",
        "cn=a=b,dc=x", "2.5.4.3=John,DC=x", "cn=,dc=x", "", "  ", "uid=u0000042,ou=people,dc=example,dc=org",
        "UID=U42 , OU=People ,DC=Example", "cn=a   b  ,dc=x  ", "  cn=x", "cn-2=x,o=y", "cn=a<b", "cn=a\tb",
        "CN=Smith  John,DC=x", "cn=x,", "cn=a,,dc=x", "c n=x", "1cn=x", "cn=#abc", "cn", "=x", "cn=a\"b",
    ])
    func normalizeAgreesWithTheParser(input: String) {
        let parsed = Result { () throws(DistinguishedNameError) in try DistinguishedName(input).normalized }
        let normalized = Result { () throws(DistinguishedNameError) in try DistinguishedName.normalize(input) }
        #expect(normalized == parsed)
    }

    @Test func aDNAlreadyInNormalFormComesBackUnchanged() throws {
        let dn = "uid=u0000042,ou=people,dc=example,dc=org"
        #expect(try DistinguishedName.normalize(dn) == dn)
        #expect(try DistinguishedName.normalize("UID=u1, OU=People") == "uid=u1,ou=people")
    }

    @Test func differentlyWrittenDNsAreEqualAndHashTheSame() throws {
        let written = try DistinguishedName("CN=Intune Users, OU=Groups,DC=corp")
        let canonical = try DistinguishedName("cn=intune users,ou=groups,dc=corp")
        #expect(written == canonical)
        #expect(Set([written, canonical]).count == 1)
        #expect(try DistinguishedName("cn=Smith\\, John,dc=x") == DistinguishedName("CN=smith\\2c john, DC=X"))
        #expect(try DistinguishedName("cn=a,dc=x") != DistinguishedName("cn=a,dc=y"))
    }

    @Test func partsParentAndRDNValue() throws {
        let dn = try DistinguishedName("CN=Smith\\, John+UID=js,OU=People, DC=corp")
        #expect(dn.rdns.count == 3)
        #expect(dn.rdns[0] == [.init(type: "CN", value: "Smith, John"), .init(type: "UID", value: "js")])
        #expect(dn.rdnValue == "Smith, John")
        #expect(dn.string == "CN=Smith\\, John+UID=js,OU=People,DC=corp")
        #expect(dn.parent == (try DistinguishedName("ou=people,dc=corp")))
        #expect(dn.parent?.parent?.parent?.isRoot == true)
        #expect(dn.parent?.parent?.parent?.parent == nil)
        #expect(dn.isDescendant(of: try DistinguishedName("dc=CORP")))
        #expect(!dn.isDescendant(of: dn))
        #expect(try DistinguishedName("cn=trail\\ ,dc=x").rdnValue == "trail ")
        #expect(try DistinguishedName("cn=a   ,dc=x").rdnValue == "a")
    }

    @Test(arguments: ["cn", "=x", "cn=a,,dc=x", "cn=a\\", "cn=a\\zz", "cn=a,", "c n=x", "cn=\\C3,dc=x",
        "cn=a\"b", "1cn=x", "cn=#abc", "2.5..4=x"])
    func malformedDNsThrowWithTheInput(input: String) {
        #expect {
            _ = try DistinguishedName(input)
        } throws: { error in
            guard let error = error as? DistinguishedNameError else { return false }
            return error.input == input && error.description.contains(input)
        }
    }
}

@Suite struct LDAPFilterTests {
    @Test(arguments: [
        ("*)(uid=*", "\\2a\\29\\28uid=\\2a"),
        ("plain", "plain"),
        ("a\\b", "a\\5cb"),
        ("x\u{0}y", "x\\00y"),
        ("(Jürgen)", "\\28Jürgen\\29"),
    ])
    func escapesSpecialCharacters(value: String, escaped: String) {
        #expect(LDAPFilter.escape(value) == escaped)
    }

    @Test func escapesBinaryValuesByteForByte() {
        #expect(LDAPFilter.escape(bytes: [0x00, 0x2a, 0xff]) == "\\00\\2a\\ff")
        #expect(LDAPFilter.equal("uid", "*") == "(uid=\\2a)")
    }
}
