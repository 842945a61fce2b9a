import Foundation
import TenantModel
import TestSupport
import Testing

@testable import SyncEngine

/// One full cycle after another against a real slapd, read back from the store.
@Suite struct DirectorySyncTests {
    private static func directory(_ extra: [LDIFEntry] = [], users: [LDIFEntry]? = nil) -> String {
        var entries = LDIFBuilder.baseEntries()
        entries.append(LDIFEntry(dn: "ou=staff,dc=example,dc=org", attributes: [.init("objectClass", "organizationalUnit"), .init("ou", "staff")]))
        entries.append(LDIFEntry(dn: "ou=elsewhere,dc=example,dc=org", attributes: [.init("objectClass", "organizationalUnit"), .init("ou", "elsewhere")]))
        entries += users ?? ["ada", "ben", "cara", "dev"].map { LDIFBuilder.user(uid: $0, country: "DE") }
        return LDIFBuilder.render(entries + extra)
    }

    private static func withSync<T: Sendable>(
        _ ldif: String, directory: String = SyncHarness.openldapScopes, rest: String = "", _ body: (SlapdServer, SyncHarness) async throws -> T
    ) async throws -> T {
        try await SlapdServer.with(ldif: ldif) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: directory, rest: rest)
            return try await body(slapd, harness)
        }
    }

    @Test func firstSyncReadsSeveralScopesAndGroups() async throws {
        let staff = LDIFEntry(
            dn: "uid=erin,ou=staff,dc=example,dc=org",
            attributes: LDIFBuilder.user(uid: "erin").attributes)
        let group = LDIFBuilder.group(cn: "Intune Users", memberDNs: [LDIFBuilder.userDN("ada"), "uid=erin,ou=staff,dc=example,dc=org", "uid=ghost,dc=nowhere"])
        let scopes = """
            users:
              - { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }
              - { base: "ou=staff,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }
            groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(objectClass=groupOfNames)" } ]
            """
        try await Self.withSync(Self.directory([staff, group]), directory: scopes) { _, harness in
            let report = try await harness.run()
            #expect(report.outcome == .success)
            #expect(report.users.added == 5)
            #expect(report.groups.added == 1)
            let state = try harness.state()
            #expect(Set(state.users.map(\.userPrincipalName)) == ["ada@example.org", "ben@example.org", "cara@example.org", "dev@example.org", "erin@example.org"])
            let intune = try #require(state.groups.first)
            #expect(intune.displayName == "Intune Users")
            #expect(intune.memberUserIds.count == 2)
            #expect(intune.outOfScopeMemberCount == 1)
            #expect(state.users.allSatisfy { $0.onPremisesImmutableId?.count == 36 })

            let again = try await harness.run()
            #expect(again.users == ObjectCounts())
            #expect(again.groups == ObjectCounts())
            #expect(again.runId == report.runId + 1)
        }
    }

    @Test func renameAndMoveKeepTheObject() async throws {
        try await Self.withSync(Self.directory()) { slapd, harness in
            try await harness.run()
            let before = try #require(try harness.liveUsers()["ben@example.org"])
            try slapd.modify(ldif: """
                dn: uid=ben,ou=people,dc=example,dc=org
                changetype: modrdn
                newrdn: uid=benjamin
                deleteoldrdn: 1

                dn: uid=benjamin,ou=people,dc=example,dc=org
                changetype: modify
                replace: mail
                mail: benjamin@example.org
                """)
            let report = try await harness.run()
            #expect(report.users.updated == 1)
            #expect(report.users.added == 0)
            #expect(report.users.deleted == 0)
            let after = try #require(try harness.liveUsers()["benjamin@example.org"])
            #expect(after.id == before.id)
            #expect(after.onPremisesImmutableId == before.onPremisesImmutableId)
            #expect(after.onPremisesDistinguishedName == "uid=benjamin,ou=people,dc=example,dc=org")
        }
    }

    @Test func userLeavingTheScopeIsSoftDeletedAndRestoredWhenItReturns() async throws {
        let rules = "subscriptions: { INTUNE_A: 5 }\nlicenses: [ { group: Mobile, sku: INTUNE_A } ]\ntenant: { defaultUsageLocation: DE }"
        let group = LDIFBuilder.group(cn: "Mobile", memberDNs: ["ada", "ben"].map(LDIFBuilder.userDN))
        try await Self.withSync(Self.directory([group])) { slapd, harness in
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: rules.replacingOccurrences(of: "tenant: { defaultUsageLocation: DE }", with: ""))
            try await harness.run()
            let ada = try #require(try harness.liveUsers()["ada@example.org"])
            try slapd.modify(ldif: """
                dn: uid=ada,ou=people,dc=example,dc=org
                changetype: modrdn
                newrdn: uid=ada
                deleteoldrdn: 1
                newsuperior: ou=elsewhere,dc=example,dc=org
                """)
            let gone = try await harness.run()
            #expect(gone.users.deleted == 1)
            #expect(gone.licenses.removed == 1)
            var state = try harness.state()
            let deleted = try #require(state.users.first { $0.id == ada.id })
            #expect(deleted.deletedDateTime != nil)
            #expect(!state.groupPaths.contains { $0.userId == ada.id })
            let listed = try #require(
                try TenantSyncCommand.run(["users", "--json", "--user", "ada@example.org", "--config", harness.configPath]).json() as? [[String: Any]])
            #expect(listed.first?["deletedDateTime"] is String)
            #expect((listed.first?["assignedLicenses"] as? [Any])?.isEmpty == true)

            try slapd.modify(ldif: """
                dn: uid=ada,ou=elsewhere,dc=example,dc=org
                changetype: modrdn
                newrdn: uid=ada
                deleteoldrdn: 1
                newsuperior: ou=people,dc=example,dc=org
                """)
            let back = try await harness.run()
            #expect(back.users.added == 1)
            state = try harness.state()
            let restored = try #require(state.users.first { $0.id == ada.id })
            #expect(restored.deletedDateTime == nil)
            #expect(state.groupPaths.contains { $0.userId == ada.id && $0.state == .active })
        }
    }

    @Test func duplicateUPNIsQuarantinedAsUniquenessViolation() async throws {
        let users = [
            LDIFBuilder.user(uid: "ada", country: "DE"),
            LDIFBuilder.user(uid: "ada2", mail: "ada@example.org", country: "DE"),
            LDIFBuilder.user(uid: "ben", country: "DE"),
        ]
        try await Self.withSync(Self.directory(users: users)) { _, harness in
            let first = try await harness.run()
            #expect(first.outcome == .completedWithErrors)
            #expect(first.users.added == 2)
            #expect(first.users.quarantined == 1)
            let finding = try #require(first.findings.first { $0.kind == .uniquenessViolation })
            #expect(finding.detail.contains("uid=ada2,ou=people,dc=example,dc=org"))
            let kept = try #require(try harness.liveUsers()["ada@example.org"])
            #expect(kept.onPremisesDistinguishedName == "uid=ada,ou=people,dc=example,dc=org")

            let second = try await harness.run()
            #expect(second.users.quarantined == 1)
            #expect(try harness.liveUsers()["ada@example.org"]?.id == kept.id)
        }
    }

    @Test func entriesWithoutAnchorOrUPNOrWithBadBytesAreQuarantinedWithTheReason() async throws {
        var noMail = LDIFBuilder.user(uid: "nomail")
        noMail.attributes.removeAll { $0.name == "mail" }
        var badBytes = LDIFBuilder.user(uid: "bytes")
        badBytes.attributes.append(.init("audio", .bytes([0x41, 0xFF, 0xFE])))
        let users = [LDIFBuilder.user(uid: "ada"), noMail, badBytes]
        let overrides = SyncHarness.openldapScopes + "\nattributes: { displayName: audio }"
        try await Self.withSync(Self.directory(users: users), directory: overrides) { _, harness in
            let report = try await harness.run()
            #expect(report.users.added == 1)
            #expect(report.users.quarantined == 2)
            // Quarantined entries are reported, but they put no tenant user in a licence error state.
            #expect(report.outcome == .success)
            let details = report.findings.map(\.detail)
            #expect(details.contains { $0.contains("uid=nomail,ou=people,dc=example,dc=org") && $0.contains("mail") })
            #expect(details.contains { $0.contains("uid=bytes,ou=people,dc=example,dc=org") && $0.contains("audio") && $0.contains("UTF-8") })
        }
    }

    @Test func nestedGroupsLicenceThroughAnyDepthAndACycleIsReported() async throws {
        let entries = [
            LDIFBuilder.group(cn: "Outer", memberDNs: [LDIFBuilder.userDN("ada"), LDIFBuilder.groupDN("Middle")]),
            LDIFBuilder.group(cn: "Middle", memberDNs: [LDIFBuilder.userDN("ben"), LDIFBuilder.groupDN("Inner")]),
            LDIFBuilder.group(cn: "Inner", memberDNs: [LDIFBuilder.userDN("cara"), LDIFBuilder.groupDN("Outer")]),
        ]
        let rest = "subscriptions: { INTUNE_A: 10 }\nlicenses: [ { group: Outer, sku: INTUNE_A } ]"
        try await Self.withSync(Self.directory(entries), rest: rest) { _, harness in
            let report = try await harness.run()
            let state = try harness.state()
            let licensed = Set(state.groupPaths.filter { $0.state == .active }.map(\.userId))
            let users = try harness.liveUsers()
            #expect(licensed == Set(["ada", "ben", "cara"].compactMap { users["\($0)@example.org"]?.id }))
            #expect(report.findings.contains { $0.detail.contains("cycle") })
        }
    }

    @Test func bigGroupWithFiftyThousandMembers() async throws {
        let uids = LDIFBuilder.numberedUIDs(count: 50_000)
        let ldif = LDIFBuilder.directory(userCount: 50_000, groups: [(cn: "Everyone", memberUIDs: uids)])
        try await Self.withSync(ldif) { _, harness in
            let report = try await harness.run()
            #expect(report.users.added == 50_000)
            let group = try #require(try harness.state().groups.first)
            #expect(group.memberUserIds.count == 50_000)
            #expect(group.outOfScopeMemberCount == 0)
        }
    }

    @Test func filterMatchingNothingIsStoppedByTheGuardAndDeletesNothing() async throws {
        try await Self.withSync(Self.directory()) { _, harness in
            try await harness.run()
            let before = try harness.state()
            try harness.writeConfig(
                directory: """
                    users:  [ { base: "ou=people,dc=example,dc=org", filter: "(objectClass=posixAccount)" } ]
                    groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(objectClass=groupOfNames)" } ]
                    """)
            let report = try await harness.run()
            #expect(report.outcome == .stoppedByGuard)
            #expect(report.outcome.exitCode == 3)
            #expect(report.guard?.reason.contains("no users") == true)
            #expect(try harness.state().users == before.users)

            // DESIGN 5.5: an empty read is never applied, not even with an allowance.
            let allowed = try await harness.run(RunOptions(allowDeletes: 4))
            #expect(allowed.outcome == .stoppedByGuard)
            #expect(try harness.state().users == before.users)
        }
    }

    @Test func readFailingHalfWayChangesNothing() async throws {
        try await Self.withSync(Self.directory()) { _, harness in
            try await harness.run()
            let before = try harness.state()
            try harness.writeConfig(
                directory: """
                    users:
                      - { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }
                      - { base: "ou=missing,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" }
                    """)
            let report = try await harness.run()
            #expect(report.outcome == .failed)
            #expect(report.failure?.contains("ou=missing,dc=example,dc=org") == true)
            #expect(try harness.state().users == before.users)
            #expect(try harness.state().nextRunId == before.nextRunId + 1)
        }
    }

    @Test func dryRunWritesNothingAndReturnsTheRealOutcome() async throws {
        try await Self.withSync(Self.directory()) { _, harness in
            let report = try await harness.run(RunOptions(dryRun: true))
            #expect(report.dryRun)
            #expect(report.users.added == 4)
            #expect(report.outcome == .success)
            let state = try harness.state()
            #expect(state.users.isEmpty)
            #expect(state.nextRunId == 1)
        }
    }

    @Test func aDryRunAndQueriesNeverCreateTheStore() async throws {
        let rules = "subscriptions: { INTUNE_A: 5 }\nlicenses: [ { group: Mobile, sku: INTUNE_A } ]"
        try await Self.withSync(Self.directory(), rest: rules) { _, harness in
            let config = ["--config", harness.configPath]
            let dryRun = try TenantSyncCommand.run(["--once", "--dry-run", "--log-target", "stderr"] + config)
            #expect(dryRun.status == 0, "\(dryRun.errors)")
            #expect(dryRun.errors.contains("4 users (+4"), "\(dryRun.errors)")
            let users = try TenantSyncCommand.run(["users", "--json"] + config)
            #expect(users.status == 0)
            #expect(users.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
            #expect(try TenantSyncCommand.run(["report", "--last"] + config).status == 1)
            // Before the first sync no rule is reported as naming a missing group.
            let conflicts = try TenantSyncCommand.run(["conflicts", "--json"] + config)
            #expect(conflicts.status == 0)
            #expect(conflicts.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "\(conflicts.output)")
            #expect(!FileManager.default.fileExists(atPath: harness.storePath))

            #expect(try TenantSyncCommand.run(["--once", "--log-target", "stderr"] + config).status == 0)
            #expect(FileManager.default.fileExists(atPath: harness.storePath))
            // Once synced, a rule naming a group the directory lacks is reported.
            let after = try #require(try TenantSyncCommand.run(["conflicts", "--json"] + config).json() as? [[String: Any]])
            #expect(after.contains { $0["kind"] as? String == "Other" && $0["group"] as? String == "Mobile" }, "\(after)")
        }
    }
}
