import Foundation
import TenantModel
import TenantStore
import Testing
import TestSupport

@testable import SyncEngine

/// A first sync of many users into an empty tenant writes the users while it plans the groups and licences: the
/// store must come out as when everything is written once planned.
@Suite(.serialized) struct FirstSyncBulkLoadTests {
    /// 12,000 users (every tenth without a country), Field nested into Mobile, Office; seats short for INTUNE_A.
    static func directory() -> String {
        var entries = LDIFBuilder.baseEntries()
        let uids = LDIFBuilder.numberedUIDs(count: 12_000)
        entries += uids.enumerated().map { index, uid in LDIFBuilder.user(uid: uid, country: index % 10 == 0 ? nil : "DE") }
        entries.append(LDIFBuilder.group(cn: "Field", memberDNs: uids[0..<3_000].map(LDIFBuilder.userDN)))
        entries.append(LDIFBuilder.group(
            cn: "Mobile", memberDNs: uids[2_000..<9_000].map(LDIFBuilder.userDN) + [LDIFBuilder.groupDN("Field")]))
        entries.append(LDIFBuilder.group(cn: "Office", memberDNs: uids[8_000..<12_000].map(LDIFBuilder.userDN)))
        return LDIFBuilder.render(entries)
    }

    static let rules = """
        subscriptions: { INTUNE_A: 6000, SPE_E3: 12000 }
        licenses: [ { group: Mobile, sku: INTUNE_A }, { group: Office, sku: SPE_E3 } ]
        """

    @Test func aFirstSyncThatWritesItsUsersEarlyStoresWhatTheWholeWriteStores() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let early = try SyncHarness(slapd: slapd)
            defer { early.remove() }
            let whole = try SyncHarness(slapd: slapd)
            defer { whole.remove() }
            for harness in [early, whole] {
                try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules, defaultUsageLocation: "AT")
            }
            let earlyReport = try await early.run()
            var options = RunOptions()
            options.writesUsersEarly = false
            let wholeReport = try await whole.run(options)

            #expect(early.progress.lines.contains("writing the 12000 users while their groups and licences are planned"))
            #expect(!whole.progress.lines.contains { $0.hasPrefix("writing the") })
            #expect(earlyReport.outcome == .completedWithErrors)
            #expect(earlyReport.users == wholeReport.users && earlyReport.users.added == 12_000)
            #expect(earlyReport.groups == wholeReport.groups && earlyReport.licenses == wholeReport.licenses)
            #expect(earlyReport.findings.count == wholeReport.findings.count)
            let earlyState = try early.state()
            let fingerprint = TenantFingerprint(earlyState)
            let expected = TenantFingerprint(try whole.state())
            #expect(fingerprint == expected, "\(fingerprint.differences(from: expected))")
            // The licence step gave licensed users without a country the tenant default, after they were written.
            let defaulted = earlyState.users.filter { $0.usageLocation == "AT" }
            #expect(!defaulted.isEmpty)
            #expect(earlyState.users.filter { $0.usageLocation == nil }.count == 1_200 - defaulted.count)
            #expect(try TenantStore(path: early.storePath).lastAppliedReport()?.runId == 1)

            // The next run starts from what the early write stored: nothing changed, nothing to do.
            let next = try await early.run()
            #expect(next.outcome == .completedWithErrors)
            #expect(next.users.added == 0 && next.users.updated == 0 && next.licenses.assigned == 0 && next.licenses.removed == 0)
        }
    }
}
