import Testing

@testable import DirectoryMapping

@Suite struct KnownDNsTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func anEmptyTableKnowsNothing() {
        let known = KnownDNs()
        #expect(known.normalized(of: bytes("uid=a,dc=x")) == nil)
        #expect(known.normalized(of: []) == nil)
    }

    @Test func findsEachDNByItsExactBytesOnly() {
        var known = KnownDNs()
        known.insert("uid=ada,ou=people,dc=example,dc=org", normalized: "n-ada")
        known.insert("uid=bob,ou=people,dc=example,dc=org", normalized: "n-bob")
        #expect(known.normalized(of: bytes("uid=ada,ou=people,dc=example,dc=org")) == "n-ada")
        #expect(known.normalized(of: bytes("uid=bob,ou=people,dc=example,dc=org")) == "n-bob")
        // Another spelling of the same DN is not the same bytes: the caller parses it.
        #expect(known.normalized(of: bytes("UID=ada,ou=people,dc=example,dc=org")) == nil)
        #expect(known.normalized(of: bytes("uid=ada,ou=people,dc=example,dc=or")) == nil)
        #expect(known.normalized(of: bytes("uid=ada,ou=people,dc=example,dc=orgs")) == nil)
        #expect(known.normalized(of: [0xff, 0xfe]) == nil)
    }

    @Test func aDNAddedTwiceKeepsItsFirstNormalisedForm() {
        var known = KnownDNs()
        known.insert("uid=a,dc=x", normalized: "first")
        known.insert("uid=a,dc=x", normalized: "second")
        #expect(known.count == 1)
        #expect(known.normalized(of: bytes("uid=a,dc=x")) == "first")
    }

    /// Many DNs that differ in a few bytes, of every length around the eight-byte words the hash reads, through
    /// several growths of the table.
    @Test func holdsManySimilarDNsThroughGrowth() {
        var known = KnownDNs()
        let dns = (0..<20_000).map { "uid=u\($0),\(String(repeating: "o", count: $0 % 17))dc=x" }
        for (index, dn) in dns.enumerated() { known.insert(dn, normalized: "n\(index)") }
        #expect(known.count == dns.count)
        for (index, dn) in dns.enumerated() where known.normalized(of: bytes(dn)) != "n\(index)" {
            Issue.record("\(dn) is not found as n\(index)")
            return
        }
        #expect(known.normalized(of: bytes("uid=u20000,dc=x")) == nil)
    }
}
