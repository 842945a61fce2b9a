import Foundation
import TenantModel
import TestSupport
import Testing

@testable import SyncEngine

/// Full cycles with the `activedirectory` preset against a real Samba AD domain controller. One Samba runs at a
/// time (fixed ports), so the suite is serialised; `SambaServer` also waits for servers of other test processes.
@Suite(.serialized) struct ActiveDirectorySyncTests {
    private typealias AD = ActiveDirectoryLDIF
    private static let users = ActiveDirectoryScopes.users
    private static let staff = ActiveDirectoryScopes.staff
    private static let groups = ActiveDirectoryScopes.groups
    private static let userFilter = ActiveDirectoryScopes.userFilter
    private static let scopes = ActiveDirectoryScopes.config
    /// 16 bytes that are not any object's GUID.
    private static let consistencyGuid: [UInt8] = Array(0..<16).map { UInt8($0 * 17) }

    /// ada (Users, enabled), ben (Staff, disabled), cara (Staff, 512, UPN unlike her name), dev (Users, with a
    /// consistency GUID), all in Germany; then `extra`.
    private static func directory(_ extra: [LDIFEntry] = []) -> String {
        let germany = [LDIFEntry.Attribute("c", "DE")]
        return LDIFBuilder.render(
            [
                AD.organizationalUnit("Staff"), AD.organizationalUnit("Groups"),
                AD.user("ada", extra: germany),
                AD.user("ben", in: staff, userAccountControl: AD.disabledAccount, extra: germany),
                AD.user("cara", in: staff, upn: "cara.jones@corp.example.test", userAccountControl: 512, extra: germany),
                AD.user("dev", extra: germany + [.init("mS-DS-ConsistencyGuid", .bytes(consistencyGuid))]),
            ] + extra)
    }

    private static func withSync<T: Sendable>(
        _ ldif: String, rest: String = "", _ body: (SambaServer, SyncHarness) async throws -> T
    ) async throws -> T {
        try await SambaServer.with(ldif: ldif) { samba in
            let harness = try SyncHarness(url: samba.url, bindDN: samba.adminDN, password: samba.adminPassword)
            defer { harness.remove() }
            try harness.writeConfig(schema: "activedirectory", directory: scopes, rest: rest)
            return try await body(samba, harness)
        }
    }

    /// `objectGUID` of every entry below `base`, keyed by lower-cased DN, as `ldapsearch` prints it (base64).
    private static func objectGUIDs(_ samba: SambaServer, base: String) throws -> [String: String] {
        var guids: [String: String] = [:]
        var dn: String?
        for line in try samba.search(base: base, attributes: ["objectGUID"]).split(separator: "\n") {
            if line.hasPrefix("dn: ") { dn = String(line.dropFirst(4)).lowercased() }
            if line.hasPrefix("objectGUID:: "), let dn { guids[dn] = String(line.dropFirst(13)) }
        }
        return guids
    }

    @Test func anchorsAreTheObjectGUIDInBase64UnlessAConsistencyGuidIsSet() async throws {
        try await Self.withSync(Self.directory()) { samba, harness in
            let report = try await harness.run()
            #expect(report.outcome == .success)
            let guids = try Self.objectGUIDs(samba, base: samba.baseDN)
            let users = try harness.liveUsers()
            #expect(users.count == 4)
            for name in ["ada", "ben"] {
                let user = try #require(users.values.first { $0.onPremisesDistinguishedName?.hasPrefix("CN=\(name),") == true })
                let anchor = try #require(user.onPremisesImmutableId)
                #expect(Data(base64Encoded: anchor)?.count == 16)
                #expect(anchor == guids[try #require(user.onPremisesDistinguishedName).lowercased()])
            }
            let dev = try #require(users["dev@corp.example.test"])
            #expect(dev.onPremisesImmutableId == Data(Self.consistencyGuid).base64EncodedString())
            #expect(dev.onPremisesImmutableId != guids["cn=dev,\(Self.users.lowercased())"])
        }
    }

    @Test func userAccountControlDecidesWhetherTheAccountIsEnabled() async throws {
        try await Self.withSync(Self.directory()) { samba, harness in
            try await harness.run()
            var users = try harness.liveUsers()
            #expect(users["ada@corp.example.test"]?.accountEnabled == true)  // 544
            #expect(users["ben@corp.example.test"]?.accountEnabled == false)  // 514
            #expect(users["cara.jones@corp.example.test"]?.accountEnabled == true)  // 512

            try samba.modify(ldif: "dn: CN=ada,\(Self.users)\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 546\n")
            let report = try await harness.run()
            #expect(report.users.updated == 1)
            users = try harness.liveUsers()
            #expect(users["ada@corp.example.test"]?.accountEnabled == false)
        }
    }

    @Test func userPrincipalNameIsTakenFromTheDirectory() async throws {
        try await Self.withSync(Self.directory()) { _, harness in
            try await harness.run()
            let users = try harness.liveUsers()
            #expect(Set(users.keys) == ["ada@corp.example.test", "ben@corp.example.test", "cara.jones@corp.example.test", "dev@corp.example.test"])
            let cara = try #require(users["cara.jones@corp.example.test"])
            #expect(cara.onPremisesDistinguishedName == "CN=cara,\(Self.staff)")
            #expect(cara.displayName == "cara")
        }
    }

    @Test func nestedGroupsLicenceTheirMembersThroughTheOuterGroup() async throws {
        let groups = [
            AD.group("Inner", in: Self.groups, memberDNs: ["CN=ben,\(Self.staff)"]),
            AD.group("Middle", in: Self.groups, memberDNs: ["CN=cara,\(Self.staff)", "CN=Inner,\(Self.groups)"]),
            AD.group("Outer", in: Self.groups, memberDNs: ["CN=ada,\(Self.users)", "CN=Middle,\(Self.groups)"]),
        ]
        // The rule names the group by its DN in another case and spacing than the server writes it.
        let rest = """
            subscriptions: { INTUNE_A: 10 }
            licenses: [ { group: "cn=outer, ou=groups, dc=corp, dc=example, dc=test", sku: INTUNE_A } ]
            """
        try await Self.withSync(Self.directory(groups), rest: rest) { _, harness in
            let report = try await harness.run()
            #expect(report.outcome == .success)
            #expect(report.groups.added == 3)
            let state = try harness.state()
            let byName = Dictionary(uniqueKeysWithValues: state.groups.map { ($0.displayName, $0) })
            let outer = try #require(byName["Outer"])
            #expect(outer.memberGroupIds == [try #require(byName["Middle"]).id])
            #expect(byName["Middle"]?.memberGroupIds == [try #require(byName["Inner"]).id])
            let users = try harness.liveUsers()
            let licensed = Set(state.groupPaths.filter { $0.state == .active }.map(\.userId))
            #expect(licensed == Set(["ada@corp.example.test", "ben@corp.example.test", "cara.jones@corp.example.test"].compactMap { users[$0]?.id }))
            #expect(report.licenses.assigned == 3)
        }
    }

    @Test func groupBeyondFifteenHundredMembersArrivesCompleteThroughRangedReads() async throws {
        let names = (1...1600).map { "bulk\(String(format: "%04d", $0))" }
        let bulkUsers = names.map { AD.user($0, in: Self.staff) }
        let everyone = AD.group("Everyone", in: Self.groups, memberDNs: names.map { "CN=\($0),\(Self.staff)" })
        try await Self.withSync(Self.directory(bulkUsers + [everyone])) { samba, harness in
            // The server hands out the first window only, as the engine asks for it; the rest needs more reads.
            let firstWindow = try samba.search(
                base: "CN=Everyone,\(Self.groups)", scope: "base", attributes: ["member;range=0-1499"])
            #expect(firstWindow.split(separator: "\n").count { $0.hasPrefix("member;range=0-1499: ") } == 1500)

            let report = try await harness.run()
            #expect(report.outcome == .success)
            #expect(report.users.added == 1604)
            let group = try #require(try harness.state().groups.first { $0.displayName == "Everyone" })
            #expect(group.memberUserIds.count == 1600)
            #expect(Set(group.memberUserIds).count == 1600)
            #expect(group.outOfScopeMemberCount == 0)
        }
    }

    @Test func renamedAndMovedUserKeepsItsId() async throws {
        try await Self.withSync(Self.directory()) { samba, harness in
            try await harness.run()
            let before = try #require(try harness.liveUsers()["ada@corp.example.test"])
            try samba.modify(ldif: """
                dn: CN=ada,\(Self.users)
                changetype: modrdn
                newrdn: CN=Ada Lovelace
                deleteoldrdn: 1
                newsuperior: \(Self.staff)

                dn: CN=Ada Lovelace,\(Self.staff)
                changetype: modify
                replace: userPrincipalName
                userPrincipalName: ada.lovelace@corp.example.test
                """)
            let report = try await harness.run()
            #expect(report.users.updated == 1)
            #expect(report.users.added == 0)
            #expect(report.users.deleted == 0)
            let after = try #require(try harness.liveUsers()["ada.lovelace@corp.example.test"])
            #expect(after.id == before.id)
            #expect(after.onPremisesImmutableId == before.onPremisesImmutableId)
            #expect(after.onPremisesDistinguishedName == "CN=Ada Lovelace,\(Self.staff)")
        }
    }

    @Test func deletedUserIsSoftDeleted() async throws {
        try await Self.withSync(Self.directory()) { samba, harness in
            try await harness.run()
            let ben = try #require(try harness.liveUsers()["ben@corp.example.test"])
            try samba.modify(ldif: "dn: CN=ben,\(Self.staff)\nchangetype: delete\n")
            let report = try await harness.run()
            #expect(report.outcome == .success)
            #expect(report.users.deleted == 1)
            let deleted = try #require(try harness.state().users.first { $0.id == ben.id })
            #expect(deleted.deletedDateTime != nil)
            #expect(deleted.onPremisesImmutableId == ben.onPremisesImmutableId)
            #expect(try harness.liveUsers().count == 3)
        }
    }
}
