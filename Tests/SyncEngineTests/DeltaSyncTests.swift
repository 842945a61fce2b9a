import Foundation
import TenantModel
import TenantStore
import TestSupport
import Testing

@testable import SyncEngine

/// RFC 4533 deltas against a real slapd. After every delta the store must hold what a full read of the same directory
/// produces: a second store, filled by a full read, is compared with it.
@Suite struct DeltaSyncTests {
    private static let rules = SampleDirectory.rules

    private static func directory() -> String { SampleDirectory.ldif() }

    /// The test directory in a slapd, a harness configured for it, and a first (full) sync done.
    private static func withFirstSync(_ body: (SlapdServer, SyncHarness) async throws -> Void) async throws {
        try await SlapdServer.with(ldif: directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: rules)
            try await harness.run()
            try await body(slapd, harness)
        }
    }

    private func expectDeltaEqualsFull(_ delta: SyncHarness, mode: SyncMode = .delta) async throws {
        try await expectNextRunMatchesFullRead(
            delta, password: "secret", directory: SyncHarness.openldapScopes, rest: Self.rules, mode: mode)
    }

    @Test func aDeltaJudgesTheEntriesQuarantinedBeforeAfresh() async throws {
        try await Self.withFirstSync { slapd, harness in
            // user08 wants user09's UPN, and an entry without mail has no UPN at all: both quarantined.
            try slapd.modify(ldif: SampleChanges.duplicateUPNAndMissingMail)
            try await expectDeltaEqualsFull(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 2)

            // An unrelated change: both verdicts stand, and the delta is still planned as it is.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user01"))
                changetype: modify
                replace: displayName
                displayName: Someone
                """)
            let context = try harness.context()
            let store = try TenantStore(path: harness.storePath)
            let cycle = SyncCycle(context: context, store: store, reporter: harness.reporter)
            let state = try store.loadState()
            let read = try await cycle.readDirectory(
                position: state.position, state: StateSource(wait: { state }), options: RunOptions(), now: Date())
            #expect(read.delta != nil, "an unchanged verdict forced the merged plan")
            #expect(read.earlierQuarantines.count == 2)
            #expect(read.changedDNs == [LDIFBuilder.userDN("user01")])
            try await expectDeltaEqualsFull(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 2)

            // user09 gives the UPN up and the entry without mail goes: user08 gets the UPN, nothing stays quarantined.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user09"))
                changetype: modify
                replace: mail
                mail: user09-new@example.org

                dn: uid=nomail,ou=people,dc=example,dc=org
                changetype: delete
                """)
            try await expectDeltaEqualsFull(harness)
            let freed = try #require(harness.reporter.reports.last)
            #expect(freed.users.quarantined == 0, "\(freed.findings)")
            #expect(!freed.findings.contains { $0.isQuarantine })
            let users = try harness.state().users
            #expect(users.contains { $0.userPrincipalName == "user09@example.org" && $0.onPremisesDistinguishedName == LDIFBuilder.userDN("user08") })
        }
    }

    @Test func twoUsersSwappingTheirUPNsIsAppliedInDeltaAndFullAlike() async throws {
        try await Self.withFirstSync { slapd, harness in
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user02"))
                changetype: modify
                replace: mail
                mail: user03@example.org

                dn: \(LDIFBuilder.userDN("user03"))
                changetype: modify
                replace: mail
                mail: user02@example.org
                """)
            try await expectDeltaEqualsFull(harness)
            let swapped = try #require(harness.reporter.reports.last)
            #expect(swapped.outcome != .failed, "\(swapped.failure ?? "")")
            let upns = Dictionary(uniqueKeysWithValues: try harness.state().users.map { ($0.onPremisesDistinguishedName ?? "", $0.userPrincipalName) })
            #expect(upns[LDIFBuilder.userDN("user02")] == "user03@example.org")
            #expect(upns[LDIFBuilder.userDN("user03")] == "user02@example.org")
        }
    }

    @Test func aRunThatAppliedNothingLeavesTheQuarantinesToTheNextDelta() async throws {
        try await Self.withFirstSync { slapd, harness in
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user08"))
                changetype: modify
                replace: mail
                mail: user09@example.org
                """)
            let quarantining = try await harness.run()
            #expect(quarantining.mode == .delta)
            #expect(quarantining.users.quarantined == 1)

            try harness.writeConfig(
                directory: """
                    users:  [ { base: "ou=people,dc=example,dc=org", filter: "(uid=nobody)" } ]
                    groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(objectClass=groupOfNames)" } ]
                    """, rest: Self.rules)
            #expect(try await harness.run().outcome == .stoppedByGuard)

            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            let next = try await harness.run()
            #expect(next.mode == .delta)
            #expect(next.users.quarantined == 1)
            #expect(next.findings.contains { $0.kind == .uniquenessViolation })
        }
    }

    @Test func deltasMatchFullReadsThroughAddsModifiesRenamesDeletesAndMembershipChanges() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            let first = try await harness.run()
            #expect(first.mode == .full)
            #expect(try harness.state().position?.kind == "syncrepl")

            let unchanged = try await harness.run()
            #expect(unchanged.mode == .delta)
            #expect(unchanged.users == ObjectCounts())
            #expect(unchanged.licenses.assigned == 0 && unchanged.licenses.removed == 0)

            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "newcomer", country: "AT")]))
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user03"))
                changetype: modify
                replace: displayName
                displayName: Renamed Person
                """)
            try await expectDeltaEqualsFull(harness)
            let added = try #require(harness.reporter.reports.last)
            #expect(added.users.added == 1)
            #expect(added.users.updated == 1)

            try slapd.modify(ldif: SampleChanges.renameDeleteAndRegroup)
            try await expectDeltaEqualsFull(harness)
            #expect(try harness.state().users.contains { $0.onPremisesDistinguishedName == LDIFBuilder.userDN("user07") && $0.isDeleted })

            // A user leaving the scope and coming back: group member values resolve again.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user02"))
                changetype: modrdn
                newrdn: uid=user02
                deleteoldrdn: 1
                newsuperior: ou=elsewhere,dc=example,dc=org
                """)
            try await expectDeltaEqualsFull(harness)
            try slapd.modify(ldif: """
                dn: uid=user02,ou=elsewhere,dc=example,dc=org
                changetype: modrdn
                newrdn: uid=user02
                deleteoldrdn: 1
                newsuperior: ou=people,dc=example,dc=org
                """)
            try await expectDeltaEqualsFull(harness)
        }
    }

    /// Deltas of user changes alone are planned without rebuilding the unchanged directory; deleted members leave
    /// unchanged groups, a UPN taken from an unchanged user and a deleted nested group take the merged way.
    @Test func userOnlyDeltasMatchFullReads() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            #expect(try await harness.run().mode == .full)

            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "later", country: "FR")]))
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user13"))
                changetype: delete

                dn: \(LDIFBuilder.userDN("user04"))
                changetype: delete

                dn: \(LDIFBuilder.userDN("user06"))
                changetype: modify
                replace: displayName
                displayName: Someone Else
                """)
            try await expectDeltaEqualsFull(harness)
            let deleted = try #require(harness.reporter.reports.last)
            #expect(deleted.users.deleted == 2 && deleted.users.added == 1 && deleted.users.updated == 1)
            #expect(deleted.groups.updated == 2)

            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user08"))
                changetype: modify
                replace: mail
                mail: user09@example.org
                """)
            try await expectDeltaEqualsFull(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 1)

            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.groupDN("Field"))
                changetype: delete
                """)
            try await expectDeltaEqualsFull(harness)
        }
    }

    @Test func changesBeforeAServerRestartAreFoundThroughTheFullRead() async throws {
        try await Self.withFirstSync { slapd, harness in
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user11"))
                changetype: delete

                dn: \(LDIFBuilder.userDN("user12"))
                changetype: modify
                replace: mail
                mail: twelve@example.org
                """)
            try await slapd.restart()
            try await expectDeltaEqualsFull(harness, mode: .full)
            let report = try #require(harness.reporter.reports.last)
            #expect(report.users.deleted == 1)
            #expect(report.users.updated == 1)
        }
    }

    @Test func aBadCookieLeadsToAFullRead() async throws {
        try await Self.withFirstSync { slapd, harness in
            let store = try TenantStoreAccess.open(harness.storePath)
            try store.replacePosition(with: "rid=000,csn=19700101000000.000000Z#000000#000#000000")
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user04"))
                changetype: delete
                """)
            try await expectDeltaEqualsFull(harness, mode: .full)
            let report = try #require(harness.reporter.reports.last)
            #expect(report.users.deleted == 1)
        }
    }

    @Test func fullFlagAndChangedScopesReadEverything() async throws {
        try await Self.withFirstSync { slapd, harness in
            #expect(try await harness.run(RunOptions(full: true)).mode == .full)
            #expect(try await harness.run().mode == .delta)
            try harness.writeConfig(
                directory: """
                    users:  [ { base: "ou=people,dc=example,dc=org", filter: "(&(objectClass=inetOrgPerson)(uid=user0*))" } ]
                    groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(objectClass=groupOfNames)" } ]
                    """, rest: Self.rules)
            #expect(try await harness.run().mode == .full)
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules + "\nsync: { fullSyncEvery: 1s }")
            try await harness.run()
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await harness.run().mode == .full)
        }
    }
}

/// Writes a position into a store the way a run would, for tests that need a damaged one.
struct TenantStoreAccess {
    let store: TenantStore

    static func open(_ path: String) throws -> TenantStoreAccess {
        TenantStoreAccess(store: try TenantStore(path: path))
    }

    /// Replaces every saved cookie with `cookie`, keeping the scopes and the time of the last full read.
    func replacePosition(with cookie: String) throws {
        let state = try store.loadState()
        let position = try #require(state.position)
        var saved = try JSONSerialization.jsonObject(with: Data(position.value.utf8)) as? [String: Any] ?? [:]
        let cookies = saved["cookies"] as? [String: String] ?? [:]
        saved["cookies"] = cookies.mapValues { _ in Data(cookie.utf8).base64EncodedString() }
        var changes = TenantChangeSet()
        changes.position = SyncPosition(
            kind: position.kind, value: String(decoding: try JSONSerialization.data(withJSONObject: saved), as: UTF8.self), server: position.server)
        let now = Date()
        try store.apply(changes, report: RunReport(runId: state.nextRunId, startedAt: now, finishedAt: now, mode: .full, dryRun: false, outcome: .success))
    }
}
