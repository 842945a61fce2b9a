import Foundation
import Licensing
import TenantModel

/// Generated tenants of the size DESIGN section 7 names, the same on every run.
enum Scenarios {
    static let skus = ["SPE_E5", "SPE_E3", "INTUNE_A", "EXCHANGESTANDARD", "EXCHANGEENTERPRISE", "POWER_BI_PRO"]
    static let subscriptions = ["SPE_E5": 60_000, "SPE_E3": 40_000, "INTUNE_A": 25_000, "EXCHANGESTANDARD": 80_000,
                                "EXCHANGEENTERPRISE": 30_000, "POWER_BI_PRO": 50_000]

    /// A tenant object id in UUID form, as the tenant model uses.
    static func userId(_ index: Int) -> String {
        let digits = String(index)
        return "3f2a9c1e-7b4d-4e8a-9c6f-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    static func users(count: Int) -> [TenantUser] {
        (0..<count).map { index in
            TenantUser(id: userId(index), userPrincipalName: "user\(index)@corp.example.org",
                       usageLocation: index % 20 == 0 ? nil : "DE", enteredRun: Int64(index % 7))
        }
    }

    static func rule(_ index: Int, groupId: String) -> ResolvedLicenseRule {
        let sku = skus[index % skus.count]
        let rule = LicenseRule(index: index, groupSpec: "Group \(index)", skuPartNumber: sku,
                               disabledPlans: index % 3 == 0 ? ["YAMMER_ENTERPRISE"] : [], key: "group \(index)|\(sku)")
        return ResolvedLicenseRule(rule: rule, group: .resolved(groupId: groupId))
    }

    static func group(_ index: Int, users: [String], groups: [String] = []) -> TenantGroup {
        TenantGroup(id: "group-\(index)", displayName: "Group \(index)", onPremisesImmutableId: "anchor-\(index)",
                    onPremisesDistinguishedName: "cn=Group \(index),ou=groups,dc=corp,dc=example,dc=org",
                    memberUserIds: users, memberGroupIds: groups)
    }

    static func directAssignments(userCount: Int) -> [DirectAssignment] {
        (0..<5_000).map { index in
            DirectAssignment(userId: userId((index * 20) % userCount),
                             skuPartNumber: index % 2 == 0 ? "SPE_E5" : "EXCHANGESTANDARD")
        }
    }

    /// DESIGN section 7: 100,000 users, 10,000 groups (about 275,000 member values, the largest group 30,000
    /// members, some nested, one nesting cycle), 50 rules on the first 50 groups, 5,000 direct assignments.
    static func design() -> LicensingInput {
        let userCount = 100_000
        let groupCount = 10_000
        var groups: [TenantGroup] = []
        groups.reserveCapacity(groupCount)
        for index in 0..<groupCount {
            let size: Int
            if index == 0 {
                size = 30_000
            } else if index < 50 {
                size = 1_000 + (index * 1_373) % 5_000
            } else {
                size = 1 + (index * 37) % 14
            }
            let start = (index * 7_919) % userCount
            let members = (0..<size).map { userId((start + $0 * 3) % userCount) }
            var nested: [String] = []
            if index < 50, index % 5 == 0 {
                nested = (0..<20).map { "group-\(50 + index * 20 + $0)" }
            } else if index >= 50, index % 10 == 0, index + 1 < groupCount {
                nested = ["group-\(index + 1)"]
            }
            if index == 9_997 { nested.append("group-9990") }
            if index == 9_999 { nested.append("group-9997") }
            if index == 9_990 { nested.append("group-9999") }
            groups.append(group(index, users: members, groups: nested))
        }
        return LicensingInput(
            users: users(count: userCount), groups: groups,
            rules: (0..<50).map { rule($0, groupId: "group-\($0)") },
            directAssignments: directAssignments(userCount: userCount), subscriptions: subscriptions,
            defaultUsageLocation: nil, nestedGroups: true, now: Date(timeIntervalSince1970: 1_750_000_000))
    }

    /// A denser tenant: 100,000 users and 50 rule groups of 2,000 to 30,000 members each (about 800,000 paths),
    /// every fifth group nesting the next.
    static func dense() -> LicensingInput {
        let userCount = 100_000
        var groups: [TenantGroup] = []
        for index in 0..<50 {
            let size = 2_000 + (index * 1_373) % 28_000
            let start = (index * 7_919) % userCount
            let members = (0..<size).map { userId((start + $0) % userCount) }
            groups.append(group(index, users: members, groups: index + 1 < 50 && index % 5 == 0 ? ["group-\(index + 1)"] : []))
        }
        return LicensingInput(
            users: users(count: userCount), groups: groups,
            rules: (0..<50).map { rule($0, groupId: "group-\($0)") },
            directAssignments: directAssignments(userCount: userCount), subscriptions: subscriptions,
            defaultUsageLocation: nil, nestedGroups: true, now: Date(timeIntervalSince1970: 1_750_000_000))
    }
}
