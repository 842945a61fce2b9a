import Foundation
import Reporting
import TenantModel

/// A small tenant built by hand for the view tests.
///
/// - alice (synced): SPE_E3 direct (SWAY and INTUNE_A off) and through "E3 Staff" (SWAY off); INTUNE_A through
///   "Intune Users". Holds both SKUs; SPE_E3 has only SWAY disabled (union of enabled plans).
/// - bob (synced): SPE_E3 direct (Active) and through "E3 Staff" (ActiveWithError, MutuallyExclusiveViolation);
///   INTUNE_A through "Intune Users" in Error (CountViolation). Holds only SPE_E3.
/// - carol: cloud-only, no optional fields, no licenses.
/// - dave: soft-deleted, with a leftover Active INTUNE_A path.
enum ViewsFixture {
    static let e3SkuId = "05e9a617-0261-4cee-bb44-138d3ef5d965"
    static let intuneSkuId = "061f9ace-7d42-4136-88ac-31dc755f143f"
    static let exchangeId = "efb87545-963c-4e0d-99df-69c6916d9eb0"
    static let intunePlanId = "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"
    static let swayId = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"

    static let intuneGroupId = "group-intune"
    static let e3GroupId = "group-e3"
    static let nestedGroupId = "group-nested"

    static let updated = Date(timeIntervalSince1970: 1_714_557_600)  // 2024-05-01T10:00:00Z
    static let deleted = Date(timeIntervalSince1970: 1_717_236_000)  // 2024-06-01T10:00:00Z

    static let catalog = [
        SkuDefinition(skuId: e3SkuId, skuPartNumber: "SPE_E3", servicePlans: [
            ServicePlan(servicePlanId: exchangeId, servicePlanName: "EXCHANGE_S_ENTERPRISE"),
            ServicePlan(servicePlanId: intunePlanId, servicePlanName: "INTUNE_A"),
            ServicePlan(servicePlanId: swayId, servicePlanName: "SWAY"),
        ]),
        SkuDefinition(skuId: intuneSkuId, skuPartNumber: "INTUNE_A", servicePlans: [
            ServicePlan(servicePlanId: intunePlanId, servicePlanName: "INTUNE_A"),
        ]),
    ]

    static let users = [
        TenantUser(
            id: "user-alice", userPrincipalName: "alice@example.org", displayName: "Alice Liddell",
            mail: "alice@example.org", usageLocation: "GB", onPremisesImmutableId: "YWxpY2U=",
            onPremisesDistinguishedName: "uid=alice,ou=people,dc=example,dc=org"
        ),
        TenantUser(
            id: "user-bob", userPrincipalName: "Bob@Example.org", displayName: "Bob \"The Builder\" Smith",
            usageLocation: "DE", accountEnabled: false, onPremisesImmutableId: "Ym9i",
            onPremisesDistinguishedName: "uid=bob,ou=people,dc=example,dc=org"
        ),
        TenantUser(id: "user-carol", userPrincipalName: "carol@example.org"),
        TenantUser(
            id: "user-dave", userPrincipalName: "dave@example.org", displayName: "Dave", usageLocation: "FR",
            onPremisesImmutableId: "ZGF2ZQ==", deletedDateTime: deleted
        ),
    ]

    static let groups = [
        TenantGroup(
            id: intuneGroupId, displayName: "Intune Users", onPremisesImmutableId: "aW50dW5l",
            onPremisesDistinguishedName: "cn=Intune Users,ou=groups,dc=example,dc=org",
            memberUserIds: ["user-alice", "user-bob"]
        ),
        TenantGroup(
            id: e3GroupId, displayName: "E3 Staff", onPremisesImmutableId: "ZTM=",
            onPremisesDistinguishedName: "cn=E3 Staff,ou=groups,dc=example,dc=org",
            memberUserIds: ["user-alice", "user-bob"], memberGroupIds: [nestedGroupId]
        ),
        TenantGroup(
            id: nestedGroupId, displayName: "Contractors", onPremisesImmutableId: "Y29u",
            onPremisesDistinguishedName: "cn=Contractors,ou=groups,dc=example,dc=org"
        ),
    ]

    static let directPaths = [
        LicensePath(userId: "user-alice", skuPartNumber: "SPE_E3", disabledPlans: ["SWAY", "INTUNE_A"], lastUpdatedDateTime: updated),
        LicensePath(userId: "user-bob", skuPartNumber: "SPE_E3", lastUpdatedDateTime: updated),
    ]

    static let groupPaths = [
        LicensePath(
            userId: "user-alice", skuPartNumber: "SPE_E3", assignedByGroup: e3GroupId, ruleKey: "E3 Staff/SPE_E3",
            disabledPlans: ["SWAY"], lastUpdatedDateTime: updated
        ),
        LicensePath(
            userId: "user-alice", skuPartNumber: "INTUNE_A", assignedByGroup: intuneGroupId, ruleKey: "Intune Users/INTUNE_A",
            lastUpdatedDateTime: updated
        ),
        LicensePath(
            userId: "user-bob", skuPartNumber: "SPE_E3", assignedByGroup: e3GroupId, ruleKey: "E3 Staff/SPE_E3",
            disabledPlans: ["SWAY"], state: .activeWithError, error: .mutuallyExclusiveViolation,
            errorDetail: "conflicts with a direct SPE_E3", lastUpdatedDateTime: updated
        ),
        LicensePath(
            userId: "user-bob", skuPartNumber: "INTUNE_A", assignedByGroup: intuneGroupId, ruleKey: "Intune Users/INTUNE_A",
            state: .error, error: .countViolation, errorDetail: "no free INTUNE_A seat", lastUpdatedDateTime: updated
        ),
        LicensePath(
            userId: "user-dave", skuPartNumber: "INTUNE_A", assignedByGroup: intuneGroupId, ruleKey: "Intune Users/INTUNE_A",
            lastUpdatedDateTime: updated
        ),
    ]

    static let findings = [
        Finding(kind: .redundantDirectAssignment, userPrincipalName: "alice@example.org", skuPartNumber: "SPE_E3",
                group: "E3 Staff", detail: "the group path enables every plan the direct assignment does"),
        Finding(kind: .countViolation, userPrincipalName: "Bob@Example.org", skuPartNumber: "INTUNE_A",
                group: "Intune Users", detail: "no free INTUNE_A seat (1 of 1 consumed)"),
        Finding(kind: .uniquenessViolation, userPrincipalName: "alice@example.org", detail: "two entries claim this UPN"),
    ]

    static let groupLicenses: [String: [GroupLicense]] = [
        intuneGroupId: [GroupLicense(skuPartNumber: "INTUNE_A")],
        e3GroupId: [GroupLicense(skuPartNumber: "SPE_E3", disabledPlans: ["SWAY"])],
    ]

    static func view() -> TenantView {
        let state = TenantState(
            users: users, groups: groups, directAssignments: [
                DirectAssignment(userId: "user-alice", skuPartNumber: "SPE_E3", disabledPlans: ["SWAY", "INTUNE_A"]),
                DirectAssignment(userId: "user-bob", skuPartNumber: "SPE_E3"),
            ],
            groupPaths: groupPaths,
            subscriptions: [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 10), SubscribedSku(skuPartNumber: "INTUNE_A", enabledUnits: 1)]
        )
        return TenantView(state: state, directPaths: directPaths, findings: findings, lookup: SkuLookup(catalog: catalog))
    }

    /// Parses view output back with JSONSerialization, as a program reading `--json` would.
    static func parseArray(_ text: String) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let array = value as? [[String: Any]] else { throw ParseFailure(text: text) }
        return array
    }

    struct ParseFailure: Error { var text: String }
}
