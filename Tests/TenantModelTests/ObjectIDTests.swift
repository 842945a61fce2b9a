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
}
