import Foundation
import Testing
import TenantModel
import TenantStore

@Suite struct RunHistoryTests {
    @Test func reportsAreStoredAndReadBackByIdAndLast() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        #expect(try temp.store.lastReport() == nil)

        let finding = Finding(kind: .countViolation, userPrincipalName: "bob@example.org", skuPartNumber: "SPE_E3",
                              group: "staff", detail: "no seat left")
        let first = Fixtures.report(1, outcome: .completedWithErrors, findings: [finding])
        try temp.store.apply(Fixtures.firstSync(), report: first)
        var stopped = Fixtures.report(2, outcome: .stoppedByGuard)
        stopped.guard = GuardStop(reason: "12 deletions, over maxDeletes 10")
        try temp.store.recordRun(stopped)

        #expect(try temp.store.report(runId: 1) == first)
        #expect(try temp.store.report(runId: 2) == stopped)
        #expect(try temp.store.report(runId: 3) == nil)
        #expect(try temp.store.lastReport() == stopped)
        #expect(try temp.store.loadState().nextRunId == 3)
    }

    @Test func aRunIdIsRecordedOnce() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.recordRun(Fixtures.report(1, outcome: .failed))
        #expect(throws: StoreError.self) { try temp.store.recordRun(Fixtures.report(1)) }
        #expect(try temp.store.lastReport()?.outcome == .failed)
    }
}
