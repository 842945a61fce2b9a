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

    /// The narrow state finds the loaded users in every member list by walking both in key order.
    @Test func matchesGivesTheOffsetsOfTheSoughtKeysAListHolds() {
        let blob = MemberKeys.pack([2, 5, 7, 128, 300, 301, 70_000])
        func matches(_ sought: [Int64]) -> [Int] {
            var found: [Int] = []
            blob.withUnsafeBytes { raw in
                sought.withUnsafeBufferPointer { MemberKeys.matches(in: raw, among: $0) { found.append($0) } }
            }
            return found
        }
        #expect(matches([1, 2, 6, 7, 301, 69_999, 70_000, 80_000]) == [1, 3, 4, 6])
        #expect(matches([3, 4]) == [])
        #expect(matches([]) == [])
        #expect(matches([1]) == [])  // below every key: decoding stops at once
        #expect(matches([70_000]) == [0])
        // Against a full decode, for many lists and sought sets.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let members = (0..<Int.random(in: 0...60, using: &generator)).map { _ in Int64.random(in: 1...5_000, using: &generator) }
            let sought = Array(Set((0..<Int.random(in: 0...40, using: &generator)).map { _ in Int64.random(in: 1...5_000, using: &generator) })).sorted()
            let packed = MemberKeys.pack(members)
            var found: [Int64] = []
            packed.withUnsafeBytes { raw in
                sought.withUnsafeBufferPointer { MemberKeys.matches(in: raw, among: $0) { found.append(sought[$0]) } }
            }
            #expect(found == sought.filter(Set(members).contains))
        }
    }
}
