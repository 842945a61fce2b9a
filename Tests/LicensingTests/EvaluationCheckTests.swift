import Licensing
import TenantModel
import Testing

/// The four checks of DESIGN 5.3, each error kind, and the usage-location default.
@Suite struct EvaluationCheckTests {
    typealias F = Fixtures

    @Test func countViolationWhenSeatsRunOut() throws {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b")], groups: [F.group("g", users: ["a", "b"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))], seats: ["INTUNE_A": 1]))
        #expect(result.path("a", "INTUNE_A")?.state == .active)
        let refused = try #require(result.path("b", "INTUNE_A"))
        #expect(refused.state == .error)
        #expect(refused.error == .countViolation)
        #expect(result.consumedUnits["INTUNE_A"] == 1)
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.kind == .countViolation)
        #expect(finding.userPrincipalName == "b@corp.example.org")
        #expect(finding.skuPartNumber == "INTUNE_A")
        #expect(finding.group == "g name")
    }

    @Test func mutuallyExclusiveWithDirectLicence() throws {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [F.group("g", users: ["a"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "EXCHANGEENTERPRISE"))],
            direct: [DirectAssignment(userId: "a", skuPartNumber: "EXCHANGESTANDARD")],
            seats: ["EXCHANGEENTERPRISE": 5, "EXCHANGESTANDARD": 5]))
        let path = try #require(result.path("a", "EXCHANGEENTERPRISE"))
        #expect(path.state == .error)
        #expect(path.error == .mutuallyExclusiveViolation)
        let detail = try #require(path.errorDetail)
        #expect(detail.contains("EXCHANGESTANDARD") && detail.contains("assigned directly (pre-existing)"))
        #expect(result.findings.map(\.kind) == [.mutuallyExclusiveViolation])
        #expect(result.consumedUnits["EXCHANGEENTERPRISE"] == 0)
    }

    @Test func mutuallyExclusiveWithEarlierGroupPath() throws {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [F.group("basic", users: ["a"]), F.group("pro", users: ["a"])],
            rules: [F.resolved(F.rule(0, group: "basic", sku: "MAIL_BASIC")), F.resolved(F.rule(1, group: "pro", sku: "MAIL_PRO"))],
            seats: ["MAIL_BASIC": 5, "MAIL_PRO": 5], catalog: F.customCatalog))
        #expect(result.path("a", "MAIL_BASIC")?.state == .active)
        let path = try #require(result.path("a", "MAIL_PRO"))
        #expect(path.error == .mutuallyExclusiveViolation)
        #expect(path.errorDetail?.contains("from group 'basic name'") == true)
        #expect(result.findings.first?.group == "pro name")
    }

    @Test func aFreedSeatNeverTakesAwayAnExclusiveLicenceTheUserHolds() throws {
        // Run 1: one E3 seat goes to a; b is refused it and gets Exchange Plan 1 through the mail group instead.
        let rules = [
            F.resolved(F.rule(0, group: "e3", sku: "ENTERPRISEPACK")), F.resolved(F.rule(1, group: "mail", sku: "EXCHANGESTANDARD")),
        ]
        let seats = ["ENTERPRISEPACK": 1, "EXCHANGESTANDARD": 1]
        let first = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b")], groups: [F.group("e3", users: ["a", "b"]), F.group("mail", users: ["b"])],
            rules: rules, seats: seats))
        #expect(first.path("a", "ENTERPRISEPACK")?.state == .active)
        #expect(first.path("b", "ENTERPRISEPACK")?.error == .countViolation)
        #expect(first.path("b", "EXCHANGESTANDARD")?.state == .active)

        // Run 2: a leaves the E3 group. The freed seat must not make b trade the licence it holds for a conflicting one.
        let second = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b")], groups: [F.group("e3", users: ["b"]), F.group("mail", users: ["b"])],
            rules: rules, previous: first.groupPaths, seats: seats))
        #expect(second.path("b", "EXCHANGESTANDARD")?.state == .active)
        let refused = try #require(second.path("b", "ENTERPRISEPACK"))
        #expect(refused.error == .mutuallyExclusiveViolation)
        #expect(refused.errorDetail?.contains("from group 'mail name'") == true, "\(refused.errorDetail ?? "")")
        #expect(second.consumedUnits["ENTERPRISEPACK"] == 0)
        #expect(second.consumedUnits["EXCHANGESTANDARD"] == 1)
    }

    @Test func dependencyViolationUnlessAnotherPathEnablesTheRequiredPlan() throws {
        let rules = [F.resolved(F.rule(0, group: "render", sku: "CAD", disabled: ["CAD_CORE"]))]
        let alone = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [F.group("render", users: ["a"])], rules: rules,
            seats: ["CAD": 5], catalog: F.customCatalog))
        let path = try #require(alone.path("a", "CAD"))
        #expect(path.error == .dependencyViolation)
        #expect(path.errorDetail?.contains("CAD_RENDER requires CAD_CORE") == true)

        let withCore = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a")], groups: [F.group("render", users: ["a"]), F.group("core", users: ["a"])],
            rules: rules + [F.resolved(F.rule(1, group: "core", sku: "CAD_CORE_ONLY"))],
            seats: ["CAD": 5, "CAD_CORE_ONLY": 5], catalog: F.customCatalog))
        #expect(withCore.path("a", "CAD")?.state == .active)
        #expect(withCore.findings.isEmpty)
    }

    @Test func prohibitedInUsageLocationWithoutAnyLocation() throws {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a", location: nil)], groups: [F.group("g", users: ["a"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))], seats: ["INTUNE_A": 5]))
        let path = try #require(result.path("a", "INTUNE_A"))
        #expect(path.state == .error)
        #expect(path.error == .prohibitedInUsageLocationViolation)
        #expect(result.usageLocationUpdates.isEmpty)
        #expect(result.consumedUnits["INTUNE_A"] == 0)
    }

    @Test func defaultUsageLocationIsFilledForGroupPathsOnlyAndNeverOverwrites() {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("none", location: nil), F.user("fr", location: "FR"), F.user("direct-only", location: nil)],
            groups: [F.group("g", users: ["none", "fr"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))],
            direct: [DirectAssignment(userId: "direct-only", skuPartNumber: "SPE_E5")],
            seats: ["INTUNE_A": 5, "SPE_E5": 5], defaultLocation: "DE"))
        #expect(result.usageLocationUpdates == ["none": "DE"])
        #expect(result.path("none", "INTUNE_A")?.state == .active)
        #expect(result.path("fr", "INTUNE_A")?.state == .active)
        #expect(result.directPaths.map(\.userId) == ["direct-only"])
        #expect(result.findings.isEmpty)
    }

    @Test func activeWithErrorWhenTheUserHoldsTheSkuThroughAnotherPath() throws {
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a", location: nil)], groups: [F.group("g", users: ["a"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))],
            direct: [DirectAssignment(userId: "a", skuPartNumber: "INTUNE_A")], seats: ["INTUNE_A": 5]))
        let path = try #require(result.path("a", "INTUNE_A"))
        #expect(path.state == .activeWithError)
        #expect(path.error == .prohibitedInUsageLocationViolation)
        #expect(result.consumedUnits["INTUNE_A"] == 1)
    }

    @Test func disabledAccountsGetNoGroupPathsWhenSkipped() {
        let input = F.input(
            users: [F.user("on"), F.user("off", enabled: false)], groups: [F.group("g", users: ["on", "off"])],
            rules: [F.resolved(F.rule(0, group: "g", sku: "INTUNE_A"))], seats: ["INTUNE_A": 5], skipDisabled: true)
        #expect(LicenseEvaluator.evaluate(input).activeUsers("INTUNE_A") == ["on"])
        var notSkipping = input
        notSkipping.skipDisabledAccounts = false
        #expect(LicenseEvaluator.evaluate(notSkipping).activeUsers("INTUNE_A") == ["on", "off"])
    }

    @Test func seatRefusalDoesNotBlockAnotherLicenceOfTheSameUser() {
        // b's MAIL_BASIC is refused for seats, so it must not make b's MAIL_PRO exclusive.
        let result = LicenseEvaluator.evaluate(F.input(
            users: [F.user("a"), F.user("b")],
            groups: [F.group("basic", users: ["a", "b"]), F.group("pro", users: ["b"])],
            rules: [F.resolved(F.rule(0, group: "basic", sku: "MAIL_BASIC")), F.resolved(F.rule(1, group: "pro", sku: "MAIL_PRO"))],
            seats: ["MAIL_BASIC": 1, "MAIL_PRO": 1], catalog: F.customCatalog))
        #expect(result.path("b", "MAIL_BASIC")?.error == .countViolation)
        #expect(result.path("b", "MAIL_PRO")?.state == .active)
    }
}
