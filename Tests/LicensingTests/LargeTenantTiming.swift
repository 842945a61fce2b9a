import Foundation
import Licensing
import TenantModel
import Testing

/// A tenant of the size DESIGN section 7 targets: 100,000 users, 50 rules on 50 groups (nested), 5,000 direct
/// assignments, some SKUs short of seats. Timing only, run by hand:
/// `swift test --filter LargeTenantTiming` after removing `.disabled`.
enum LargeTenant {
    static func input() -> LicensingInput {
        let userCount = 100_000
        let users = (0..<userCount).map { index in
            TenantUser(id: "user-\(index)", userPrincipalName: "user\(index)@corp.example.org",
                       usageLocation: index % 10 == 0 ? nil : "DE", enteredRun: Int64(index % 7))
        }
        let skus = ["SPE_E5", "SPE_E3", "INTUNE_A", "EXCHANGESTANDARD", "EXCHANGEENTERPRISE", "POWER_BI_PRO"]
        var groups: [TenantGroup] = []
        var rules: [ResolvedLicenseRule] = []
        for index in 0..<50 {
            let size = 2_000 + (index * 1_373) % 28_000
            let start = (index * 7_919) % userCount
            let members = (0..<size).map { "user-\((start + $0) % userCount)" }
            let child = index + 1 < 50 && index % 5 == 0 ? ["group-\(index + 1)"] : []
            groups.append(TenantGroup(id: "group-\(index)", displayName: "Group \(index)", onPremisesImmutableId: "a\(index)",
                                      onPremisesDistinguishedName: "cn=g\(index)", memberUserIds: members, memberGroupIds: child))
            let sku = skus[index % skus.count]
            let rule = LicenseRule(index: index, groupSpec: "Group \(index)", skuPartNumber: sku,
                                   disabledPlans: index % 3 == 0 ? ["YAMMER_ENTERPRISE"] : [], key: "group \(index)|\(sku)")
            rules.append(ResolvedLicenseRule(rule: rule, group: .resolved(groupId: "group-\(index)")))
        }
        let direct = (0..<5_000).map { DirectAssignment(userId: "user-\($0 * 20)", skuPartNumber: $0 % 2 == 0 ? "SPE_E5" : "EXCHANGESTANDARD") }
        return LicensingInput(
            users: users, groups: groups, rules: rules, directAssignments: direct, previousGroupPaths: [],
            subscriptions: ["SPE_E5": 60_000, "SPE_E3": 40_000, "INTUNE_A": 25_000, "EXCHANGESTANDARD": 80_000,
                            "EXCHANGEENTERPRISE": 30_000, "POWER_BI_PRO": 50_000],
            catalog: .builtIn, defaultUsageLocation: nil, nestedGroups: true, skipDisabledAccounts: false,
            now: Date(timeIntervalSince1970: 1_750_000_000))
    }
}

@Suite struct LargeTenantTiming {
    @Test(.disabled("timing only: run by hand"))
    func evaluatesAHundredThousandUsers() {
        let input = LargeTenant.input()
        let clock = ContinuousClock()
        var result = LicensingResult()
        let first = clock.measure { result = LicenseEvaluator.evaluate(input) }
        var again = input
        again.previousGroupPaths = result.groupPaths
        let second = clock.measure { result = LicenseEvaluator.evaluate(again) }
        print("LargeTenantTiming: \(result.groupPaths.count) paths, \(result.findings.count) findings; first \(first), re-run \(second)")
        #expect(!result.groupPaths.isEmpty)
    }
}
