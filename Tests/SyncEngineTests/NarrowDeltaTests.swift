import Foundation
import GRDB
import TenantModel
import TenantStore
import TestSupport
import Testing

@testable import SyncEngine

/// Deltas of user changes are planned on the users they concern (`SyncCycle.narrowDelta`): the changed and deleted
/// ones, those waiting for a seat or refused by a check, and those with direct assignments. Each must come out as a
/// full read of the same directory does, report included; whatever the last run's evaluation does not cover (a
/// write by another command, other rules) makes the next delta evaluate everyone.
@Suite struct NarrowDeltaTests {
    /// 14 users claim INTUNE_A through Mobile (Field is nested in it) and 8 seats are bought: 6 wait.
    private static let rules = """
        subscriptions: { INTUNE_A: 8, SPE_E3: 5 }
        licenses: [ { group: Mobile, sku: INTUNE_A }, { group: Field, sku: INTUNE_A } ]
        """

    private static func directory() -> String { SampleDirectory.ldif() }

    private static func withFirstSync(rules: String = rules, _ body: (SlapdServer, SyncHarness) async throws -> Void) async throws {
        try await SlapdServer.with(ldif: directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: rules)
            #expect(try await harness.run().mode == .full)
            try await body(slapd, harness)
        }
    }

    private func expectDeltaEqualsFull(_ harness: SyncHarness, rules: String = rules) async throws {
        try await expectNextRunMatchesFullRead(
            harness, password: "secret", directory: SyncHarness.openldapScopes, rest: rules, compareReports: true)
    }

    /// The totals the store keeps with the last evaluation equal the tenant's as counted.
    private func expectStoredTotalsMatch(_ harness: SyncHarness) throws {
        let queue = try DatabaseQueue(path: harness.storePath)
        let text = try queue.read { db in try String.fetchOne(db, sql: "SELECT totals FROM licensing_basis") }
        let stored = try JSONDecoder().decode(TenantTotals.self, from: Data(try #require(text).utf8))
        let state = try harness.state()
        let live = state.users.filter { $0.onPremisesSyncEnabled && !$0.isDeleted }
        #expect(stored == TenantTotals(
            liveSyncedUsers: live.count, liveSyncedUsersWithDN: live.count { $0.onPremisesDistinguishedName != nil },
            groups: state.groups.count, activePaths: state.groupPaths.count { $0.state == .active }))
    }

    private func holders(_ harness: SyncHarness) throws -> [String] {
        let state = try harness.state()
        let upns = Dictionary(uniqueKeysWithValues: state.users.map { ($0.id, $0.userPrincipalName) })
        return Set(state.groupPaths.filter { $0.state == .active }.compactMap { upns[$0.userId] }).sorted()
    }

    @Test func aFreedSeatGoesToTheNextWaitingUserAsInAFullRead() async throws {
        try await Self.withFirstSync { slapd, harness in
            #expect(try holders(harness).count == 8)
            #expect(try !holders(harness).contains("user09@example.org"))
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user03"))\nchangetype: delete\n")
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            let report = try #require(harness.reporter.reports.last)
            #expect(report.licenses.assigned == 1 && report.licenses.removed == 1)
            #expect(report.users.deleted == 1 && report.userTotal == 19)
            // user10 waits through Mobile, user13–user16 through Mobile and Field.
            #expect(report.findings.count { $0.kind == .countViolation } == 9)
            #expect(try holders(harness).contains("user09@example.org"))
            #expect(try !holders(harness).contains("user03@example.org"))
            try expectStoredTotalsMatch(harness)
        }
    }

    @Test func changedNewAndMovedUsersMatchAFullRead() async throws {
        try await Self.withFirstSync { slapd, harness in
            // A holder renamed, a waiting user moving country, an entry new to the directory in no group.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user05"))
                changetype: modify
                replace: displayName
                displayName: Someone Else

                dn: \(LDIFBuilder.userDN("user14"))
                changetype: modify
                replace: c
                c: FR
                """)
            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "later", country: "AT")]))
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try #require(harness.reporter.reports.last).users.added == 1)

            // Two deletions free two seats at once; a holder's UPN changes in the same delta.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user01"))
                changetype: delete

                dn: \(LDIFBuilder.userDN("user02"))
                changetype: delete

                dn: \(LDIFBuilder.userDN("user04"))
                changetype: modify
                replace: mail
                mail: renamed04@example.org
                """)
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try #require(harness.reporter.reports.last).licenses.assigned == 2)
            try expectStoredTotalsMatch(harness)
        }
    }

    /// Mobile also names `notyet`, which does not exist: a member counted out of scope. A user no group names comes:
    /// the directory says so and the delta stays narrow. Then `notyet` comes, which Mobile names: the delta reads
    /// the groups (whole state) and `notyet` joins Mobile, as in a full read. A moved user is asked about the same way.
    @Test func newUsersNoGroupNamesStayNarrowBesideMembersThatNamedNobody() async throws {
        try await SlapdServer.with(ldif: SampleDirectory.ldif(mobileAlsoNames: [LDIFBuilder.userDN("notyet")])) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            #expect(try await harness.run().mode == .full)
            #expect(try harness.state().groups.first { $0.displayName == "Mobile" }?.outOfScopeMemberCount == 1)

            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "newcomer", country: "DE")]))
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try harness.liveUsers()["newcomer@example.org"] != nil)

            // user19 is in no group: moved, it is asked about as a newcomer.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user19"))
                changetype: modrdn
                newrdn: uid=user19b
                deleteoldrdn: 1
                """)
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)

            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "notyet", country: "DE")]))
            try await expectDeltaEqualsFull(harness)
            #expect(!harness.lastRunWasNarrow)
            let state = try harness.state()
            let notyet = try #require(try harness.liveUsers()["notyet@example.org"])
            #expect(state.groups.first { $0.displayName == "Mobile" }?.memberUserIds.contains(notyet.id) == true)
            #expect(state.groups.first { $0.displayName == "Mobile" }?.outOfScopeMemberCount == 0)
        }
    }

    /// The groups use `member`, and one also `uniqueMember`, naming `later`, who does not exist yet. The full read
    /// notes both attributes in the saved position, and the delta that brings `later` asks about it in both: Legacy
    /// names it, so the delta reads the groups and `later` joins Legacy, as in a full read.
    @Test func newcomersAreAskedAboutInTheMemberAttributesTheGroupsUse() async throws {
        try await SlapdServer.with(ldif: SampleDirectory.ldif()) { slapd in
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.groupDN("Legacy"))
                changetype: add
                objectClass: groupOfUniqueNames
                cn: Legacy
                uniqueMember: \(LDIFBuilder.userDN("later"))

                """)
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            #expect(try await harness.run().mode == .full)
            let saved = try #require(try harness.state().position)
            #expect(saved.value.contains(#""memberAttributes":["member","uniqueMember"]"#), "\(saved.value)")

            // Named by no group: the delta stays narrow.
            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "nobodys", country: "DE")]))
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)

            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "later", country: "DE")]))
            try await expectDeltaEqualsFull(harness)
            #expect(!harness.lastRunWasNarrow)
            let later = try #require(try harness.liveUsers()["later@example.org"])
            #expect(try harness.state().groups.first { $0.displayName == "Legacy" }?.memberUserIds == [later.id])
        }
    }

    @Test func aWriteByAnotherCommandOrOtherRulesMakeTheNextDeltaEvaluateEveryone() async throws {
        try await Self.withFirstSync { slapd, harness in
            // A direct licence written outside a run: the last run's evaluation no longer describes the tenant.
            try DirectLicensing.assign(context: try harness.context(), userPrincipalName: "user01@example.org", sku: "INTUNE_A", disabledPlans: [])
            try modifyDisplayName(slapd, "user06", "First")
            try await expectDeltaEqualsFull(harness)
            #expect(!harness.lastRunWasNarrow)

            // That run's evaluation stands again: the next delta is narrow, and user01's direct licence is in it.
            try modifyDisplayName(slapd, "user06", "Second")
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try #require(harness.reporter.reports.last).findings.contains { $0.kind == .redundantDirectAssignment })

            // Other rules: everyone again.
            let reordered = """
                subscriptions: { INTUNE_A: 8, SPE_E3: 5 }
                licenses: [ { group: Field, sku: INTUNE_A }, { group: Mobile, sku: INTUNE_A } ]
                """
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: reordered)
            try modifyDisplayName(slapd, "user06", "Third")
            try await expectDeltaEqualsFull(harness, rules: reordered)
            #expect(!harness.lastRunWasNarrow)
            try modifyDisplayName(slapd, "user06", "Fourth")
            try await expectDeltaEqualsFull(harness, rules: reordered)
            #expect(harness.lastRunWasNarrow)
        }
    }

    /// Seats are not part of what the evaluation stood on: more seats go to the users waiting, fewer take none away.
    @Test func otherSeatCountsAreServedByANarrowDelta() async throws {
        try await Self.withFirstSync { slapd, harness in
            for seats in [11, 6] {
                let rules = Self.rules.replacingOccurrences(of: "INTUNE_A: 8", with: "INTUNE_A: \(seats)")
                try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: rules)
                try modifyDisplayName(slapd, "user06", "Seats \(seats)")
                try await expectDeltaEqualsFull(harness, rules: rules)
                #expect(harness.lastRunWasNarrow)
            }
            // 11 seats served three more users; 6 seats leave all 11 holders in place.
            #expect(try holders(harness).count == 11)
        }
    }

    /// Entries quarantined before are judged again first; a verdict that stands is carried, and the delta stays
    /// narrow.
    @Test func earlierQuarantinesLeaveADeltaNarrow() async throws {
        try await Self.withFirstSync { slapd, harness in
            // user08 wants user09's UPN, and an entry has no mail at all.
            try slapd.modify(ldif: SampleChanges.duplicateUPNAndMissingMail)
            try await expectDeltaEqualsFull(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 2)

            try modifyDisplayName(slapd, "user06", "Quarantines stand")
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 2)

            // user09 takes another UPN: user08 gets the one it wanted.
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user09"))\nchangetype: modify\nreplace: mail\nmail: other09@example.org\n")
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 1)
            #expect(try harness.liveUsers()["user09@example.org"]?.onPremisesDistinguishedName == LDIFBuilder.userDN("user08"))
        }
    }

    @Test func aDryRunLeavesTheEvaluationItStandsOnInPlace() async throws {
        try await Self.withFirstSync { slapd, harness in
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user02"))\nchangetype: delete\n")
            let dry = try await harness.run(RunOptions(dryRun: true))
            #expect(harness.lastRunWasNarrow)
            #expect(dry.licenses.assigned == 1)
            try await expectDeltaEqualsFull(harness)
            #expect(harness.lastRunWasNarrow)
        }
    }

    private func modifyDisplayName(_ slapd: SlapdServer, _ uid: String, _ name: String) throws {
        try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN(uid))\nchangetype: modify\nreplace: displayName\ndisplayName: \(name)\n")
    }
}
