import DirectoryMapping
import Foundation
import TenantModel
import Testing

@testable import SyncEngine

private func person(_ anchor: String, _ upn: String, mail: String? = nil, dn: String? = nil) -> DirectoryUser {
    let dn = dn ?? "uid=\(anchor),ou=people,dc=x"
    return DirectoryUser(anchor: anchor, dn: dn, normalizedDN: dn.lowercased(), userPrincipalName: upn, mail: mail ?? upn)
}

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let planner = DirectoryPlanner(softMatch: true, runId: 7, now: now)

@Suite struct DirectoryPlannerTests {
    /// Scopes that overlap bring an entry twice: the copy is left out, also after another entry with its UPN.
    @Test func anEntryReadTwiceIsNoDuplicateOfItself() {
        let alice = person("a1", "x@x.org", dn: "uid=alice,ou=people,dc=x")
        let bob = person("b1", "x@x.org", dn: "uid=bob,ou=people,dc=x")
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [bob, alice, alice]), state: TenantState())
        #expect(plan.userCounts.added == 1 && plan.userCounts.quarantined == 1)
        #expect(plan.findings.count == 1)
        #expect(plan.findings.first?.detail.contains("uid=bob") == true)
        #expect(plan.users.map(\.onPremisesImmutableId) == ["a1"])
    }

    /// Two entries with one anchor under different DNs (a copied anchor attribute) are still two.
    @Test func twoEntriesSharingAnAnchorAndAUPNAreReported() {
        let first = person("a1", "x@x.org", dn: "uid=first,ou=people,dc=x")
        let copy = person("a1", "x@x.org", dn: "uid=copy,ou=people,dc=x")
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [first, copy]), state: TenantState())
        #expect(plan.userCounts.quarantined == 1)
        #expect(plan.findings.first?.kind == .uniquenessViolation)
    }

    @Test func aQuarantinedEntryReadTwiceCountsOnce() {
        let broken = QuarantinedEntry(
            dn: "uid=broken,ou=people,dc=x", normalizedDN: "uid=broken,ou=people,dc=x", anchor: "z1", reason: .missingUserPrincipalName,
            detail: "no mail")
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [], quarantined: [broken, broken]), state: TenantState())
        #expect(plan.userCounts.quarantined == 1 && plan.findings.count == 1)
    }

    /// Into an empty tenant, users get ids in ascending order (written along the store's id index), one UPN each:
    /// duplicates in the snapshot are quarantined, whatever the case, and the rest keep theirs.
    @Test func aFirstSyncGivesAscendingIdsAndOneUserPerUPN() {
        var users = (0..<300).map { person(String(format: "a%03d", $0), "user\($0)@x.org") }
        users.append(person("dup", "USER7@x.org", dn: "uid=zz-dup,ou=people,dc=x"))
        let plan = planner.plan(snapshot: DirectorySnapshot(users: users), state: TenantState())
        #expect(plan.users.count == 300)
        #expect(plan.users.map(\.id) == plan.users.map(\.id).sorted())
        #expect(Set(plan.users.map(\.id)).count == 300)
        #expect(plan.users.map(\.onPremisesImmutableId) == users.prefix(300).map(\.anchor))
        #expect(plan.userCounts.added == 300 && plan.userCounts.quarantined == 1)
        #expect(plan.findings.map(\.userPrincipalName) == ["USER7@x.org"])
        #expect(plan.changes.upsertUsers == plan.users)
    }

    @Test func newUsersAreCreatedWithTheRunTheyEntered() {
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState())
        #expect(plan.userCounts.added == 1)
        #expect(plan.users.first?.enteredRun == 7)
        #expect(plan.users.first?.onPremisesImmutableId == "a1")
    }

    @Test func hardMatchKeepsTheObjectAcrossRenamesAndMoves() {
        let old = TenantUser(id: "id-1", userPrincipalName: "a@x.org", onPremisesImmutableId: "a1", onPremisesDistinguishedName: "uid=a1,ou=people,dc=x")
        let moved = person("a1", "alice@x.org", dn: "uid=alice,ou=staff,dc=x")
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [moved]), state: TenantState(users: [old]))
        #expect(plan.users.map(\.id) == ["id-1"])
        #expect(plan.users.first?.userPrincipalName == "alice@x.org")
        #expect(plan.users.first?.onPremisesDistinguishedName == "uid=alice,ou=staff,dc=x")
        #expect(plan.userCounts.updated == 1)
        #expect(plan.userCounts.added == 0)
    }

    @Test func unchangedUserWritesNothing() {
        let first = planner.plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState())
        let second = planner.plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState(users: first.users))
        #expect(second.changes.upsertUsers.isEmpty)
        #expect(second.userCounts == ObjectCounts())
    }

    @Test func softMatchOnUPNThenMailKeepsTheCloudUser() {
        let cloudByUPN = TenantUser(id: "c1", userPrincipalName: "A@x.org")
        let cloudByMail = TenantUser(id: "c2", userPrincipalName: "other@x.org", mail: "b@x.org")
        let plan = planner.plan(
            snapshot: DirectorySnapshot(users: [person("a1", "a@x.org"), person("b1", "b.new@x.org", mail: "b@x.org")]),
            state: TenantState(users: [cloudByUPN, cloudByMail]))
        let byId = Dictionary(uniqueKeysWithValues: plan.users.map { ($0.id, $0) })
        #expect(byId["c1"]?.onPremisesImmutableId == "a1")
        #expect(byId["c2"]?.onPremisesImmutableId == "b1")
        #expect(plan.userCounts.added == 0)
        #expect(plan.userCounts.updated == 2)
    }

    @Test func withoutSoftMatchACloudUPNClashIsQuarantined() {
        let cloud = TenantUser(id: "c1", userPrincipalName: "a@x.org")
        let strict = DirectoryPlanner(softMatch: false, runId: 7, now: now)
        let plan = strict.plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState(users: [cloud]))
        #expect(plan.userCounts.quarantined == 1)
        #expect(plan.findings.first?.kind == .uniquenessViolation)
        #expect(plan.users.first { $0.id == "c1" }?.onPremisesImmutableId == nil)
    }

    @Test func duplicateUPNKeepsTheUserTheTenantHas() {
        let existing = TenantUser(id: "id-2", userPrincipalName: "dup@x.org", onPremisesImmutableId: "z2")
        let snapshot = DirectorySnapshot(users: [person("a1", "dup@x.org"), person("z2", "DUP@x.org")])
        let plan = planner.plan(snapshot: snapshot, state: TenantState(users: [existing]))
        #expect(plan.users.count == 1)
        #expect(plan.users.first?.id == "id-2")
        #expect(plan.userCounts.quarantined == 1)
        #expect(plan.findings.map(\.kind) == [.uniquenessViolation])
    }

    @Test func quarantinedUserTheTenantHasIsNeitherChangedNorDeleted() {
        let existing = TenantUser(id: "id-1", userPrincipalName: "a@x.org", onPremisesImmutableId: "a1")
        let bad = QuarantinedEntry(dn: "uid=a1,dc=x", anchor: "a1", reason: .invalidValue, detail: "uid=a1,dc=x: attribute displayName is not valid UTF-8")
        let plan = planner.plan(snapshot: DirectorySnapshot(quarantined: [bad]), state: TenantState(users: [existing]))
        #expect(plan.changes.upsertUsers.isEmpty)
        #expect(plan.userCounts.deleted == 0)
        #expect(plan.findings.first?.detail.contains("displayName") == true)
    }

    @Test func leavingUserIsSoftDeletedAndReturningOneRestored() {
        let live = TenantUser(id: "id-1", userPrincipalName: "a@x.org", onPremisesImmutableId: "a1", enteredRun: 2)
        let gone = planner.plan(snapshot: DirectorySnapshot(), state: TenantState(users: [live]))
        #expect(gone.userCounts.deleted == 1)
        #expect(gone.users.first?.deletedDateTime == now)

        let back = planner.plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState(users: gone.users))
        #expect(back.users.first?.id == "id-1")
        #expect(back.users.first?.deletedDateTime == nil)
        #expect(back.users.first?.enteredRun == 2)
        #expect(back.userCounts.added == 1)
    }

    @Test func softDeletedUserIsPurgedAfterThirtyDays() {
        let old = TenantUser(id: "id-1", userPrincipalName: "a@x.org", onPremisesImmutableId: "a1", deletedDateTime: now - 31 * 24 * 3600)
        let recent = TenantUser(id: "id-2", userPrincipalName: "b@x.org", onPremisesImmutableId: "b1", deletedDateTime: now - 29 * 24 * 3600)
        let plan = planner.plan(snapshot: DirectorySnapshot(), state: TenantState(users: [old, recent]))
        #expect(plan.changes.purgeUserIds == ["id-1"])
        #expect(plan.users.map(\.id) == ["id-2"])
    }

    @Test func cloudOnlyUsersAreNeverDeleted() {
        let cloud = TenantUser(id: "c1", userPrincipalName: "c@x.org")
        let plan = planner.plan(snapshot: DirectorySnapshot(), state: TenantState(users: [cloud]))
        #expect(plan.userCounts.deleted == 0)
        #expect(plan.changes.upsertUsers.isEmpty)
    }

    @Test func groupMembersResolveToUsersGroupsOrOutOfScope() {
        let users = [person("a1", "a@x.org"), person("b1", "b@x.org")]
        let inner = DirectoryGroup(anchor: "g2", dn: "cn=inner,dc=x", normalizedDN: "cn=inner,dc=x", name: "inner", memberDNs: ["uid=b1,ou=people,dc=x"])
        let outer = DirectoryGroup(
            anchor: "g1", dn: "cn=outer,dc=x", normalizedDN: "cn=outer,dc=x", name: "outer",
            memberDNs: ["uid=a1,ou=people,dc=x", "cn=inner,dc=x", "uid=stranger,dc=elsewhere"])
        let plan = planner.plan(snapshot: DirectorySnapshot(users: users, groups: [outer, inner]), state: TenantState())
        let byName = Dictionary(uniqueKeysWithValues: plan.groups.map { ($0.displayName, $0) })
        let a = plan.users.first { $0.userPrincipalName == "a@x.org" }!
        #expect(byName["outer"]?.memberUserIds == [a.id])
        #expect(byName["outer"]?.memberGroupIds == [byName["inner"]!.id])
        #expect(byName["outer"]?.outOfScopeMemberCount == 1)
        #expect(plan.groupCounts.added == 2)
    }

    /// A member value may spell a DN that is not ASCII in another Unicode normal form: it is the same user.
    @Test func memberDNsMatchInEitherUnicodeNormalForm() {
        let composed = person("j1", "jose@x.org", dn: "uid=jos\u{E9},ou=people,dc=x")
        let group = DirectoryGroup(
            anchor: "g1", dn: "cn=g,dc=x", normalizedDN: "cn=g,dc=x", name: "g",
            memberDNs: ["uid=jose\u{301},ou=people,dc=x"])
        let plan = planner.plan(snapshot: DirectorySnapshot(users: [composed], groups: [group]), state: TenantState())
        #expect(plan.groups.first?.memberUserIds == plan.users.map(\.id))
        #expect(plan.groups.first?.outOfScopeMemberCount == 0)
    }

    /// The read tells which of its users a member value names (`memberUserIndexes`); the planner takes that only
    /// when the user was planned under the same DN, and otherwise looks the value up, as without the indexes.
    @Test func memberUserIndexesFromTheReadResolveAsTheirDNsDo() {
        let users = [
            person("a1", "alice@x.org"), person("b1", "bob@x.org"), person("c1", "carol@x.org"),
            person("d1", "bob@x.org", dn: "uid=dup,ou=people,dc=x"),  // quarantined: bob holds the UPN
        ]
        var group = DirectoryGroup(
            anchor: "g1", dn: "cn=g,dc=x", normalizedDN: "cn=g,dc=x", name: "g",
            memberDNs: users.map(\.normalizedDN) + ["uid=gone,ou=people,dc=x"])
        func members(_ indexes: [Int32]) -> (anchors: Set<String>, outOfScope: Int) {
            group.memberUserIndexes = indexes
            let plan = planner.plan(snapshot: DirectorySnapshot(users: users, groups: [group]), state: TenantState())
            let anchorById = Dictionary(uniqueKeysWithValues: plan.users.map { ($0.id, $0.onPremisesImmutableId ?? "") })
            let planned = plan.groups.first
            return (Set(planned?.memberUserIds.compactMap { anchorById[$0] } ?? []), planned?.outOfScopeMemberCount ?? -1)
        }
        let byDN = members([])
        #expect(byDN.anchors == ["a1", "b1", "c1"])
        // Right, pointing at another user (carol's value at alice), at a quarantined entry, out of range, unknown.
        #expect(members([0, 1, 2, 3, -1]) == byDN)
        #expect(members([0, 1, 0, 3, 7]) == byDN)
        #expect(members([-1, -1, -1, -1, -1]) == byDN)
        // Indexes that do not go one per member value are not used.
        #expect(members([2]) == byDN)
    }

    @Test func groupThatLeavesScopeIsDeleted() {
        let group = TenantGroup(id: "g-id", displayName: "old", onPremisesImmutableId: "g9", onPremisesDistinguishedName: "cn=old,dc=x")
        let plan = planner.plan(snapshot: DirectorySnapshot(), state: TenantState(groups: [group]))
        #expect(plan.changes.deleteGroupIds == ["g-id"])
        #expect(plan.groupCounts.deleted == 1)
    }
}

@Suite struct UPNClashTests {
    @Test func restoredUserWhoseUPNIsNowTakenIsQuarantinedAndStaysDeleted() {
        let deleted = TenantUser(
            id: "old", userPrincipalName: "a@x.org", onPremisesImmutableId: "a1", deletedDateTime: now - 3600)
        let cloud = TenantUser(id: "cloud", userPrincipalName: "a@x.org")
        let plan = DirectoryPlanner(softMatch: true, runId: 9, now: now)
            .plan(snapshot: DirectorySnapshot(users: [person("a1", "a@x.org")]), state: TenantState(users: [deleted, cloud]))
        #expect(plan.users.first { $0.id == "old" }?.isDeleted == true)
        #expect(plan.users.first { $0.id == "cloud" }?.onPremisesImmutableId == nil)
        #expect(plan.changes.upsertUsers.isEmpty)
        #expect(plan.findings.map(\.kind) == [.uniquenessViolation])
        #expect(plan.userCounts == ObjectCounts(quarantined: 1))
    }
}
