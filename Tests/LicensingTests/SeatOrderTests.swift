import Licensing
import TenantModel
import Testing

/// Who gets a seat when seats run short: keepers, then rule order, enteredRun, UPN.
@Suite struct SeatOrderTests {
    typealias F = Fixtures

    /// 30 claimants for 25 INTUNE_A seats: five in the first rule's group (entered late), 25 only in the second
    /// rule's group: ten entered in run 1, fifteen in run 2 with UPNs whose case-insensitive order differs from the
    /// case-sensitive one.
    static func tenant() -> (users: [TenantUser], groups: [TenantGroup], expectedWinners: Set<String>) {
        var users: [TenantUser] = []
        let priority = (1...5).map { "p\($0)" }
        users += priority.map { F.user($0, enteredRun: 9) }
        let early = (1...10).map { "e\($0)" }
        users += early.map { F.user($0, upn: "zz-\($0)@corp.example.org", enteredRun: 1) }
        // Run-2 users: ids l1...l15; UPNs alternate case so "B..." sorts after "a..." only case-insensitively.
        let lateUpns = ["Oscar", "alice", "Nina", "bob", "Mike", "carol", "Lena", "dave", "Kurt", "Erin", "joe", "Fred",
                        "ivan", "Gina", "hank"]
        for (offset, name) in lateUpns.enumerated() {
            users.append(F.user("l\(offset + 1)", upn: "\(name)@corp.example.org", enteredRun: 2))
        }
        let sortedLate = users.filter { $0.enteredRun == 2 }
            .sorted { $0.userPrincipalName.lowercased() < $1.userPrincipalName.lowercased() }
        // alice, bob, carol, dave, Erin, Fred, Gina, hank, ivan, joe win; Kurt, Lena, Mike, Nina, Oscar lose.
        let winners = Set(priority + early + sortedLate.prefix(10).map(\.id))
        let all = users.map(\.id)
        return (users, [F.group("first", users: priority), F.group("all", users: all.reversed())], winners)
    }

    static let rules = [F.resolved(F.rule(0, group: "first", sku: "INTUNE_A")), F.resolved(F.rule(1, group: "all", sku: "INTUNE_A"))]

    @Test func seatsGoByRuleOrderThenEnteredRunThenUpn() throws {
        let (users, groups, winners) = Self.tenant()
        let result = LicenseEvaluator.evaluate(F.input(users: users, groups: groups, rules: Self.rules, seats: ["INTUNE_A": 25]))
        #expect(result.activeUsers("INTUNE_A") == winners)
        #expect(winners.contains("l4") && !winners.contains("l5"))  // bob in, Mike out
        #expect(result.consumedUnits["INTUNE_A"] == 25)
        let refused = Set(result.groupPaths.filter { $0.error == .countViolation }.map(\.userId))
        #expect(refused == Set(users.map(\.id)).subtracting(winners))
        // The five first-rule users also hold a path from the second rule (same seat).
        #expect(result.path("p1", "INTUNE_A", rule: "all|INTUNE_A")?.state == .active)
        #expect(result.groupPaths.count == 35)
    }

    @Test func holdersKeepTheirSeatAheadOfNewClaimants() throws {
        let (users, groups, _) = Self.tenant()
        // Oscar (l1) held INTUNE_A last run: he keeps it, and the last newcomer (joe, l11) loses out.
        let previous = [LicensePath(userId: "l1", skuPartNumber: "INTUNE_A", assignedByGroup: "all",
                                    ruleKey: "all|INTUNE_A", lastUpdatedDateTime: F.earlier)]
        let result = LicenseEvaluator.evaluate(F.input(
            users: users, groups: groups, rules: Self.rules, previous: previous, seats: ["INTUNE_A": 25]))
        let active = result.activeUsers("INTUNE_A")
        #expect(active.contains("l1"))
        #expect(!active.contains("l11"))
        #expect(active.count == 25)
        #expect(result.path("l1", "INTUNE_A")?.lastUpdatedDateTime == F.earlier)
    }

    @Test func directAssignmentsOverCommittingSeatsRemoveNobody() {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("d1"), F.user("d2"), F.user("g1")], groups: [F.group("g", users: ["g1"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))],
            direct: [DirectAssignment(userId: "d1", skuPartNumber: "INTUNE_A"), DirectAssignment(userId: "d2", skuPartNumber: "INTUNE_A")],
            previous: [LicensePath(userId: "g1", skuPartNumber: "INTUNE_A", assignedByGroup: "g", ruleKey: "g|INTUNE_A",
                                   lastUpdatedDateTime: F.earlier)],
            seats: ["INTUNE_A": 1]))
        #expect(result.path("g1", "INTUNE_A")?.state == .active)
        #expect(result.directPaths.count == 2)
        #expect(result.consumedUnits["INTUNE_A"] == 3)
    }

    @Test func freedSeatGoesToTheNextClaimantOnReevaluation() throws {
        let users = [F.user("a", enteredRun: 1), F.user("b", enteredRun: 2), F.user("c", enteredRun: 3)]
        let rules = [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))]
        let first = LicenseEvaluator.evaluate(F.input(
            users: users, groups: [F.group("g", users: ["c", "b", "a"])], rules: rules, seats: ["INTUNE_A": 2]))
        #expect(first.activeUsers("INTUNE_A") == ["a", "b"])
        #expect(first.path("c", "INTUNE_A")?.error == .countViolation)

        let second = LicenseEvaluator.evaluate(F.input(
            users: users, groups: [F.group("g", users: ["c", "b"])], rules: rules, previous: first.groupPaths,
            seats: ["INTUNE_A": 2]))
        #expect(second.activeUsers("INTUNE_A") == ["b", "c"])
        #expect(second.findings.isEmpty)
        let diff = PathDiff.between(previous: first.groupPaths, desired: second.groupPaths)
        #expect(diff.deletes == [LicensePathKey(userId: "a", skuPartNumber: "INTUNE_A", ruleKey: "g|INTUNE_A")])
        #expect(diff.upserts.map(\.userId) == ["c"])
    }
}
