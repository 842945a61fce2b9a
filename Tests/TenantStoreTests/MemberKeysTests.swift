import Foundation
import Testing

@testable import TenantStore

@Suite struct MemberKeysTests {
    @Test func packedKeysComeBackSortedWithoutRepeats() {
        let keys: [Int64] = [900_000, 3, 1, 128, 3, 16_384, 127, 2_000_000_000_000]
        #expect(MemberKeys.unpack(MemberKeys.pack(keys)) == Array(Set(keys)).sorted())
        #expect(MemberKeys.unpack(MemberKeys.pack([])) == [])
        #expect(MemberKeys.unpack(nil) == [])
    }

    /// A delta takes deleted users out of a member list without unpacking it: the same bytes as packing the rest.
    @Test func removingLeavesTheBytesThatPackingTheRestGives() {
        let members: [Int64] = [1, 2, 127, 128, 300, 16_384, 16_385, 900_000, 2_000_000_000_000]
        func removing(_ removed: Set<Int64>) -> (packed: Data, kept: Int, removed: Int) {
            MemberKeys.pack(members).withUnsafeBytes { MemberKeys.removing(removed, from: $0) }
        }
        for removed: Set<Int64> in [[], [1], [2_000_000_000_000], [128, 16_384], [5, 300, 7], Set(members), [0, 3, 999_999]] {
            let result = removing(removed)
            let rest = members.filter { !removed.contains($0) }
            #expect(result.packed == MemberKeys.pack(rest), "\(removed)")
            #expect(result.kept == rest.count)
            #expect(result.removed == members.count - rest.count)
        }
        #expect(Data().withUnsafeBytes { MemberKeys.removing([4], from: $0) }.kept == 0)
    }

    /// The narrow state finds the loaded users in every member list.
    @Test func matchesGivesTheOffsetsOfTheSoughtKeysAListHolds() {
        let blob = MemberKeys.pack([2, 5, 7, 128, 300, 301, 70_000])
        func matches(_ sought: [Int64]) -> [Int] {
            var found: [Int] = []
            blob.withUnsafeBytes { raw in
                SoughtKeys(sought).matches(in: raw) { found.append($0) }
            }
            return found
        }
        #expect(matches([1, 2, 6, 7, 301, 69_999, 70_000, 80_000]) == [1, 3, 4, 6])
        #expect(matches([3, 4]) == [])
        #expect(matches([]) == [])
        #expect(matches([1]) == [])  // below every key: decoding stops at once
        #expect(matches([70_000]) == [0])
        // Keys too large for the table of sought keys are searched for.
        let huge: Int64 = 1 << 40
        var hugeFound: [Int] = []
        MemberKeys.pack([5, huge, huge + 3]).withUnsafeBytes { raw in
            SoughtKeys([huge + 3, 5, huge + 1]).matches(in: raw) { hugeFound.append($0) }
        }
        #expect(hugeFound == [0, 2])
        // Far apart: each member is found past many sought keys below it.
        let many: [Int64] = (1...100_000).filter { (key: Int64) -> Bool in key % 3 == 0 || key == 7 || key == 70_000 }
        #expect(matches(many).map { many[$0] } == [7, 300, 70_000])
        // Against a full decode, for many lists and sought sets, sparse and dense on either side.
        var generator = SystemRandomNumberGenerator()
        for round in 0..<400 {
            let (memberCount, soughtCount) = round % 2 == 0 ? (60, 40) : (4, 900)
            let members = (0..<Int.random(in: 0...memberCount, using: &generator)).map { _ in Int64.random(in: 1...5_000, using: &generator) }
            let sought = Array(Set((0..<Int.random(in: 0...soughtCount, using: &generator)).map { _ in Int64.random(in: 1...5_000, using: &generator) })).sorted()
            let packed = MemberKeys.pack(members)
            var found: [Int64] = []
            packed.withUnsafeBytes { raw in
                SoughtKeys(sought).matches(in: raw) { found.append(sought[$0]) }
            }
            #expect(found == sought.filter(Set(members).contains))
        }
    }
}
