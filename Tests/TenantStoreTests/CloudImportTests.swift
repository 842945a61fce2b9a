import Foundation
import Testing
import TenantModel
import TenantStore

@Suite struct CloudImportTests {
    static let cloudUsers = [
        TenantUser(id: "c-erin", userPrincipalName: "erin@example.org", mail: "erin@example.org", usageLocation: "FR"),
        TenantUser(id: "c-finn", userPrincipalName: "finn@example.org", usageLocation: "DE", accountEnabled: false),
    ]
    static let firstImport = Date(timeIntervalSince1970: 1_760_000_000)
    static let laterImport = firstImport.addingTimeInterval(86_400)
    static let licenses = licenses(importedAt: firstImport)

    /// The licences as an import at `time` brings them (an import dates what it reads).
    static func licenses(importedAt time: Date) -> [DirectAssignment] {
        [
            DirectAssignment(
                userId: "c-erin", skuPartNumber: "SPE_E3", disabledPlans: ["YAMMER_ENTERPRISE"], lastUpdatedDateTime: time),
            DirectAssignment(userId: "c-erin", skuPartNumber: "EMS", lastUpdatedDateTime: time),
            DirectAssignment(userId: "c-finn", skuPartNumber: "EMS", lastUpdatedDateTime: time),
        ]
    }
    static let skus = [SubscribedSku(skuPartNumber: "SPE_E3", enabledUnits: 25), SubscribedSku(skuPartNumber: "EMS", enabledUnits: 10)]

    @Test func importingTwiceChangesNothingTheSecondTime() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let first = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: Self.licenses, subscriptions: Self.skus)
        #expect(first == ImportSummary(added: 2, directAssignments: 3, subscriptions: 2))
        let afterFirst = try temp.store.loadState()
        #expect(afterFirst.users == Self.cloudUsers)
        #expect(Set(afterFirst.directAssignments) == Set(Self.licenses))
        #expect(Set(afterFirst.subscriptions) == Set(Self.skus))

        // A later import of the same file dates its assignments later: the stored times stay.
        let second = try temp.store.importCloudUsers(
            Self.cloudUsers, directAssignments: Self.licenses(importedAt: Self.laterImport), subscriptions: nil)
        #expect(second == ImportSummary(unchanged: 2, directAssignments: 3))
        #expect(try temp.reopen().loadState() == afterFirst)
    }

    @Test func reimportKeepsTheTimeOfUnchangedAssignmentsAndDatesChangedOnes() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        _ = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: Self.licenses, subscriptions: nil)
        var changed = Self.licenses(importedAt: Self.laterImport)
        changed[0].disabledPlans = []
        let summary = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: changed, subscriptions: nil)
        #expect(summary == ImportSummary(updated: 1, unchanged: 1, directAssignments: 3))
        let times = Dictionary(uniqueKeysWithValues: try temp.store.loadState().directAssignments.map {
            ("\($0.userId) \($0.skuPartNumber)", $0.lastUpdatedDateTime)
        })
        #expect(times == ["c-erin SPE_E3": Self.laterImport, "c-erin EMS": Self.firstImport, "c-finn EMS": Self.firstImport])
    }

    @Test func reimportReplacesTheUsersDirectAssignments() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        _ = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: Self.licenses, subscriptions: nil)
        let fewer = [DirectAssignment(userId: "c-erin", skuPartNumber: "EMS", lastUpdatedDateTime: Self.firstImport)]
        let summary = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: fewer, subscriptions: nil)
        #expect(summary.updated == 2 && summary.added == 0 && summary.unchanged == 0)
        #expect(try temp.store.loadState().directAssignments == fewer)
    }

    @Test func importedUsersMayTradeTheirUPNs() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        _ = try temp.store.importCloudUsers(Self.cloudUsers, directAssignments: [], subscriptions: nil)
        var swapped = Self.cloudUsers
        (swapped[0].userPrincipalName, swapped[1].userPrincipalName) = (swapped[1].userPrincipalName, swapped[0].userPrincipalName)
        let summary = try temp.store.importCloudUsers(swapped, directAssignments: [], subscriptions: nil)
        #expect(summary.updated == 2)
        let upns = Dictionary(uniqueKeysWithValues: try temp.reopen().loadState().users.map { ($0.id, $0.userPrincipalName) })
        #expect(upns == ["c-erin": "finn@example.org", "c-finn": "erin@example.org"])
    }

    @Test func syncedUsersAreLeftAlone() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let alice = Fixtures.user("alice", anchor: "a1")
        var cloudAlice = alice
        cloudAlice.onPremisesImmutableId = nil
        cloudAlice.displayName = "Cloud Alice"
        let summary = try temp.store.importCloudUsers(
            [cloudAlice], directAssignments: [DirectAssignment(userId: alice.id, skuPartNumber: "EMS")], subscriptions: nil)
        #expect(summary == ImportSummary(skipped: 1))
        let state = try temp.store.loadState()
        #expect(state.users.first { $0.id == alice.id } == alice)
        #expect(state.directAssignments.isEmpty)
    }

    @Test func aFailingImportWritesNothing() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        var clash = Self.cloudUsers
        clash.append(TenantUser(id: "c-erin2", userPrincipalName: "ERIN@example.org"))
        let error = try #require(throws: StoreError.self) {
            _ = try temp.store.importCloudUsers(clash, directAssignments: Self.licenses, subscriptions: Self.skus)
        }
        #expect(error.operation.contains("ERIN@example.org"))
        #expect(error.message.contains("UNIQUE"))
        #expect(try temp.store.loadState() == TenantState())

        #expect(throws: StoreError.self) {
            _ = try temp.store.importCloudUsers(
                [], directAssignments: [DirectAssignment(userId: "c-ghost", skuPartNumber: "EMS")], subscriptions: nil)
        }
    }
}
