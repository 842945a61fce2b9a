import Foundation
import TestSupport
import Testing

/// The seed scenario through the command line: a trial with 25 INTUNE_A seats and more users in the group, licences
/// assigned directly before the rules, an exclusive-plan clash, a user without usage location, nesting, a user leaving.
@Suite struct LicensingScenarioTests {
    private static let intuneSkuId = "061f9ace-7d42-4136-88ac-31dc755f143f"

    private static func directory() -> String {
        var entries = LDIFBuilder.baseEntries()
        let uids = (1...30).map { String(format: "u%02d", $0) }
        for uid in uids { entries.append(LDIFBuilder.user(uid: uid, country: uid == "u05" ? nil : "DE")) }
        entries.append(LDIFBuilder.group(cn: "Field", memberDNs: ["u29", "u30"].map(LDIFBuilder.userDN)))
        entries.append(LDIFBuilder.group(cn: "Intune Users", memberDNs: uids.prefix(28).map(LDIFBuilder.userDN) + [LDIFBuilder.groupDN("Field")]))
        entries.append(LDIFBuilder.group(cn: "Kiosk Mail", memberDNs: ["u01", "u02"].map(LDIFBuilder.userDN)))
        return LDIFBuilder.render(entries)
    }

    private static let rules = """
        subscriptions: { INTUNE_A: 25, EXCHANGESTANDARD: 5, EXCHANGEENTERPRISE: 5 }
        licenses:
          - { group: Intune Users, sku: INTUNE_A }
          - { group: Kiosk Mail, sku: EXCHANGESTANDARD }
        """

    /// Graph JSON: u01 already holds Exchange Plan 2 directly, u03 holds INTUNE_A directly; one cloud-only user.
    private static func graphUsers() -> String {
        """
        {"value": [
          {"id": "11111111-1111-4111-8111-111111111111", "userPrincipalName": "U01@example.org", "mail": "u01@example.org",
           "usageLocation": "DE", "accountEnabled": true,
           "assignedLicenses": [{"skuId": "19ec0d23-8335-4cbd-94ac-6050e30712fa", "disabledPlans": []}]},
          {"id": "33333333-3333-4333-8333-333333333333", "userPrincipalName": "u03@example.org", "mail": "u03@example.org",
           "usageLocation": "DE", "accountEnabled": true,
           "assignedLicenses": [{"skuId": "\(intuneSkuId)", "disabledPlans": []}]},
          {"id": "99999999-9999-4999-8999-999999999999", "userPrincipalName": "cloud@example.org", "usageLocation": "FR",
           "accountEnabled": true, "assignedLicenses": []}
        ]}
        """
    }

    @Test func seedScenarioThroughTheCommandLine() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            let config = ["--config", harness.configPath]
            let graphFile = harness.folder + "/users.json"
            try Self.graphUsers().write(toFile: graphFile, atomically: true, encoding: .utf8)

            let imported = try TenantSyncCommand.run(["import-tenant", "--users", graphFile] + config)
            #expect(imported.status == 0, "\(imported.errors)")
            #expect(try TenantSyncCommand.run(["import-tenant", "--users", graphFile] + config).output.contains("0 added, 0 updated"))

            let dryRun = try TenantSyncCommand.run(["--once", "--dry-run", "--log-target", "stderr"] + config)
            let run = try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config)
            #expect(run.status == 2, "\(run.errors)")
            #expect(dryRun.status == run.status)

            // Seats: 25 taken; u03's direct assignment holds one of them.
            let skus = try #require(try TenantSyncCommand.run(["skus", "--json"] + config).json() as? [[String: Any]])
            let intune = try #require(skus.first { $0["skuPartNumber"] as? String == "INTUNE_A" })
            #expect(intune["consumedUnits"] as? Int == 25)
            #expect((intune["prepaidUnits"] as? [String: Any])?["enabled"] as? Int == 25)
            #expect(intune["skuId"] as? String == Self.intuneSkuId)

            let conflicts = try #require(try TenantSyncCommand.run(["conflicts", "--json"] + config).json() as? [[String: Any]])
            func kinds(_ kind: String) -> [[String: Any]] { conflicts.filter { $0["kind"] as? String == kind } }
            // 30 claimants (28 direct members + 2 nested); u05 has no usage location and no default; u03 holds its
            // seat directly: the other 28 compete for the 24 seats left, and the last 4 by UPN miss out.
            #expect(Set(kinds("CountViolation").compactMap { $0["userPrincipalName"] as? String })
                == ["u27@example.org", "u28@example.org", "u29@example.org", "u30@example.org"])
            #expect(kinds("ProhibitedInUsageLocationViolation").map { $0["userPrincipalName"] as? String } == ["u05@example.org"])
            let clash = try #require(kinds("MutuallyExclusiveViolation").first)
            #expect(clash["userPrincipalName"] as? String == "u01@example.org")
            #expect((clash["detail"] as? String)?.contains("direct") == true)
            #expect(kinds("RedundantDirectAssignment").map { $0["userPrincipalName"] as? String } == ["u03@example.org"])

            // The soft-matched users kept their cloud ids and direct licences.
            let users = try #require(try TenantSyncCommand.run(["users", "--json", "--user", "u03@example.org"] + config).json() as? [[String: Any]])
            let u03 = try #require(users.first)
            #expect(u03["id"] as? String == "33333333-3333-4333-8333-333333333333")
            #expect(u03["onPremisesSyncEnabled"] as? Bool == true)
            let states = try #require(u03["licenseAssignmentStates"] as? [[String: Any]])
            #expect(states.count == 2)
            #expect(states.contains { $0["assignedByGroup"] is NSNull && $0["state"] as? String == "Active" })
            #expect(states.contains { $0["assignedByGroupName"] as? String == "Intune Users" })
            #expect((u03["assignedLicenses"] as? [[String: Any]])?.count == 1)

            // A member leaves the group: the freed seat goes to the next claimant in the same run.
            let losers = Set(kinds("CountViolation").compactMap { $0["userPrincipalName"] as? String })
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.groupDN("Intune Users"))
                changetype: modify
                delete: member
                member: \(LDIFBuilder.userDN("u02"))
                """)
            #expect(try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config).status == 2)
            let after = try #require(try TenantSyncCommand.run(["conflicts", "--json"] + config).json() as? [[String: Any]])
            let stillOut = Set(after.filter { $0["kind"] as? String == "CountViolation" }.compactMap { $0["userPrincipalName"] as? String })
            #expect(stillOut == ["u28@example.org", "u29@example.org", "u30@example.org"])
            #expect(stillOut.isSubset(of: losers))

            let report = try #require(try TenantSyncCommand.run(["report", "--last", "--json"] + config).json() as? [String: Any])
            #expect((report["licenses"] as? [String: Any])?["assigned"] as? Int == 1)
            #expect((report["licenses"] as? [String: Any])?["removed"] as? Int == 1)
            #expect(report["outcome"] as? String == "completedWithErrors")
        }
    }

    @Test func directAssignmentIsCheckedAtOnce() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            let config = ["--config", harness.configPath]
            _ = try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config)

            let full = try TenantSyncCommand.run(["license", "assign", "--user", "u29@example.org", "--sku", "INTUNE_A"] + config)
            let outOfSeats = full.status == 1 && full.errors.contains("CountViolation")
            let alreadyHeld = full.status == 0
            #expect(outOfSeats || alreadyHeld, "\(full.errors)")

            let noLocation = try TenantSyncCommand.run(["license", "assign", "--user", "u05@example.org", "--sku", "EXCHANGEENTERPRISE"] + config)
            #expect(noLocation.status == 1)
            #expect(noLocation.errors.contains("ProhibitedInUsageLocationViolation"))

            let ok = try TenantSyncCommand.run(["license", "assign", "--user", "u10@example.org", "--sku", "EXCHANGEENTERPRISE"] + config)
            #expect(ok.status == 0, "\(ok.errors)")
            let clash = try TenantSyncCommand.run(["license", "assign", "--user", "u01@example.org", "--sku", "EXCHANGEENTERPRISE"] + config)
            #expect(clash.status == 1)
            #expect(clash.errors.contains("MutuallyExclusiveViolation"))

            let unknownPlan = try TenantSyncCommand.run(
                ["license", "assign", "--user", "u10@example.org", "--sku", "INTUNE_A", "--disabled-plan", "INTUNE_B"] + config)
            #expect(unknownPlan.status == 1)

            #expect(try TenantSyncCommand.run(["license", "remove", "--user", "u10@example.org", "--sku", "EXCHANGEENTERPRISE"] + config).status == 0)
            let again = try TenantSyncCommand.run(["license", "remove", "--user", "u10@example.org", "--sku", "EXCHANGEENTERPRISE"] + config)
            #expect(again.status == 1)
            #expect(again.errors.contains("no direct assignment"))
        }
    }

    /// UPN → `lastUpdatedDateTime` of the user's direct path, from `users --json`.
    private static func directPathTimes(_ config: [String]) throws -> [String: String] {
        let users = try #require(try TenantSyncCommand.run(["users", "--json"] + config).json() as? [[String: Any]])
        var times: [String: String] = [:]
        for user in users {
            let states = user["licenseAssignmentStates"] as? [[String: Any]] ?? []
            for state in states where state["assignedByGroup"] is NSNull {
                times[user["userPrincipalName"] as? String ?? ""] = state["lastUpdatedDateTime"] as? String
            }
        }
        return times
    }

    @Test func aDirectLicenceKeepsTheTimeItWasAssignedAcrossQueriesImportsAndRuns() async throws {
        let entries = LDIFBuilder.baseEntries() + ["user1", "user2"].map { LDIFBuilder.user(uid: $0, country: "DE") }
            + [LDIFBuilder.group(cn: "Mobile", memberDNs: [LDIFBuilder.userDN("user1")])]
        try await SlapdServer.with(ldif: LDIFBuilder.render(entries)) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(
                directory: SyncHarness.openldapScopes,
                rest: "subscriptions: { INTUNE_A: 5, EMS: 5 }\nlicenses: [ { group: Mobile, sku: INTUNE_A } ]")
            let config = ["--config", harness.configPath]
            let graphFile = harness.folder + "/users.json"
            try """
                {"value": [{"id": "99999999-9999-4999-8999-999999999999", "userPrincipalName": "cloud@example.org",
                  "usageLocation": "FR", "assignedLicenses": [{"skuId": "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"}]}]}
                """.write(toFile: graphFile, atomically: true, encoding: .utf8)
            #expect(try TenantSyncCommand.run(["import-tenant", "--users", graphFile] + config).status == 0)
            #expect(try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config).status == 0)
            let assign = ["license", "assign", "--user", "user2@example.org", "--sku", "EMS"] + config
            #expect(try TenantSyncCommand.run(assign).status == 0)

            let first = try Self.directPathTimes(config)
            #expect(Set(first.keys) == ["cloud@example.org", "user2@example.org"])
            // Times are shown to the second: wait past one so that a time taken from the query would differ.
            try await Task.sleep(for: .milliseconds(1200))
            #expect(try Self.directPathTimes(config) == first)

            // Importing the same file, assigning the same licence and a sync change none of them either.
            #expect(try TenantSyncCommand.run(["import-tenant", "--users", graphFile] + config).status == 0)
            #expect(try TenantSyncCommand.run(assign).status == 0)
            #expect(try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config).status == 0)
            #expect(try Self.directPathTimes(config) == first)

            // Changing the disabled plans is a change: only that assignment gets a new time.
            let changed = try TenantSyncCommand.run(assign + ["--disabled-plan", "ADALLOM_S_DISCOVERY"])
            #expect(changed.status == 0, "\(changed.errors)")
            let after = try Self.directPathTimes(config)
            #expect(after["cloud@example.org"] == first["cloud@example.org"])
            let before = try #require(first["user2@example.org"])
            let now = try #require(after["user2@example.org"])
            #expect(now > before)
        }
    }

    @Test func seatsImportedFromSubscribedSkusWhenTheConfigListsNone() async throws {
        let ldif = LDIFBuilder.directory(userCount: 3, groups: [(cn: "Mobile", memberUIDs: ["user1", "user2", "user3"])])
        try await SlapdServer.with(ldif: ldif) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(
                directory: SyncHarness.openldapScopes, rest: "licenses: [ { group: Mobile, sku: INTUNE_A } ]", defaultUsageLocation: "DE")
            let config = ["--config", harness.configPath]
            let users = harness.folder + "/users.json"
            let skus = harness.folder + "/skus.json"
            try #"{"value": []}"#.write(toFile: users, atomically: true, encoding: .utf8)
            try """
                {"value": [{"skuId": "\(Self.intuneSkuId)", "skuPartNumber": "INTUNE_A", "prepaidUnits": {"enabled": 2}, "consumedUnits": 0}]}
                """.write(toFile: skus, atomically: true, encoding: .utf8)
            let imported = try TenantSyncCommand.run(["import-tenant", "--users", users, "--skus", skus] + config)
            #expect(imported.status == 0, "\(imported.errors)")
            let run = try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config)
            #expect(run.status == 2, "\(run.errors)")
            let sku = try #require((try TenantSyncCommand.run(["skus", "--json"] + config).json() as? [[String: Any]])?.first)
            #expect((sku["prepaidUnits"] as? [String: Any])?["enabled"] as? Int == 2)
            #expect(sku["consumedUnits"] as? Int == 2)
            let conflicts = try #require(try TenantSyncCommand.run(["conflicts", "--json"] + config).json() as? [[String: Any]])
            #expect(conflicts.map { $0["kind"] as? String } == ["CountViolation"])
        }
    }
}
