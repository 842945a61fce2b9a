import Licensing
import TenantModel
import Testing

/// Pre-existing direct licences next to group paths, and the checks of `license assign`.
@Suite struct DirectAssignmentTests {
    typealias F = Fixtures

    func evaluate(direct: DirectAssignment, ruleDisabled: [String] = []) -> LicensingResult {
        LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [F.group("g", users: ["a"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "SPE_E5", disabled: ruleDisabled))],
            direct: [direct], seats: ["SPE_E5": 1]))
    }

    @Test func redundantWhenTheGroupPathCoversTheDirectOne() throws {
        let result = evaluate(direct: DirectAssignment(userId: "a", skuPartNumber: "SPE_E5", disabledPlans: ["YAMMER_ENTERPRISE"]))
        #expect(result.path("a", "SPE_E5")?.state == .active)
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.kind == .redundantDirectAssignment)
        #expect(finding.group == "g name")
        #expect(result.directPaths.first?.state == .active)
        #expect(result.consumedUnits["SPE_E5"] == 1)
    }

    @Test func planMismatchNamesTheExtraPlans() throws {
        let result = evaluate(direct: DirectAssignment(userId: "a", skuPartNumber: "SPE_E5"),
                              ruleDisabled: ["YAMMER_ENTERPRISE", "EXCHANGE_ANALYTICS"])
        let finding = try #require(result.findings.first)
        #expect(finding.kind == .directAssignmentPlanMismatch)
        #expect(finding.detail.contains("EXCHANGE_ANALYTICS, YAMMER_ENTERPRISE"))
    }

    @Test func noFindingWithoutAnActiveGroupPath() {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [], rules: [],
            direct: [DirectAssignment(userId: "a", skuPartNumber: "SPE_E5")], seats: ["SPE_E5": 1]))
        #expect(result.findings.isEmpty)
        #expect(result.directPaths.map(\.skuPartNumber) == ["SPE_E5"])
    }

    @Test func aDirectPathCarriesItsAssignmentsTimeNotTheEvaluationTime() throws {
        let assigned = F.earlier
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b")], groups: [], rules: [],
            direct: [
                DirectAssignment(userId: "a", skuPartNumber: "SPE_E5", lastUpdatedDateTime: assigned),
                DirectAssignment(userId: "b", skuPartNumber: "SPE_E5"),
            ],
            seats: ["SPE_E5": 2]))
        let stored = try #require(result.directPaths.first { $0.userId == "a" })
        #expect(stored.lastUpdatedDateTime == assigned)
        #expect(stored.lastUpdatedDateTime != F.runTime)
        // One never stored has no time of its own yet: it is dated by the evaluation.
        #expect(result.directPaths.first { $0.userId == "b" }?.lastUpdatedDateTime == F.runTime)
    }

    // MARK: - DirectAssignmentCheck

    func checkInput(users: [TenantUser], direct: [DirectAssignment] = [], seats: [String: Int]) -> LicensingInput {
        F.input(users: users, groups: [F.group("pro", users: ["holder"])],
                rules: [F.resolved(F.rule(0, group: "pro", sku: "MAIL_PRO"))], direct: direct, seats: seats,
                catalog: F.customCatalog, defaultLocation: "DE")
    }

    @Test func assignAllowedWhenEverythingFits() {
        let input = checkInput(users: [F.user("a")], seats: ["MAIL_BASIC": 1])
        #expect(DirectAssignmentCheck.check(input: input, userId: "a", skuPartNumber: "mail_basic", disabledPlans: []).isEmpty)
    }

    @Test func assignRefusedWithoutAFreeSeat() {
        let input = checkInput(users: [F.user("a"), F.user("b")],
                               direct: [DirectAssignment(userId: "b", skuPartNumber: "MAIL_BASIC")], seats: ["MAIL_BASIC": 1])
        let findings = DirectAssignmentCheck.check(input: input, userId: "a", skuPartNumber: "MAIL_BASIC", disabledPlans: [])
        #expect(findings.map(\.kind) == [.countViolation])
        // b already holds it: re-assigning (with other disabled plans) needs no new seat.
        #expect(DirectAssignmentCheck.check(input: input, userId: "b", skuPartNumber: "MAIL_BASIC", disabledPlans: []).isEmpty)
    }

    @Test func assignRefusedWithoutUsageLocationEvenWithADefault() {
        let input = checkInput(users: [F.user("a", location: nil)], seats: ["MAIL_BASIC": 1])
        let findings = DirectAssignmentCheck.check(input: input, userId: "a", skuPartNumber: "MAIL_BASIC", disabledPlans: [])
        #expect(findings.map(\.kind) == [.prohibitedInUsageLocationViolation])
    }

    @Test func assignRefusedForPlansExclusiveWithAGroupLicence() throws {
        let input = checkInput(users: [F.user("holder")], seats: ["MAIL_BASIC": 1, "MAIL_PRO": 1])
        let findings = DirectAssignmentCheck.check(input: input, userId: "holder", skuPartNumber: "MAIL_BASIC", disabledPlans: [])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.kind == .mutuallyExclusiveViolation)
        #expect(finding.detail.contains("from group 'pro name'"))
    }

    @Test func assignRefusedForMissingDependencyAndUnknownPlan() {
        let input = checkInput(users: [F.user("a")], seats: ["CAD": 1])
        let dependency = DirectAssignmentCheck.check(input: input, userId: "a", skuPartNumber: "CAD", disabledPlans: ["CAD_CORE"])
        #expect(dependency.map(\.kind) == [.dependencyViolation])
        let unknown = DirectAssignmentCheck.check(input: input, userId: "a", skuPartNumber: "CAD", disabledPlans: ["NOPE"])
        #expect(unknown.map(\.kind) == [.other])
        #expect(DirectAssignmentCheck.check(input: input, userId: "zz", skuPartNumber: "CAD", disabledPlans: []).map(\.kind) == [.other])
    }
}
