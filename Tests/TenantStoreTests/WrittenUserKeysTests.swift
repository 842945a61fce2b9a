import GRDB
import Testing
import TenantModel

@testable import TenantStore

@Suite struct WrittenUserKeysTests {
    private func users(_ ids: [String]) -> [TenantUser] {
        ids.map { TenantUser(id: $0, userPrincipalName: "\($0)@example.org") }
    }

    /// Users written in ascending id order (a first sync's) are found by searching the ids, in any order of asking.
    @Test func ascendingIdsAreFoundInAnyOrder() {
        let ids = ObjectID.makeAscending(3_000)
        let keys = WrittenUserKeys(users(ids))
        var hint = 0
        for (offset, id) in ids.enumerated() { #expect(keys.key(of: id, hint: &hint) == Int64(offset + 1)) }
        var generator = SystemRandomNumberGenerator()
        for offset in ids.indices.shuffled(using: &generator).prefix(500) {
            #expect(keys.key(of: ids[offset], hint: &hint) == Int64(offset + 1))
        }
        for offset in stride(from: ids.count - 1, through: 0, by: -7) {
            #expect(keys.key(of: ids[offset], hint: &hint) == Int64(offset + 1))
        }
        // Ids that were not written: before the first, after the last, between two, with hints anywhere.
        for (missing, start) in [("", 0), ("ffffffff-ffff-4fff-bfff-fffffffffffg", 10), (ids[10] + "0", 11), (ids[10] + "0", 2_999), (ids[10] + "0", 3_000)] {
            var at = start
            #expect(keys.key(of: missing, hint: &at) == nil)
        }
    }

    /// Users in another order, or one listed twice (one row, under its first key), are found through a table.
    @Test func otherOrdersAreFoundThroughATable() {
        let keys = WrittenUserKeys(users(["c", "a", "b", "a"]))
        var hint = 0
        #expect(keys.key(of: "a", hint: &hint) == 2)
        #expect(keys.key(of: "b", hint: &hint) == 3)
        #expect(keys.key(of: "c", hint: &hint) == 1)
        #expect(keys.key(of: "d", hint: &hint) == nil)
        var empty = 0
        #expect(WrittenUserKeys([]).key(of: "a", hint: &empty) == nil)
    }
}

/// A first sync's member lists are keyed from the planner's places where they fit, and by id where not.
@Suite struct MemberListPlacesTests {
    @Test func placesThatFitGiveTheKeysALookUpGives() throws {
        let ids = ObjectID.makeAscending(500)
        let users = ids.map { TenantUser(id: $0, userPrincipalName: "\($0)@example.org") }
        let keys = WrittenUserKeys(users)
        let members = [3, 4, 90, 91, 499].map { ids[$0] }
        let group = TenantGroup(
            id: "g", displayName: "g", onPremisesImmutableId: "a", onPremisesDistinguishedName: "cn=g", memberUserIds: members)
        let byId = try BulkLoad.memberLists(of: [group], keys: keys)
        #expect(MemberKeys.unpack(byId[0]) == [4, 5, 91, 92, 500])
        // Right, wrong (each one off, out of range), for some members only, and not one list per group.
        for places: [[Int32]] in [[[3, 4, 90, 91, 499]], [[4, 3, 89, 500, -1]], [[3, 4]], [[3, 4, 90, 91, 499], [1]]] {
            #expect(try BulkLoad.memberLists(of: [group], places: places, keys: keys) == byId, "\(places)")
        }
        // A member the load did not write is refused, whatever its place says.
        var unknown = group
        unknown.memberUserIds.append("u-nobody")
        #expect(throws: DatabaseError.self) { try BulkLoad.memberLists(of: [unknown], places: [[3, 4, 90, 91, 499, 0]], keys: keys) }
    }
}
