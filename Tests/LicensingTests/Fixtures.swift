import Foundation
import Licensing
import TenantModel

/// Builders for small tenants, so each test states only what it is about.
enum Fixtures {
    static let runTime = Date(timeIntervalSince1970: 1_750_000_000)
    static let earlier = Date(timeIntervalSince1970: 1_700_000_000)

    static func user(_ id: String, upn: String? = nil, location: String? = "DE", enabled: Bool = true,
                     enteredRun: Int64 = 1) -> TenantUser {
        TenantUser(id: id, userPrincipalName: upn ?? "\(id)@corp.example.org", usageLocation: location,
                   accountEnabled: enabled, enteredRun: enteredRun)
    }

    static func group(_ id: String, users: [String] = [], groups: [String] = []) -> TenantGroup {
        TenantGroup(id: id, displayName: "\(id) name", onPremisesImmutableId: "anchor-\(id)",
                    onPremisesDistinguishedName: "cn=\(id),ou=groups,dc=example,dc=org",
                    memberUserIds: users, memberGroupIds: groups)
    }

    static func rule(_ index: Int, group: String, sku: String, disabled: [String] = []) -> LicenseRule {
        LicenseRule(index: index, groupSpec: group, skuPartNumber: sku, disabledPlans: disabled, key: "\(group)|\(sku)")
    }

    static func resolved(_ rule: LicenseRule, to groupId: String? = nil) -> ResolvedLicenseRule {
        ResolvedLicenseRule(rule: rule, group: .resolved(groupId: groupId ?? rule.groupSpec))
    }

    /// A small catalog: CAD_RENDER needs CAD_CORE; MAIL_S_BASIC and MAIL_S_PRO may not be held together.
    static let customCatalog = SkuCatalog(skus: [
        SkuDefinition(skuId: "00000000-0000-0000-0000-00000000000a", skuPartNumber: "CAD", servicePlans: [
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000a1", servicePlanName: "CAD_CORE"),
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000a2", servicePlanName: "CAD_RENDER",
                        requires: ["CAD_CORE"]),
        ]),
        SkuDefinition(skuId: "00000000-0000-0000-0000-00000000000b", skuPartNumber: "CAD_CORE_ONLY", servicePlans: [
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000a1", servicePlanName: "CAD_CORE"),
        ]),
        SkuDefinition(skuId: "00000000-0000-0000-0000-00000000000c", skuPartNumber: "MAIL_BASIC", servicePlans: [
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000c1", servicePlanName: "MAIL_S_BASIC"),
        ]),
        SkuDefinition(skuId: "00000000-0000-0000-0000-00000000000d", skuPartNumber: "MAIL_PRO", servicePlans: [
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000d1", servicePlanName: "MAIL_S_PRO"),
            ServicePlan(servicePlanId: "00000000-0000-0000-0000-0000000000d2", servicePlanName: "ARCHIVE"),
        ]),
    ], exclusiveSets: [["MAIL_S_BASIC", "MAIL_S_PRO"]])

    static func input(
        users: [TenantUser], groups: [TenantGroup], rules: [ResolvedLicenseRule],
        direct: [DirectAssignment] = [], previous: [LicensePath] = [], seats: [String: Int],
        catalog: SkuCatalog = .builtIn, defaultLocation: String? = nil, nested: Bool = true,
        skipDisabled: Bool = false
    ) -> LicensingInput {
        LicensingInput(
            users: users, groups: groups, rules: rules, directAssignments: direct, previousGroupPaths: previous,
            subscriptions: seats, catalog: catalog, defaultUsageLocation: defaultLocation, nestedGroups: nested,
            skipDisabledAccounts: skipDisabled, now: runTime)
    }
}

extension LicensingResult {
    /// The group path of this user for this SKU (made by the rule with this key, when given).
    func path(_ userId: String, _ sku: String, rule key: String? = nil) -> LicensePath? {
        groupPaths.first { $0.userId == userId && $0.skuPartNumber == sku && (key == nil || $0.ruleKey == key) }
    }

    /// Users holding an active group path for the SKU.
    func activeUsers(_ sku: String) -> Set<String> {
        Set(groupPaths.filter { $0.skuPartNumber == sku && $0.state == .active }.map(\.userId))
    }
}
