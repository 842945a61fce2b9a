import Licensing
import TenantModel
import Testing

@Suite struct MembershipTests {
    typealias F = Fixtures
    let groups = [F.group("outer", users: ["a"], groups: ["inner"]), F.group("inner", users: ["b"], groups: ["deepest"]),
                  F.group("deepest", users: ["c", "a"])]

    @Test func nestedGroupsCountThroughAnyDepthWhenOn() {
        #expect(MembershipExpansion(groups: groups, nested: true).userIds(inGroup: "outer") == ["a", "b", "c"])
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b"), F.user("c")], groups: groups,
            rules: [F.resolved(F.rule(0, group: "outer", sku: "INTUNE_A"))], seats: ["INTUNE_A": 5], nested: true))
        #expect(result.activeUsers("INTUNE_A") == ["a", "b", "c"])
    }

    @Test func aGroupListedTwiceIsTheLaterListing() {
        let twice = groups + [F.group("inner", users: ["d"])]
        let expansion = MembershipExpansion(groups: twice, nested: true)
        #expect(expansion.userIds(inGroup: "outer") == ["a", "d"])
        #expect(expansion.userIds(inGroup: "inner") == ["d"])
        #expect(expansion.userIds(inGroup: "deepest") == ["c", "a"])
        #expect(expansion.contains(groupId: "inner"))
    }

    @Test func onlyDirectMembersWhenOff() {
        #expect(MembershipExpansion(groups: groups, nested: false).userIds(inGroup: "outer") == ["a"])
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b"), F.user("c")], groups: groups,
            rules: [F.resolved(F.rule(0, group: "outer", sku: "INTUNE_A"))], seats: ["INTUNE_A": 5], nested: false))
        #expect(result.activeUsers("INTUNE_A") == ["a"])
        #expect(result.groupCycles.isEmpty)
    }

    @Test func cyclesAreReportedAndDoNotLoop() {
        let cyclic = [F.group("x", users: ["a"], groups: ["y"]), F.group("y", users: ["b"], groups: ["z"]),
                      F.group("z", users: ["c"], groups: ["x"]), F.group("self", users: ["d"], groups: ["self"]),
                      F.group("plain", users: ["e"], groups: ["x"])]
        let expansion = MembershipExpansion(groups: cyclic, nested: true)
        #expect(expansion.cycles == [["self"], ["x", "y", "z"]])
        #expect(Set(expansion.userIds(inGroup: "y")) == ["a", "b", "c"])
        let result = LicenseEvaluator.evaluate(F.input(
            users: ["a", "b", "c", "d", "e"].map { F.user($0) }, groups: cyclic,
            rules: [F.resolved(F.rule(0, group: "plain", sku: "INTUNE_A"))], seats: ["INTUNE_A": 10]))
        #expect(result.activeUsers("INTUNE_A") == ["a", "b", "c", "e"])
        #expect(result.groupCycles == [["self"], ["x", "y", "z"]])
    }

    @Test func deepChainDoesNotExhaustTheStack() {
        let depth = 20_000
        let chain = (0..<depth).map { F.group("g\($0)", users: ["u\($0)"], groups: $0 + 1 < depth ? ["g\($0 + 1)"] : ["g0"]) }
        let expansion = MembershipExpansion(groups: chain, nested: true)
        #expect(expansion.cycles.count == 1)
        #expect(expansion.cycles.first?.count == depth)
        #expect(expansion.userIds(inGroup: "g0").count == depth)
    }
}
