import Foundation
import Testing

@testable import TenantModel

@Suite struct ObjectIDTests {
    @Test func idsAreLowerCaseVersion4UUIDsAndDiffer() throws {
        let ids = (0..<1000).map { _ in ObjectID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(50) {
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
    }
}

@Suite struct AscendingObjectIDTests {
    @Test func ascendingIdsAreVersion4UUIDsInIncreasingOrder() throws {
        let ids = ObjectID.makeAscending(2000)
        #expect(ids.count == 2000)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for id in ids {
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
        // Random, not a counter: the first and last of 2,000 lie far apart.
        #expect(ids.first!.prefix(1) != ids.last!.prefix(1))
        #expect(ObjectID.makeAscending(0).isEmpty)
    }

    /// The bucket sort gives what a comparison sort gives, whatever the values: spread evenly, all in one bucket,
    /// equal in their high half, or repeated.
    @Test func valuesAreSortedAsAComparisonSortSortsThem() {
        var generator = SystemRandomNumberGenerator()
        let spread = (0..<5_000).map { _ in (generator.next() as UInt64, generator.next() as UInt64) }
        let oneBucket = (0..<500).map { _ in (0xabcd_0000_0000_0000 | (generator.next() as UInt64) >> 16, generator.next() as UInt64) }
        let sameHigh = (0..<300).map { _ in (UInt64(7), UInt64.random(in: 0...40, using: &generator)) }
        let cases: [[(UInt64, UInt64)]] = [spread, oneBucket, sameHigh, spread + spread.prefix(50), [], [(1, 2)], [(.max, .max), (0, 0)]]
        for values in cases {
            let sorted = ObjectID.sortedByValue(values)
            #expect(sorted.elementsEqual(values.sorted { $0 < $1 }) { $0 == $1 })
        }
    }
}
