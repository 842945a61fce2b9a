import Testing

@testable import TenantModel

@Suite struct TextTableTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func anEmptyTableHasNothing() {
        let table = TextTable<Int>()
        #expect(table.isEmpty)
        #expect(table["a"] == nil)
        #expect(table.value(forUTF8: []) == nil)
    }

    @Test func findsKeysByTextAndByExactBytes() {
        var table = TextTable<String>()
        table.set("ada", for: "uid=ada,ou=people,dc=example,dc=org")
        table.set("empty", for: "")
        #expect(table["uid=ada,ou=people,dc=example,dc=org"] == "ada")
        #expect(table.value(forUTF8: bytes("uid=ada,ou=people,dc=example,dc=org")) == "ada")
        #expect(table[""] == "empty")
        #expect(table["UID=ada,ou=people,dc=example,dc=org"] == nil)
        #expect(table["uid=ada,ou=people,dc=example,dc=or"] == nil)
        #expect(table.value(forUTF8: [0xff, 0xfe]) == nil)
        // Text that is not ASCII is its UTF-8 bytes.
        table.set("é", for: "cn=José")
        #expect(table.value(forUTF8: bytes("cn=José")) == "é")
    }

    /// Composed and decomposed accents are different bytes: different keys (a `Dictionary` would take them as one).
    @Test func keysMatchByTheirBytesNotByUnicodeEquivalence() {
        var table = TextTable<Int>()
        table.set(1, for: "cn=Jos\u{E9}")
        #expect(table["cn=Jose\u{301}"] == nil)
        #expect(table["cn=Jos\u{E9}"] == 1)
        // The very string stored, and an equal one made apart, both find it.
        let apart = String(decoding: Array("cn=Jos\u{E9}".utf8), as: UTF8.self)
        #expect(table[apart] == 1)
    }

    @Test func setReplacesInsertIfAbsentKeeps() {
        var table = TextTable<Int>()
        table.set(1, for: "k")
        table.set(2, for: "k")
        #expect(table["k"] == 2)
        let addedAgain = table.insertIfAbsent(3, for: "k")
        let addedOther = table.insertIfAbsent(4, for: "other")
        #expect(!addedAgain && addedOther)
        #expect(table["k"] == 2 && table["other"] == 4)
        #expect(table.count == 2)
    }

    /// Many similar keys, of every length around the eight-byte words the hash reads, through several growths.
    @Test(arguments: [0, 50_000])
    func holdsManySimilarKeys(minimumCapacity: Int) {
        var table = TextTable<Int>(minimumCapacity: minimumCapacity)
        let keys = (0..<30_000).map { "uid=u\($0),\(String(repeating: "o", count: $0 % 17))dc=x" }
        for (index, key) in keys.enumerated() { table.set(index, for: key) }
        #expect(table.count == keys.count)
        let misses = keys.indices.filter { table[keys[$0]] != $0 || table.value(forUTF8: bytes(keys[$0])) != $0 }
        #expect(misses.isEmpty)
        #expect(table["uid=u30000,dc=x"] == nil)
    }

    @Test func theHashSeesEveryByteAndTheLength() {
        let base = bytes("uid=u0000000,ou=people,dc=example,dc=org")
        let hash = base.withUnsafeBytes { TextTable<Int>.hash($0) }
        for offset in base.indices {
            var changed = base
            changed[offset] ^= 1
            #expect(changed.withUnsafeBytes { TextTable<Int>.hash($0) } != hash, "byte \(offset)")
        }
        #expect([UInt8]().withUnsafeBytes { TextTable<Int>.hash($0) } != [0].withUnsafeBytes { TextTable<Int>.hash($0) })
    }
}
