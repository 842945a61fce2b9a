import Foundation
import Reporting
import TenantModel
import Testing

@Suite struct RunRenderingTests {
    @Test func jsonHasTheReportShapeWithExplicitNulls() throws {
        var report = ReportFixtures.report(runId: 42, findings: [
            Finding(kind: .uniquenessViolation, userPrincipalName: "cy@corp.example.org", detail: "UPN taken"),
        ])
        report.failure = "not part of the JSON shape"
        let object = try #require(try JSONSerialization.jsonObject(with: RunJSON.encode(report)) as? [String: Any])
        #expect(Set(object.keys) == ["runId", "startedAt", "finishedAt", "mode", "dryRun", "outcome", "users", "groups", "licenses", "findings", "guard"])
        #expect(object["runId"] as? Int == 42)
        #expect(object["startedAt"] as? String == "2026-11-26T20:00:00Z")
        #expect(object["mode"] as? String == "delta")
        #expect(object["dryRun"] as? Bool == false)
        #expect(object["outcome"] as? String == "completedWithErrors")
        #expect(object["guard"] is NSNull)
        let users = try #require(object["users"] as? [String: Int])
        #expect(users == ["added": 12, "updated": 3, "deleted": 1, "quarantined": 2])
        #expect(object["licenses"] as? [String: Int] == ["assigned": 25, "removed": 2, "errors": 6])
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(Set(finding.keys) == ["kind", "userPrincipalName", "skuPartNumber", "group", "detail"])
        #expect(finding["skuPartNumber"] is NSNull)
        #expect(finding["kind"] as? String == "UniquenessViolation")
    }

    @Test func jsonCarriesTheGuardReasonAndSortedKeys() throws {
        var report = ReportFixtures.report(runId: 1, outcome: .stoppedByGuard)
        report.guard = GuardStop(reason: "900 deletions, 500 allowed")
        let text = try RunJSON.string(report)
        #expect(text.contains("\"guard\" : {\n    \"reason\" : \"900 deletions, 500 allowed\"\n  }"))
        let keys = ["dryRun", "findings", "finishedAt", "groups", "guard", "licenses", "mode", "outcome", "runId", "startedAt", "users"]
        let positions = keys.compactMap { text.range(of: "\n  \"\($0)\"")?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
    }

    @Test func textShowsCountsReasonAndFindingsGroupedByKind() {
        var report = ReportFixtures.report(runId: 42, findings: [
            ReportFixtures.finding(2), ReportFixtures.finding(1),
            Finding(kind: .redundantDirectAssignment, userPrincipalName: "bob@corp.example.org", skuPartNumber: "SPE_E3", group: "E3", detail: "group covers it"),
        ], outcome: .stoppedByGuard)
        report.guard = GuardStop(reason: "900 deletions, 500 allowed")
        let text = RunText.render(report)
        #expect(text.hasPrefix("Run 42 (delta): stopped by guard\n"))
        #expect(text.contains("Users      12        3        1            2"))
        #expect(text.contains("Groups      4        5        6            7"))
        #expect(text.contains("Licenses: 25 assigned, 2 removed, 6 errors"))
        #expect(text.contains("Stopped by the safety guard, nothing applied: 900 deletions, 500 allowed"))
        #expect(text.contains("""
              CountViolation (2, 2 users; groups: Intune Users)
                user1@corp.example.org INTUNE_A via Intune Users: no free seat (25 of 25 taken)
                user2@corp.example.org INTUNE_A via Intune Users: no free seat (25 of 25 taken)
              RedundantDirectAssignment (1, 1 user; groups: E3)
                bob@corp.example.org SPE_E3 via E3: group covers it
            """))
    }
}
