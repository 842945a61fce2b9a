import Foundation
import Testing
import TenantModel
import TenantStore
import SyncEngine

@Suite struct GraphImportTests {
    static let e3Id = "05e9a617-0261-4cee-bb44-138d3ef5d965"
    static let emsId = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"
    static let yammerId = "7547a3fe-08ee-4ccb-b430-5077c5041653"
    static let intuneId = "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"

    static let usersBody = """
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
         "value": [
          {"id": "6e1a7c0e-0000-4000-8000-000000000001", "userPrincipalName": "erin@example.org", "displayName": "Erin",
           "mail": "erin@example.org", "usageLocation": "FR", "accountEnabled": true, "onPremisesImmutableId": null,
           "assignedLicenses": [
             {"skuId": "\(e3Id)", "disabledPlans": ["\(yammerId)"]},
             {"skuId": "\(emsId)", "disabledPlans": []}]},
          {"id": "6e1a7c0e-0000-4000-8000-000000000002", "userPrincipalName": "finn@example.org", "displayName": null,
           "mail": null, "usageLocation": null, "accountEnabled": false, "onPremisesImmutableId": "Zm9vYmFyMTIzNDU2Nzg5MA==",
           "assignedLicenses": []},
          {"id": "6e1a7c0e-0000-4000-8000-000000000003", "userPrincipalName": "gail@example.org"}
         ]}
        """

    static let skusBody = """
        {"value": [
          {"skuId": "\(e3Id)", "skuPartNumber": "SPE_E3", "capabilityStatus": "Enabled", "prepaidUnits": {"enabled": 25, "suspended": 0},
           "consumedUnits": 1, "servicePlans": [{"servicePlanId": "\(yammerId)", "servicePlanName": "YAMMER_ENTERPRISE"}]},
          {"skuId": "\(emsId)", "skuPartNumber": "EMS", "prepaidUnits": {"enabled": 10}, "consumedUnits": 1,
           "servicePlans": [{"servicePlanId": "\(intuneId)", "servicePlanName": "INTUNE_A"}]}
        ]}
        """

    static func parseUsers(_ text: String) throws -> GraphUserList {
        try GraphImport.parseUsers(Data(text.utf8), source: "users.json")
    }

    @Test func usersBecomeCloudUsersWithTheirLicenseIds() throws {
        let list = try Self.parseUsers(Self.usersBody)
        #expect(list.users == [
            TenantUser(id: "6e1a7c0e-0000-4000-8000-000000000001", userPrincipalName: "erin@example.org",
                       displayName: "Erin", mail: "erin@example.org", usageLocation: "FR", accountEnabled: true),
            TenantUser(id: "6e1a7c0e-0000-4000-8000-000000000002", userPrincipalName: "finn@example.org",
                       accountEnabled: false, onPremisesImmutableId: "Zm9vYmFyMTIzNDU2Nzg5MA=="),
            TenantUser(id: "6e1a7c0e-0000-4000-8000-000000000003", userPrincipalName: "gail@example.org"),
        ])
        #expect(list.users.allSatisfy { $0.enteredRun == 0 })
        #expect(list.licenses == [
            GraphLicense(userId: "6e1a7c0e-0000-4000-8000-000000000001", skuId: Self.e3Id, disabledPlanIds: [Self.yammerId],
                         path: "$.value[0].assignedLicenses[0]"),
            GraphLicense(userId: "6e1a7c0e-0000-4000-8000-000000000001", skuId: Self.emsId, disabledPlanIds: [],
                         path: "$.value[0].assignedLicenses[1]"),
        ])
        #expect(list.nextLink == nil)
    }

    @Test func subscribedSkusGiveSeatsAndResolveIds() throws {
        let skus = try GraphImport.parseSubscribedSkus(Data(Self.skusBody.utf8), source: "skus.json")
        #expect(skus.subscriptions == [
            SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 25), SubscribedSku(skuPartNumber: "EMS", enabledUnits: 10),
        ])
        #expect(skus.definitions.map(\.skuId) == [Self.e3Id, Self.emsId])
        #expect(skus.resolve(skuId: Self.e3Id.uppercased())?.partNumber == "SPE_E3")
        #expect(skus.resolve(skuId: "00000000-0000-0000-0000-000000000000") == nil)
    }

    @Test func licensesResolveToDirectAssignmentsByName() throws {
        let list = try Self.parseUsers(Self.usersBody)
        let skus = try GraphImport.parseSubscribedSkus(Data(Self.skusBody.utf8), source: "skus.json")
        let assignments = try GraphImport.directAssignments(list.licenses, source: "users.json", resolve: skus.resolve)
        #expect(assignments == [
            DirectAssignment(userId: "6e1a7c0e-0000-4000-8000-000000000001", skuPartNumber: "SPE_E3",
                             disabledPlans: ["YAMMER_ENTERPRISE"]),
            DirectAssignment(userId: "6e1a7c0e-0000-4000-8000-000000000001", skuPartNumber: "EMS"),
        ])
    }

    @Test func aSubscribedSkusBodyWithoutServicePlansLeavesPlanNamesToTheCatalog() throws {
        let harness = try SyncHarness(url: "ldap://127.0.0.1:9", bindDN: "cn=admin,dc=example,dc=org", password: "secret")
        defer { harness.remove() }
        try harness.writeConfig(directory: SyncHarness.openldapScopes)
        // As `GET /subscribedSkus?$select=skuId,skuPartNumber,prepaidUnits` returns it: no servicePlans.
        let skus = harness.folder + "/skus.json"
        try """
            {"value": [{"skuId": "\(Self.e3Id)", "skuPartNumber": "SPE_E3", "prepaidUnits": {"enabled": 25}}]}
            """.write(toFile: skus, atomically: true, encoding: .utf8)
        let users = harness.folder + "/users.json"
        try Self.usersBody.write(toFile: users, atomically: true, encoding: .utf8)

        _ = try TenantImport.run(context: try harness.context(), usersFile: users, skusFile: skus)

        let state = try TenantStore(path: harness.storePath).loadState()
        #expect(state.directAssignments.contains {
            $0.userId == "6e1a7c0e-0000-4000-8000-000000000001" && $0.skuPartNumber == "SPE_E3" && $0.disabledPlans == ["YAMMER_ENTERPRISE"]
        })
        #expect(state.subscriptions == [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 25)])
    }

    @Test func unknownSkuAndPlanIdsAreErrorsAtTheirPath() throws {
        let list = try Self.parseUsers(Self.usersBody)
        let onlyEMS: GraphSkuResolver = { id in
            id == Self.emsId ? ("EMS", [Self.intuneId: "INTUNE_A"]) : nil
        }
        let unknownSku = try #require(throws: GraphImportError.self) {
            _ = try GraphImport.directAssignments(list.licenses, source: "users.json", resolve: onlyEMS)
        }
        #expect(unknownSku.description.hasPrefix("users.json: $.value[0].assignedLicenses[0].skuId: unknown skuId \(Self.e3Id)"))

        let noPlans: GraphSkuResolver = { id in id == Self.e3Id ? ("SPE_E3", [:]) : ("EMS", [:]) }
        let unknownPlan = try #require(throws: GraphImportError.self) {
            _ = try GraphImport.directAssignments(list.licenses, source: "users.json", resolve: noPlans)
        }
        #expect(unknownPlan.path == "$.value[0].assignedLicenses[0].disabledPlans[0]")
    }

    @Test func wrongTypesNameTheirJSONPath() throws {
        let badSku = """
            {"value": [{"id": "1", "userPrincipalName": "a@example.org"}, {"id": "2", "userPrincipalName": "b@example.org"},
              {"id": "3", "userPrincipalName": "c@example.org"},
              {"id": "4", "userPrincipalName": "d@example.org", "assignedLicenses": [{"skuId": 42}]}]}
            """
        let error = try #require(throws: GraphImportError.self) { _ = try Self.parseUsers(badSku) }
        #expect(error.description == "users.json: $.value[3].assignedLicenses[0].skuId: expected a string, found a number")

        let cases: [(String, String)] = [
            (#"{"value": {}}"#, "users.json: $.value: expected an array, found an object"),
            (#"{"values": []}"#, "users.json: $.value: expected an array, found nothing"),
            (#"[]"#, "users.json: $: expected an object, found an array"),
            (#"{"value": [{"id": "1"}]}"#, "users.json: $.value[0].userPrincipalName: expected a string, found nothing"),
            (#"{"value": [{"id": "1", "userPrincipalName": "a@x", "accountEnabled": "yes"}]}"#,
             "users.json: $.value[0].accountEnabled: expected a boolean, found a string"),
            (#"{"value": [{"id": "1", "userPrincipalName": "a@x", "assignedLicenses": [{"skuId": "s", "disabledPlans": [true]}]}]}"#,
             "users.json: $.value[0].assignedLicenses[0].disabledPlans[0]: expected a string, found a boolean"),
            (#"{"value": [{"id": "1", "userPrincipalName": "a@x"}, {"id": "1", "userPrincipalName": "b@x"}]}"#,
             "users.json: $.value[1].id: duplicate id 1, also at $.value[0]"),
            (#"{"value": [{"id": "1", "userPrincipalName": "a@x"}, {"id": "2", "userPrincipalName": "A@X"}]}"#,
             "users.json: $.value[1].userPrincipalName: duplicate userPrincipalName A@X, also at $.value[0]"),
            (#"{"value": [], "@odata.nextLink": 3}"#, "users.json: $[\"@odata.nextLink\"]: expected a string, found a number"),
        ]
        for (body, message) in cases {
            let error = try #require(throws: GraphImportError.self) { _ = try Self.parseUsers(body) }
            #expect(error.description == message)
        }
    }

    @Test func malformedJSONIsReportedAtTheRoot() throws {
        let error = try #require(throws: GraphImportError.self) { _ = try Self.parseUsers(#"{"value": [{"id": "1",]}"#) }
        #expect(error.path == "$")
        #expect(error.description.hasPrefix("users.json: $: invalid JSON: "))
        #expect(error.message.contains("character 22"))
        let truncated = try #require(throws: GraphImportError.self) { _ = try Self.parseUsers(#"{"value": ["#) }
        #expect(truncated.description.hasPrefix("users.json: $: invalid JSON: "))
    }

    @Test func badSkuBodiesNameTheirJSONPath() throws {
        let cases: [(String, String)] = [
            (#"{"value": [{"skuId": "x", "skuPartNumber": "EMS", "prepaidUnits": {"enabled": "10"}}]}"#,
             "skus.json: $.value[0].prepaidUnits.enabled: expected a number, found a string"),
            (#"{"value": [{"skuId": "x", "skuPartNumber": "EMS", "prepaidUnits": {"enabled": 2.5}}]}"#,
             "skus.json: $.value[0].prepaidUnits.enabled: expected a whole number, found 2.5"),
            (#"{"value": [{"skuId": "x", "skuPartNumber": "EMS"}]}"#,
             "skus.json: $.value[0].prepaidUnits: expected an object, found nothing"),
            (#"{"value": [{"skuId": "x", "skuPartNumber": "EMS", "prepaidUnits": {"enabled": 1}, "servicePlans": [{"servicePlanId": "p"}]}]}"#,
             "skus.json: $.value[0].servicePlans[0].servicePlanName: expected a string, found nothing"),
        ]
        for (body, message) in cases {
            let error = try #require(throws: GraphImportError.self) {
                _ = try GraphImport.parseSubscribedSkus(Data(body.utf8), source: "skus.json")
            }
            #expect(error.description == message)
        }
    }

    @Test func aPagedBodyReportsItsNextLink() throws {
        let list = try Self.parseUsers(#"{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X"}"#)
        #expect(list.nextLink == "https://graph.microsoft.com/v1.0/users?$skiptoken=X")
    }
}
