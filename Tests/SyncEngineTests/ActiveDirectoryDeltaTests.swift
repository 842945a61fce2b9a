import Foundation
import TenantModel
import TenantStore
import TestSupport
import Testing

@testable import SyncEngine

/// `uSNChanged` deltas against a real Samba AD domain controller. After every delta the store must hold what a full
/// read of the same directory produces: a second store, filled by a `--full` run, is compared with it. One Samba
/// runs at a time, so the suite is serialised.
@Suite(.serialized) struct ActiveDirectoryDeltaTests {
    private typealias AD = ActiveDirectoryLDIF
    private static let users = ActiveDirectoryScopes.users
    private static let staff = ActiveDirectoryScopes.staff
    private static let groups = ActiveDirectoryScopes.groups
    private static let userFilter = ActiveDirectoryScopes.userFilter
    private static let scopes = ActiveDirectoryScopes.config
    private static let elsewhere = AD.ouDN("Elsewhere")
    private static let rules = """
        subscriptions: { INTUNE_A: 10 }
        licenses: [ { group: Mobile, sku: INTUNE_A }, { group: Field, sku: INTUNE_A } ]
        """

    /// ada, ben (disabled) and dev (a consistency GUID) in Users; cara and staff01…06 in Staff; Field and Mobile
    /// (which holds Field) in Groups; an empty OU outside the scopes.
    private static func directory(_ extra: [LDIFEntry] = []) -> String {
        let germany = [LDIFEntry.Attribute("c", "DE")]
        let staffNames = (1...6).map { "staff0\($0)" }
        let consistencyGuid = Array(0..<16).map { UInt8($0 * 17) }
        return LDIFBuilder.render(
            [
                AD.organizationalUnit("Staff"), AD.organizationalUnit("Groups"), AD.organizationalUnit("Elsewhere"),
                AD.user("ada", extra: germany),
                AD.user("ben", userAccountControl: AD.disabledAccount, extra: germany),
                AD.user("dev", extra: germany + [.init("mS-DS-ConsistencyGuid", .bytes(consistencyGuid))]),
                AD.user("cara", in: staff, extra: germany),
            ] + staffNames.map { AD.user($0, in: staff, extra: germany) } + [
                AD.group("Field", in: groups, memberDNs: ["CN=ada,\(users)", "CN=cara,\(staff)", "CN=staff01,\(staff)"]),
                AD.group(
                    "Mobile", in: groups,
                    memberDNs: ["CN=ben,\(users)", "CN=dev,\(users)", "CN=staff02,\(staff)", "CN=staff03,\(staff)", "CN=Field,\(groups)"]),
            ] + extra)
    }

    private static func withSync(_ extra: [LDIFEntry] = [], _ body: (SambaServer, SyncHarness) async throws -> Void) async throws {
        try await SambaServer.with(ldif: directory(extra)) { samba in
            let harness = try SyncHarness(url: samba.url, bindDN: samba.adminDN, password: samba.adminPassword)
            defer { harness.remove() }
            try harness.writeConfig(schema: "activedirectory", directory: scopes, rest: rules)
            try await body(samba, harness)
        }
    }

    private func expectDeltaEqualsFull(_ delta: SyncHarness, mode: SyncMode = .delta) async throws {
        try await expectNextRunMatchesFullRead(
            delta, password: SambaConfiguration.adminPassword, schema: "activedirectory", directory: Self.scopes, rest: Self.rules,
            mode: mode, compareCounts: true)
    }

    @Test func deltasMatchFullReadsThroughAddsModifiesMovesDeletesAndMembershipChanges() async throws {
        try await Self.withSync { samba, harness in
            let first = try await harness.run()
            #expect(first.mode == .full)
            let position = try #require(try harness.state().position)
            #expect(position.kind == "usn")
            #expect(position.server?.hasPrefix("CN=NTDS Settings,CN=DC1,") == true)

            let unchanged = try await harness.run()
            #expect(unchanged.mode == .delta)
            #expect(unchanged.users == ObjectCounts())
            #expect(unchanged.groups == ObjectCounts())
            #expect(unchanged.licenses.assigned == 0 && unchanged.licenses.removed == 0)

            try samba.modify(ldif: LDIFBuilder.render([AD.user("newcomer", in: Self.staff, extra: [.init("c", "AT")])]))
            try samba.modify(ldif: """
                dn: CN=cara,\(Self.staff)
                changetype: modify
                replace: displayName
                displayName: Cara Jones

                dn: CN=ada,\(Self.users)
                changetype: modify
                replace: userAccountControl
                userAccountControl: 546
                """)
            try await expectDeltaEqualsFull(harness)
            let modified = try #require(harness.reporter.reports.last)
            #expect(modified.users.added == 1)
            #expect(modified.users.updated == 2)
            #expect(try harness.liveUsers()["ada@corp.example.test"]?.accountEnabled == false)

            // A rename and move inside the scopes, a move out of them, two deletes (one user anchored by its
            // consistency GUID) and a membership change.
            try samba.modify(ldif: """
                dn: CN=ada,\(Self.users)
                changetype: modrdn
                newrdn: CN=Ada Lovelace
                deleteoldrdn: 1
                newsuperior: \(Self.staff)

                dn: CN=staff01,\(Self.staff)
                changetype: modrdn
                newrdn: CN=staff01
                deleteoldrdn: 1
                newsuperior: \(Self.elsewhere)

                dn: CN=ben,\(Self.users)
                changetype: delete

                dn: CN=dev,\(Self.users)
                changetype: delete

                dn: CN=Mobile,\(Self.groups)
                changetype: modify
                add: member
                member: CN=staff04,\(Self.staff)
                -
                delete: member
                member: CN=staff03,\(Self.staff)
                """)
            try await expectDeltaEqualsFull(harness)
            let moved = try #require(harness.reporter.reports.last)
            #expect(moved.users.deleted == 3)
            #expect(moved.users.updated == 1)
            let live = try harness.liveUsers()
            #expect(live["ada@corp.example.test"]?.onPremisesDistinguishedName == "CN=Ada Lovelace,\(Self.staff)")
            #expect(live["dev@corp.example.test"] == nil && live["ben@corp.example.test"] == nil && live["staff01@corp.example.test"] == nil)

            // Back into the scope: the group values that named it resolve again.
            try samba.modify(ldif: """
                dn: CN=staff01,\(Self.elsewhere)
                changetype: modrdn
                newrdn: CN=staff01
                deleteoldrdn: 1
                newsuperior: \(Self.staff)
                """)
            try await expectDeltaEqualsFull(harness)
            #expect(try harness.liveUsers()["staff01@corp.example.test"] != nil)

            // Deleting members changes nothing on the groups' uSNChanged, yet their member values are gone.
            try samba.modify(ldif: """
                dn: CN=staff02,\(Self.staff)
                changetype: delete

                dn: CN=Field,\(Self.groups)
                changetype: delete
                """)
            try await expectDeltaEqualsFull(harness)
            let removed = try #require(harness.reporter.reports.last)
            #expect(removed.users.deleted == 1)
            #expect(removed.groups.deleted == 1)
            #expect(try harness.state().groups.map(\.displayName) == ["Mobile"])
        }
    }

    @Test func aPositionOfAnotherDomainControllerLeadsToAFullRead() async throws {
        try await Self.withSync { samba, harness in
            try await harness.run()
            let position = try #require(try harness.state().position)
            let server = try #require(position.server)
            let otherDatabase = String(server[..<(server.lastIndex(of: "#") ?? server.endIndex)]) + "#AAAAAAAAAAAAAAAAAAAAAA=="
            try replacePosition(of: harness, with: SyncPosition(kind: position.kind, value: position.value, server: otherDatabase))
            #expect(SyncCycle(context: try harness.context(), store: try TenantStore(path: harness.storePath), reporter: harness.reporter)
                .plannedMode(state: try harness.state(), options: RunOptions(), now: Date()) == .delta)
            try samba.modify(ldif: "dn: CN=staff05,\(Self.staff)\nchangetype: delete\n")
            try await expectDeltaEqualsFull(harness, mode: .full)
            #expect(try #require(harness.reporter.reports.last).users.deleted == 1)
            #expect(try harness.state().position?.server == server)
            #expect(try await harness.run().mode == .delta)
        }
    }

    @Test func fullFlagAndChangedScopesReadEverything() async throws {
        try await Self.withSync { _, harness in
            try await harness.run()
            #expect(try await harness.run(RunOptions(full: true)).mode == .full)
            #expect(try await harness.run().mode == .delta)
            try harness.writeConfig(
                schema: "activedirectory",
                directory: """
                    users: [ { base: "\(Self.staff)", filter: "\(Self.userFilter)" } ]
                    groups: [ { base: "\(Self.groups)", filter: "(objectClass=group)" } ]
                    """, rest: Self.rules)
            #expect(try await harness.run().mode == .full)
            #expect(try await harness.run().mode == .delta)
        }
    }

    @Test func aChangedGroupWithMoreMembersThanOneWindowIsReadWhole() async throws {
        let names = (1...1600).map { "bulk\(String(format: "%04d", $0))" }
        let bulk = names.map { AD.user($0, in: Self.staff) }
        let everyone = AD.group("Everyone", in: Self.groups, memberDNs: names.map { "CN=\($0),\(Self.staff)" })
        try await Self.withSync(bulk + [everyone]) { samba, harness in
            try await harness.run()
            try samba.modify(ldif: """
                dn: CN=Everyone,\(Self.groups)
                changetype: modify
                delete: member
                member: CN=bulk0001,\(Self.staff)
                -
                add: member
                member: CN=cara,\(Self.staff)
                """)
            try await expectDeltaEqualsFull(harness)
            let group = try #require(try harness.state().groups.first { $0.displayName == "Everyone" })
            #expect(group.memberUserIds.count == 1600)
            #expect(try #require(harness.reporter.reports.last).groups.updated == 1)
        }
    }

    /// Saves `position` in the store the way a run would.
    private func replacePosition(of harness: SyncHarness, with position: SyncPosition) throws {
        let store = try TenantStore(path: harness.storePath)
        let state = try store.loadState()
        var changes = TenantChangeSet()
        changes.position = position
        let now = Date()
        try store.apply(changes, report: RunReport(runId: state.nextRunId, startedAt: now, finishedAt: now, mode: .full, dryRun: false, outcome: .success))
    }
}
