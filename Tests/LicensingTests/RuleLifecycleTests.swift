import Licensing
import TenantModel
import Testing

/// Rules removed, changed, or naming a group that cannot be found; several rules on one group.
@Suite struct RuleLifecycleTests {
    typealias F = Fixtures
    let users = [F.user("a"), F.user("b")]
    let groups = [F.group("g", users: ["a", "b"])]

    func firstRun(_ rules: [ResolvedLicenseRule]) -> LicensingResult {
        LicenseEvaluator.evaluate(F.input(users: users, groups: groups, rules: rules, seats: ["INTUNE_A": 5, "SPE_E5": 5]))
    }

    @Test func removedRuleLosesExactlyItsPaths() {
        let intune = F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))
        let e5 = F.resolved(F.rule(1, group: "g", sku: "SPE_E5"))
        let before = firstRun([intune, e5])
        #expect(before.groupPaths.count == 4)
        let after = LicenseEvaluator.evaluate(F.input(
            users: users, groups: groups, rules: [e5], previous: before.groupPaths, seats: ["INTUNE_A": 5, "SPE_E5": 5]))
        #expect(after.groupPaths.map(\.skuPartNumber) == ["SPE_E5", "SPE_E5"])
        let diff = PathDiff.between(previous: before.groupPaths, desired: after.groupPaths)
        #expect(diff.upserts.isEmpty)
        #expect(Set(diff.deletes) == [
            LicensePathKey(userId: "a", skuPartNumber: "INTUNE_A", ruleKey: "g|INTUNE_A"),
            LicensePathKey(userId: "b", skuPartNumber: "INTUNE_A", ruleKey: "g|INTUNE_A"),
        ])
    }

    @Test func changedDisabledPlansUpdatesThePath() throws {
        let before = firstRun([F.resolved(F.rule(0, group: "g", sku: "SPE_E5"))])
        let changed = F.resolved(F.rule(0, group: "g", sku: "SPE_E5", disabled: ["YAMMER_ENTERPRISE"]))
        let after = LicenseEvaluator.evaluate(F.input(
            users: users, groups: groups, rules: [changed],
            previous: before.groupPaths.map { var path = $0; path.lastUpdatedDateTime = F.earlier; return path },
            seats: ["SPE_E5": 5]))
        let diff = PathDiff.between(previous: before.groupPaths, desired: after.groupPaths)
        #expect(diff.deletes.isEmpty)
        #expect(diff.upserts.count == 2)
        let path = try #require(after.path("a", "SPE_E5"))
        #expect(path.disabledPlans == ["YAMMER_ENTERPRISE"])
        #expect(path.lastUpdatedDateTime == F.runTime)
    }

    @Test func unchangedPathKeepsItsTimeAndIsNotRewritten() {
        let rules = [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))]
        let previous = firstRun(rules).groupPaths.map { var path = $0; path.lastUpdatedDateTime = F.earlier; return path }
        let again = LicenseEvaluator.evaluate(F.input(users: users, groups: groups, rules: rules, previous: previous,
                                                      seats: ["INTUNE_A": 5]))
        #expect(again.groupPaths.allSatisfy { $0.lastUpdatedDateTime == F.earlier })
        let diff = PathDiff.between(previous: previous, desired: again.groupPaths)
        #expect(diff.upserts.isEmpty && diff.deletes.isEmpty)
    }

    @Test(arguments: [RuleGroupResolution.notFound, .ambiguous(groupIds: ["g", "g2"])])
    func ruleWithUnresolvableGroupKeepsItsPathsAndIsReported(resolution: RuleGroupResolution) throws {
        let rule = F.rule(0, group: "g", sku: "INTUNE_A")
        let before = firstRun([F.resolved(rule)])
        let after = LicenseEvaluator.evaluate(F.input(
            users: users + [F.user("c")], groups: groups + [F.group("g2", users: ["c"])],
            rules: [ResolvedLicenseRule(rule: rule, group: resolution)], previous: before.groupPaths,
            seats: ["INTUNE_A": 5]))
        #expect(after.groupPaths == before.groupPaths)
        #expect(after.path("c", "INTUNE_A") == nil)
        let problem = try #require(after.ruleProblems.first)
        #expect(after.ruleProblems.count == 1)
        #expect(problem.rule == rule)
        #expect(problem.kind == (resolution == .notFound ? .groupNotFound : .groupAmbiguous))
        #expect(problem.message.contains("licenses nobody new"))
        #expect(after.consumedUnits["INTUNE_A"] == 2)
    }

    @Test func severalRulesOnOneGroupAreIndependentPerSku() {
        // No E5 seats: the E5 paths fail, the INTUNE_A paths on the same group do not.
        let result = LicenseEvaluator.evaluate(F.input(
            users: users, groups: groups,
            rules: [F.resolved(F.rule(0, group: "g", sku: "SPE_E5")), F.resolved(F.rule(1, group: "g", sku: "INTUNE_A"))],
            seats: ["INTUNE_A": 5]))
        #expect(result.activeUsers("INTUNE_A") == ["a", "b"])
        #expect(result.groupPaths.filter { $0.skuPartNumber == "SPE_E5" }.allSatisfy { $0.error == .countViolation })
    }

    @Test func deletedUsersAreSkipped() {
        var gone = F.user("b")
        gone.deletedDateTime = F.earlier
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), gone], groups: groups, rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))],
            direct: [DirectAssignment(userId: "b", skuPartNumber: "SPE_E5")], seats: ["INTUNE_A": 5]))
        #expect(result.groupPaths.map(\.userId) == ["a"])
        #expect(result.directPaths.isEmpty)
    }
}
