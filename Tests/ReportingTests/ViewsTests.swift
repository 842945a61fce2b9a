import Foundation
import Reporting
import TenantModel
import Testing

@Suite("JSON views")
struct ViewsTests {
    private func usersByUPN(_ text: String) throws -> [String: [String: Any]] {
        let users = try ViewsFixture.parseArray(text)
        return Dictionary(uniqueKeysWithValues: users.map { ($0["userPrincipalName"] as? String ?? "", $0) })
    }

    private func objects(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }

    @Test("users --json lists only held SKUs, one per SKU, with plans no active path enables as plan ids")
    func assignedLicensesHoldOnlyActiveSkus() throws {
        let users = try usersByUPN(UsersView.json(ViewsFixture.view()))
        let alice = objects(users["alice@example.org"]?["assignedLicenses"])
        #expect(alice.map { $0["skuPartNumber"] as? String } == ["INTUNE_A", "SPE_E3"])
        #expect(alice.map { $0["skuId"] as? String } == [ViewsFixture.intuneSkuId, ViewsFixture.e3SkuId])
        #expect(alice[0]["disabledPlans"] as? [String] == [])
        // Direct disables SWAY and INTUNE_A, the group path only SWAY: the union leaves SWAY disabled.
        #expect(alice[1]["disabledPlans"] as? [String] == [ViewsFixture.swayId])

        let bob = objects(users["Bob@Example.org"]?["assignedLicenses"])
        #expect(bob.map { $0["skuPartNumber"] as? String } == ["SPE_E3"])
        #expect(bob[0]["disabledPlans"] as? [String] == [])
        let carol = objects(users["carol@example.org"]?["assignedLicenses"])
        #expect(carol.isEmpty)
    }

    @Test("users --json has one licenseAssignmentStates row per path, with group ids, names, states and errors")
    func assignmentStatesCoverEveryPath() throws {
        let users = try usersByUPN(UsersView.json(ViewsFixture.view()))
        let rows = objects(users["Bob@Example.org"]?["licenseAssignmentStates"])
        try #require(rows.count == 3)

        let direct = try #require(rows.first { $0["assignedByGroup"] is NSNull })
        #expect(direct["skuPartNumber"] as? String == "SPE_E3")
        #expect(direct["assignedByGroup"] is NSNull)
        #expect(direct["assignedByGroupName"] is NSNull)
        #expect(direct["state"] as? String == "Active")
        #expect(direct["error"] as? String == "None")

        let intune = try #require(rows.first { $0["skuPartNumber"] as? String == "INTUNE_A" })
        #expect(intune["skuId"] as? String == ViewsFixture.intuneSkuId)
        #expect(intune["assignedByGroup"] as? String == ViewsFixture.intuneGroupId)
        #expect(intune["assignedByGroupName"] as? String == "Intune Users")
        #expect(intune["state"] as? String == "Error")
        #expect(intune["error"] as? String == "CountViolation")
        #expect(intune["lastUpdatedDateTime"] as? String == "2024-05-01T10:00:00Z")

        let e3Group = try #require(rows.first { $0["assignedByGroup"] as? String == ViewsFixture.e3GroupId })
        #expect(e3Group["assignedByGroupName"] as? String == "E3 Staff")
        #expect(e3Group["state"] as? String == "ActiveWithError")
        #expect(e3Group["error"] as? String == "MutuallyExclusiveViolation")
        #expect(e3Group["disabledPlans"] as? [String] == [ViewsFixture.swayId])

        let aliceRows = objects(users["alice@example.org"]?["licenseAssignmentStates"])
        #expect(aliceRows.map { $0["skuPartNumber"] as? String } == ["INTUNE_A", "SPE_E3", "SPE_E3"])
        let aliceDirect = try #require(aliceRows.first { $0["assignedByGroup"] is NSNull })
        #expect(aliceDirect["disabledPlans"] as? [String] == [ViewsFixture.swayId, ViewsFixture.intunePlanId])
    }

    @Test("users --json writes explicit nulls for a cloud-only user and keeps Graph's key order")
    func cloudOnlyUserHasExplicitNulls() throws {
        let text = UsersView.json(ViewsFixture.view(), principalName: "carol@example.org")
        let carol = try #require(try ViewsFixture.parseArray(text).first)
        for key in ["displayName", "mail", "usageLocation", "onPremisesImmutableId", "onPremisesDistinguishedName", "deletedDateTime"] {
            #expect(carol[key] is NSNull, "\(key) should be an explicit null")
        }
        #expect(carol["onPremisesSyncEnabled"] as? Bool == false)
        #expect(carol["accountEnabled"] as? Bool == true)
        #expect(objects(carol["licenseAssignmentStates"]).isEmpty)

        let graphOrder = [
            "id", "userPrincipalName", "displayName", "mail", "usageLocation", "accountEnabled", "onPremisesImmutableId",
            "onPremisesSyncEnabled", "onPremisesDistinguishedName", "deletedDateTime", "assignedLicenses",
            "licenseAssignmentStates",
        ]
        let positions = try graphOrder.map { key in try #require(text.range(of: "\"\(key)\":")).lowerBound }
        #expect(positions == positions.sorted())
        #expect(Set(carol.keys) == Set(graphOrder))
    }

    @Test("users --json leaves soft-deleted users out unless asked, and then dates their deletion")
    func deletedUsersOnlyWhenAsked() throws {
        let live = try usersByUPN(UsersView.json(ViewsFixture.view()))
        #expect(Set(live.keys) == ["alice@example.org", "Bob@Example.org", "carol@example.org"])

        let all = try usersByUPN(UsersView.json(ViewsFixture.view(), includeDeleted: true))
        #expect(all["dave@example.org"]?["deletedDateTime"] as? String == "2024-06-01T10:00:00Z")
        #expect(all["alice@example.org"]?["deletedDateTime"] is NSNull)
    }

    @Test("users --json --user matches the UPN case-insensitively and returns just that user")
    func userFilter() throws {
        let bob = try ViewsFixture.parseArray(UsersView.json(ViewsFixture.view(), principalName: "bob@EXAMPLE.ORG"))
        #expect(bob.map { $0["id"] as? String } == ["user-bob"])
        #expect(try ViewsFixture.parseArray(UsersView.json(ViewsFixture.view(), principalName: "nobody@example.org")).isEmpty)
        #expect(try ViewsFixture.parseArray(UsersView.json(ViewsFixture.view(), principalName: "dave@example.org")).isEmpty)
    }

    @Test("users --json escapes strings so they parse back unchanged")
    func stringsRoundTrip() throws {
        let users = try usersByUPN(UsersView.json(ViewsFixture.view()))
        #expect(users["Bob@Example.org"]?["displayName"] as? String == "Bob \"The Builder\" Smith")

        var state = ViewsFixture.view().state
        let awkward = "Zoë \\ tab\there\nnew line \u{01} 日本"
        state.users = [TenantUser(id: "user-zoe", userPrincipalName: "zoe@example.org", displayName: awkward)]
        let view = TenantView(state: state, directPaths: [], findings: [], lookup: SkuLookup(catalog: []))
        let zoe = try #require(try ViewsFixture.parseArray(UsersView.json(view)).first)
        #expect(zoe["displayName"] as? String == awkward)
    }

    @Test("unknown SKUs and plans: skuId is null and plan names stand in for plan ids")
    func unknownCatalogEntries() throws {
        var state = ViewsFixture.view().state
        state.groupPaths = []
        let paths = [LicensePath(userId: "user-carol", skuPartNumber: "LEGACY_SKU", disabledPlans: ["OLD_PLAN"], lastUpdatedDateTime: ViewsFixture.updated)]
        let view = TenantView(state: state, directPaths: paths, findings: [], lookup: SkuLookup(catalog: ViewsFixture.catalog))
        let carol = try #require(try ViewsFixture.parseArray(UsersView.json(view, principalName: "carol@example.org")).first)
        let held = try #require(objects(carol["assignedLicenses"]).first)
        #expect(held["skuId"] is NSNull)
        #expect(held["disabledPlans"] as? [String] == ["OLD_PLAN"])
        #expect(objects(carol["licenseAssignmentStates"]).first?["disabledPlans"] as? [String] == ["OLD_PLAN"])
    }

    @Test("groups --json counts direct members, carried licenses and distinct members in error")
    func groupsJSON() throws {
        let groups = try ViewsFixture.parseArray(GroupsView.json(ViewsFixture.view(), licenses: ViewsFixture.groupLicenses))
        #expect(groups.map { $0["displayName"] as? String } == ["Contractors", "E3 Staff", "Intune Users"])
        let byName = Dictionary(uniqueKeysWithValues: groups.map { ($0["displayName"] as? String ?? "", $0) })

        let e3 = try #require(byName["E3 Staff"])
        #expect(e3["id"] as? String == ViewsFixture.e3GroupId)
        #expect(e3["memberCount"] as? Int == 3)
        #expect(e3["membersWithLicenseErrors"] as? Int == 1)
        #expect(e3["onPremisesDistinguishedName"] as? String == "cn=E3 Staff,ou=groups,dc=example,dc=org")
        let e3License = try #require(objects(e3["assignedLicenses"]).first)
        #expect(e3License["skuId"] as? String == ViewsFixture.e3SkuId)
        #expect(e3License["disabledPlans"] as? [String] == [ViewsFixture.swayId])

        #expect(byName["Intune Users"]?["memberCount"] as? Int == 2)
        #expect(byName["Intune Users"]?["membersWithLicenseErrors"] as? Int == 1)
        #expect(byName["Contractors"]?["membersWithLicenseErrors"] as? Int == 0)
        let contractorLicenses = objects(byName["Contractors"]?["assignedLicenses"])
        #expect(contractorLicenses.isEmpty)
    }

    @Test("skus --json counts distinct live users holding each SKU through an Active path")
    func skusJSON() throws {
        let skus = try ViewsFixture.parseArray(SkusView.json(ViewsFixture.view()))
        #expect(skus.map { $0["skuPartNumber"] as? String } == ["INTUNE_A", "SPE_E3"])
        let intune = skus[0]
        #expect(intune["skuId"] as? String == ViewsFixture.intuneSkuId)
        #expect((intune["prepaidUnits"] as? [String: Any])?["enabled"] as? Int == 1)
        #expect(intune["consumedUnits"] as? Int == 1)  // alice; bob is in error, dave is deleted
        let e3 = skus[1]
        #expect(e3["consumedUnits"] as? Int == 2)  // alice and bob, each counted once
        #expect(objects(e3["servicePlans"]).map { $0["servicePlanName"] as? String } == ["EXCHANGE_S_ENTERPRISE", "INTUNE_A", "SWAY"])
        #expect(objects(e3["servicePlans"]).map { $0["servicePlanId"] as? String } == [ViewsFixture.exchangeId, ViewsFixture.intunePlanId, ViewsFixture.swayId])
    }

    @Test("conflicts --json keeps the findings' order with null for a missing group or SKU")
    func conflictsJSON() throws {
        let conflicts = try ViewsFixture.parseArray(ConflictsView.json(ViewsFixture.view()))
        #expect(conflicts.map { $0["kind"] as? String } == ["RedundantDirectAssignment", "CountViolation", "UniquenessViolation"])
        #expect(conflicts[1]["userPrincipalName"] as? String == "Bob@Example.org")
        #expect(conflicts[1]["skuPartNumber"] as? String == "INTUNE_A")
        #expect(conflicts[1]["group"] as? String == "Intune Users")
        #expect(conflicts[1]["detail"] as? String == "no free INTUNE_A seat (1 of 1 consumed)")
        #expect(conflicts[2]["group"] is NSNull)
        #expect(conflicts[2]["skuPartNumber"] is NSNull)
        #expect(Set(conflicts[0].keys) == ["kind", "userPrincipalName", "skuPartNumber", "group", "detail"])
    }

    @Test("empty tenant renders empty JSON arrays")
    func emptyTenant() throws {
        let view = TenantView(state: TenantState(), directPaths: [], findings: [], lookup: SkuLookup(catalog: []))
        for text in [UsersView.json(view), GroupsView.json(view, licenses: [:]), SkusView.json(view), ConflictsView.json(view)] {
            #expect(text == "[]")
            #expect(try ViewsFixture.parseArray(text).isEmpty)
        }
    }
}
