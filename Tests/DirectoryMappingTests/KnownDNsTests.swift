import Testing

@testable import DirectoryMapping

@Suite struct KnownDNsTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func anEmptyTableKnowsNothing() {
        let known = KnownDNs()
        #expect(known.known(bytes("uid=a,dc=x")) == nil)
        #expect(known.known([]) == nil)
    }

    @Test func findsEachDNByItsExactBytesOnly() {
        var known = KnownDNs()
        known.insert("uid=ada,ou=people,dc=example,dc=org", normalized: "n-ada", userIndex: 0)
        known.insert("uid=bob,ou=people,dc=example,dc=org", normalized: "n-bob", userIndex: 1)
        #expect(known.known(bytes("uid=ada,ou=people,dc=example,dc=org"))?.normalized == "n-ada")
        #expect(known.known(bytes("uid=ada,ou=people,dc=example,dc=org"))?.userIndex == 0)
        #expect(known.known(bytes("uid=bob,ou=people,dc=example,dc=org"))?.normalized == "n-bob")
        #expect(known.known(bytes("uid=bob,ou=people,dc=example,dc=org"))?.userIndex == 1)
        // Another spelling of the same DN is not the same bytes: the caller parses it.
        #expect(known.known(bytes("UID=ada,ou=people,dc=example,dc=org")) == nil)
        #expect(known.known(bytes("uid=ada,ou=people,dc=example,dc=or")) == nil)
        #expect(known.known(bytes("uid=ada,ou=people,dc=example,dc=orgs")) == nil)
        #expect(known.known([0xff, 0xfe]) == nil)
    }

    @Test func aDNAddedTwiceKeepsWhatItWasFirstAddedWith() {
        var known = KnownDNs()
        known.insert("uid=a,dc=x", normalized: "first", userIndex: 3)
        known.insert("uid=a,dc=x", normalized: "second", userIndex: 9)
        #expect(known.count == 1)
        #expect(known.known(bytes("uid=a,dc=x"))?.normalized == "first")
        #expect(known.known(bytes("uid=a,dc=x"))?.userIndex == 3)
    }

    /// Many DNs that differ in a few bytes, of every length around the eight-byte words the hash reads, through
    /// several growths of the table.
    @Test func holdsManySimilarDNsThroughGrowth() {
        var known = KnownDNs()
        let dns = (0..<20_000).map { "uid=u\($0),\(String(repeating: "o", count: $0 % 17))dc=x" }
        for (index, dn) in dns.enumerated() { known.insert(dn, normalized: "n\(index)", userIndex: index) }
        #expect(known.count == dns.count)
        for (index, dn) in dns.enumerated() {
            let found = known.known(bytes(dn))
            if found?.normalized != "n\(index)" || found?.userIndex != index {
                Issue.record("\(dn) is not found as n\(index)")
                return
            }
        }
        #expect(known.known(bytes("uid=u20000,dc=x")) == nil)
    }
}
