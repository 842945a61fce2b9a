import Foundation
import GRDB
import TenantModel
import TenantStore
import TestSupport
import Testing

@testable import SyncEngine

/// A full read maps only the entries whose content digest differs from the one stored with their user or group, and
/// plans what changed as a delta does. Each such read must come out as a full read that maps every entry again.
@Suite struct ContentDigestTests {
    private static let rules = SampleDirectory.rules

    /// Mobile also names `notyet`, an entry the directory does not have yet.
    private static func directory() -> String { SampleDirectory.ldif(mobileAlsoNames: [LDIFBuilder.userDN("notyet")]) }

    private func expectFullEqualsEverythingMapped(_ harness: SyncHarness) async throws {
        try await expectNextRunMatchesFullRead(
            harness, password: "secret", directory: SyncHarness.openldapScopes, rest: Self.rules, mode: .full,
            compareReports: true, options: RunOptions(full: true))
    }

    private func storedDigests(_ harness: SyncHarness) throws -> (users: [Int64?], groups: [Int64?]) {
        let queue = try DatabaseQueue(path: harness.storePath)
        return try queue.read { db in
            (try Int64?.fetchAll(db, sql: "SELECT contentHash FROM users WHERE deletedDateTime IS NULL"),
             try Int64?.fetchAll(db, sql: "SELECT contentHash FROM groups"))
        }
    }

    @Test func anUnchangedDirectoryIsReadWithoutMappingOrPlanningTheTenant() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            let first = try await harness.run()
            let digests = try storedDigests(harness)
            #expect(digests.users.count == 20 && digests.users.allSatisfy { $0 != nil })
            #expect(digests.groups.count == 2 && digests.groups.allSatisfy { $0 != nil })

            let again = try await harness.run(RunOptions(full: true))
            #expect(again.mode == .full && again.outcome == first.outcome)
            #expect(again.users == ObjectCounts() && again.groups == ObjectCounts())
            #expect(again.userTotal == 20 && again.findings == first.findings)
            #expect(harness.lastRunWasNarrow)
            #expect(try storedDigests(harness) == digests)
        }
    }

    @Test func fullReadsOfChangesMatchReadsThatMapEverything() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            try await harness.run()

            // A member value that named nobody names a new user; another user changes.
            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "notyet", country: "AT")]))
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user03"))
                changetype: modify
                replace: displayName
                displayName: Renamed Person
                """)
            try await expectFullEqualsEverythingMapped(harness)
            #expect(try #require(harness.reporter.reports.last).users.added == 1)
            #expect(harness.progress.lines.contains("full read: 21 entries unchanged, 2 changed, 0 gone"))

            // A rename, a deletion and membership changes.
            try slapd.modify(ldif: SampleChanges.renameDeleteAndRegroup)
            try await expectFullEqualsEverythingMapped(harness)

            // A holder leaves: its seat goes to the next user waiting, the users it concerns alone are evaluated.
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user02"))\nchangetype: delete\n")
            try await expectFullEqualsEverythingMapped(harness)

            // A duplicate UPN is quarantined, and judged again once it is unique.
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user08"))
                changetype: modify
                replace: mail
                mail: user09@example.org
                """)
            try await expectFullEqualsEverythingMapped(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 1)
            try slapd.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user08"))
                changetype: modify
                replace: mail
                mail: user08@example.org
                """)
            try await expectFullEqualsEverythingMapped(harness)
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 0)

            // A group deleted, and a delta between full reads.
            try slapd.modify(ldif: "dn: \(LDIFBuilder.groupDN("Field"))\nchangetype: delete\n")
            try await expectNextRunMatchesFullRead(
                harness, password: "secret", directory: SyncHarness.openldapScopes, rest: Self.rules, compareReports: true)
            try slapd.modify(ldif: LDIFBuilder.render([LDIFBuilder.user(uid: "latecomer", country: "FR")]))
            try await expectFullEqualsEverythingMapped(harness)
        }
    }

    /// After deltas, whatever path planned them, a full read comes out as one that maps everything; groups a delta
    /// planned from the tenant are mapped again by it, and the full read after finds every entry as stored.
    @Test func deltasLeaveDigestsAFullReadAgrees() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            try await harness.run()
            let changes = [
                // A membership change (planned through a merged snapshot).
                "dn: \(LDIFBuilder.groupDN("Field"))\nchangetype: modify\nadd: member\nmember: \(LDIFBuilder.userDN("user19"))\n",
                // A deletion (planned on the narrow state; the groups lose the member).
                "dn: \(LDIFBuilder.userDN("user04"))\nchangetype: delete\n",
                // A new user a member value already named (the groups are read again).
                LDIFBuilder.render([LDIFBuilder.user(uid: "notyet", country: "AT")]),
            ]
            for change in changes {
                try slapd.modify(ldif: change)
                #expect(try await harness.run().mode == .delta)
                try await expectFullEqualsEverythingMapped(harness)
                let settled = try await harness.run(RunOptions(full: true))
                #expect(settled.users == ObjectCounts() && settled.groups == ObjectCounts())
                #expect(harness.lastRunWasNarrow)
                let lastRun = harness.progress.lines.reversed().prefix { $0 != "reading the directory" }
                #expect(!lastRun.contains { $0.hasPrefix("full read:") }, "\(lastRun)")
            }
        }
    }

    /// Whatever concerns groups (one changed, one gone, users a `memberUid` names) is planned from every entry.
    @Test func aChangedGroupMakesAFullReadMapEveryEntry() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            try await harness.run()
            try slapd.modify(ldif: "dn: \(LDIFBuilder.groupDN("Field"))\nchangetype: modify\ndelete: member\nmember: \(LDIFBuilder.userDN("user13"))\n")
            try await expectFullEqualsEverythingMapped(harness)
            #expect(harness.progress.lines.contains("reading every entry again to plan the changes whole"))
            #expect(try #require(harness.reporter.reports.last).groups.updated == 1)
        }
    }

    /// A user a delta planned from an entry read without a digest (read again as quarantined before) loses the one
    /// it had: an entry changed back to what that digest describes is mapped by the next full read.
    @Test func aUserPlannedWithoutADigestLosesTheOneItHad() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            try await harness.run()
            func setMail(_ uid: String, _ mail: String) throws {
                try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN(uid))\nchangetype: modify\nreplace: mail\nmail: \(mail)\n")
            }
            try setMail("user08", "user09@example.org")
            #expect(try await harness.run().users.quarantined == 1)
            // user09 gives its UPN up: user08, read again as a quarantined entry, takes it.
            try setMail("user09", "other09@example.org")
            #expect(try await harness.run().mode == .delta)
            #expect(try harness.liveUsers()["user09@example.org"]?.onPremisesDistinguishedName == LDIFBuilder.userDN("user08"))
            // user08's entry goes back to what it was at the first sync; the next read is a full one.
            try setMail("user08", "user08@example.org")
            try await expectFullEqualsEverythingMapped(harness)
            #expect(try harness.liveUsers()["user08@example.org"] != nil)
        }
    }

    /// A posixGroup names its members by uid: a user quarantined, or whose uid changes, leaves it in a full read.
    @Test func usersAPosixGroupNamesByUidArePlannedFromEveryEntry() async throws {
        // A user whose DN does not name its uid, so that the uid can change under the same DN.
        let person = LDIFEntry(dn: "cn=Posix Person,ou=people,dc=example,dc=org", attributes: [
            .init("objectClass", "inetOrgPerson"), .init("cn", "Posix Person"), .init("sn", "Person"),
            .init("uid", "posixperson"), .init("mail", "posix.person@example.org"),
        ])
        let posix = LDIFEntry(dn: LDIFBuilder.groupDN("Posix"), attributes: [
            .init("objectClass", "posixGroup"), .init("cn", "Posix"), .init("gidNumber", "5000"),
            .init("memberUid", "user01"), .init("memberUid", "user02"), .init("memberUid", "posixperson"),
        ])
        let rules = Self.rules.replacingOccurrences(of: "licenses: [", with: "licenses: [ { group: Posix, sku: INTUNE_A }, ")
        try await SlapdServer.with(ldif: Self.directory() + "\n" + LDIFBuilder.render([person, posix])) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: rules)
            try await harness.run()
            func compare() async throws {
                try await expectNextRunMatchesFullRead(
                    harness, password: "secret", directory: SyncHarness.openldapScopes, rest: rules, mode: .full,
                    compareReports: true, options: RunOptions(full: true))
            }
            // user02's UPN becomes unusable: quarantined, it is no member a memberUid can name.
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user02"))\nchangetype: modify\nreplace: mail\nmail: not-an-address\n")
            try await compare()
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 1)
            // The posix person's uid changes under the same DN, through a delta first and then a full read.
            try slapd.modify(ldif: "dn: cn=Posix Person,ou=people,dc=example,dc=org\nchangetype: modify\nreplace: uid\nuid: someoneelse\n")
            #expect(try await harness.run().mode == .delta)
            try await compare()
            #expect(try harness.state().groups.first { $0.displayName == "Posix" }?.memberUserIds.count == 1)
        }
    }

    /// Scopes that overlap read some entries twice: only the first counts, in a full read that skips and in one
    /// that maps everything alike.
    @Test func entriesReadTwiceCountOnce() async throws {
        let overlapping = """
            users:  [ { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" },
                      { base: "ou=people,dc=example,dc=org", filter: "(uid=user0*)" } ]
            groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(objectClass=groupOfNames)" } ]
            """
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: overlapping, rest: Self.rules)
            try await harness.run()
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user04"))\nchangetype: modify\nreplace: displayName\ndisplayName: Twice\n")
            // An entry in both scopes is quarantined: once.
            try slapd.modify(ldif: "dn: \(LDIFBuilder.userDN("user03"))\nchangetype: modify\nreplace: mail\nmail: not-an-address\n")
            try await expectNextRunMatchesFullRead(
                harness, password: "secret", directory: overlapping, rest: Self.rules, mode: .full, compareReports: true,
                options: RunOptions(full: true))
            #expect(try #require(harness.reporter.reports.last).users.quarantined == 1)
            let settled = try await harness.run(RunOptions(full: true))
            #expect(settled.users == ObjectCounts(quarantined: 1))
        }
    }

    @Test func anotherAttributeMapMapsEveryEntryAgain() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules)
            try await harness.run()
            let before = try storedDigests(harness)
            // The display name now comes from sn: every user's value changes although no entry did.
            let scopes = SyncHarness.openldapScopes + "\nattributes: { displayName: sn }"
            try harness.writeConfig(directory: scopes, rest: Self.rules)
            let remapped = try await harness.run(RunOptions(full: true))
            #expect(remapped.users.updated == 20)
            #expect(try storedDigests(harness).users != before.users)
        }
    }
}
