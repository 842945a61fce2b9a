import Foundation
import LDAPClient
import TenantStore
import TestSupport
import Testing

@testable import SyncEngine

/// Commands that write while a run plans: the run must not apply a plan made on the state before them.
@Suite struct ConcurrentWriteTests {
    /// With three attempts the second plans again on the new state; with two, the second plans under the write lock;
    /// with one, the run fails and applies nothing.
    @Test(arguments: [3, 2, 1])
    func aLicenceAssignedWhileARunPlansIsNotOverbookedByIt(attempts: Int) async throws {
        // Enough entries that the read is still running once the proxy slows it down.
        let ldif = LDIFBuilder.directory(userCount: 15_000, groups: [(cn: "Visio", memberUIDs: ["user00001", "user00002", "user00003"])])
        try await SlapdServer.with(ldif: ldif) { slapd in
            let proxy = try ThrottlingTCPProxy(
                upstreamPort: try #require(UInt16(slapd.url.split(separator: ":").last ?? "")), fullSpeedBytes: 512 << 10)
            defer { proxy.stop() }
            let harness = try SyncHarness(url: proxy.ldapURL, bindDN: slapd.adminDN, password: slapd.adminPassword)
            defer { harness.remove() }
            try harness.writeConfig(
                directory: SyncHarness.openldapScopes,
                rest: "subscriptions: { VISIOCLIENT: 3 }\nlicenses: [ { group: Visio, sku: VISIOCLIENT } ]", defaultUsageLocation: "DE")
            let config = ["--config", harness.configPath]
            let users = harness.folder + "/users.json"
            try """
                {"value": [{"id": "c0ffee00-0000-4000-8000-000000000001", "userPrincipalName": "cloud@example.org",
                  "usageLocation": "DE", "accountEnabled": true, "assignedLicenses": []}]}
                """.write(toFile: users, atomically: true, encoding: .utf8)
            #expect(try TenantSyncCommand.run(["import-tenant", "--users", users] + config).status == 0)

            let cycle = SyncCycle(
                context: try harness.context(), store: try TenantStore(path: harness.storePath), reporter: harness.reporter,
                attempts: attempts)
            let running = Task { await cycle.run(RunOptions()) }
            #expect(try await LDAPWorker.run { proxy.waitUntilThrottled(seconds: 30) }, "the read never got going")
            // Mid-read, with all three seats free, an operator assigns one directly.
            let assigned = try await LDAPWorker.run {
                try TenantSyncCommand.run(["license", "assign", "--user", "cloud@example.org", "--sku", "VISIOCLIENT"] + config)
            }
            #expect(assigned.status == 0, "\(assigned.errors)")
            proxy.release()
            let report = await running.value

            let skus = try #require(try TenantSyncCommand.run(["skus", "--json"] + config).json() as? [[String: Any]])
            let visio = try #require(skus.first { $0["skuPartNumber"] as? String == "VISIOCLIENT" })
            let conflicts = try #require(try TenantSyncCommand.run(["conflicts", "--json"] + config).json() as? [[String: Any]])
            if attempts == 1 {
                #expect(report.outcome == .failed)
                #expect(report.failure?.contains("the tenant changed while the run planned") == true, "\(report.failure ?? "")")
                #expect(visio["consumedUnits"] as? Int == 1)  // the direct licence only: nothing of the run applied
                #expect(try TenantStore(path: harness.storePath).loadState().users.count == 1)
            } else {
                #expect(report.outcome == .completedWithErrors, "\(report.failure ?? "")")
                #expect(visio["consumedUnits"] as? Int == 3)
                #expect(conflicts.filter { $0["kind"] as? String == "CountViolation" }.count == 1, "\(conflicts)")
            }
        }
    }
}
