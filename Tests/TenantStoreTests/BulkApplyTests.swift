import Foundation
import Testing
import TenantModel
import TenantStore

@Suite struct BulkApplyTests {
    /// 100,000 users and 10,000 groups with 275,000 memberships (one group of 30,000), as in a first sync.
    static func firstSyncAtScale() -> TenantChangeSet {
        var changes = TenantChangeSet()
        changes.upsertUsers = (0..<100_000).map { index in
            TenantUser(
                id: String(format: "00000000-0000-4000-8000-%012d", index), userPrincipalName: "user\(index)@example.org",
                displayName: "User \(index)", mail: "user\(index)@example.org", usageLocation: "DE",
                onPremisesImmutableId: "anchor-\(index)", onPremisesDistinguishedName: "uid=user\(index),ou=people,dc=example,dc=org",
                enteredRun: 1)
        }
        let userIds = changes.upsertUsers.map(\.id)
        var remaining = 275_000 - 30_000
        changes.upsertGroups = (0..<10_000).map { index in
            let size = index == 0 ? 30_000 : min(remaining, remaining / (10_000 - index))
            if index > 0 { remaining -= size }
            let start = (index * 7_919) % userIds.count
            let members = (0..<size).map { userIds[(start + $0) % userIds.count] }
            return TenantGroup(
                id: String(format: "10000000-0000-4000-8000-%012d", index), displayName: "Group \(index)",
                onPremisesImmutableId: "group-anchor-\(index)", onPremisesDistinguishedName: "cn=group\(index),ou=groups,dc=example,dc=org",
                memberUserIds: members)
        }
        changes.position = SyncPosition(kind: "syncrepl", value: "rid=001,csn=bulk")
        return changes
    }

    @Test func firstSyncOfAHundredThousandUsers() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let changes = Self.firstSyncAtScale()
        let memberships = changes.upsertGroups.reduce(0) { $0 + $1.memberUserIds.count }
        #expect(memberships == 275_000)

        let clock = ContinuousClock()
        let applyTime = try clock.measure {
            try temp.store.apply(changes, report: Fixtures.report(1))
        }
        var state = TenantState()
        let loadTime = try clock.measure { state = try temp.store.loadState() }
        let unchangedTime = try clock.measure {
            try temp.store.apply(TenantChangeSet(), report: Fixtures.report(2))
        }
        // The same rows again: nothing differs, so nothing is rewritten.
        let sameAgainTime = try clock.measure {
            try temp.store.apply(changes, report: Fixtures.report(3))
        }
        print("""
            apply of 100,000 users, 10,000 groups, \(memberships) memberships: \(applyTime); loadState: \(loadTime); \
            unchanged run: \(unchangedTime); the same change set again: \(sameAgainTime)
            """)

        #expect(state.users.count == 100_000)
        #expect(state.groups.reduce(0) { $0 + $1.memberUserIds.count } == memberships)
        #expect(state.position == changes.position)
        let byId = Dictionary(uniqueKeysWithValues: changes.upsertGroups.map { ($0.id, $0) })
        for group in state.groups.prefix(50) {
            #expect(group.memberUserIds == byId[group.id]?.memberUserIds.sorted())
        }
        state.nextRunId = 4
        state.generation += 2  // the two applies since: they change nothing else
        #expect(try temp.store.loadState() == state)
    }
}
