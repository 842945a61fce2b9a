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
