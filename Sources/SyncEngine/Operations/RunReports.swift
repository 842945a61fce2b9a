import Reporting
import TenantModel
import TenantStore

/// Stored run reports for `tenantsync report`.
public enum RunReports {
    /// The report of run `id`, or of the last run when `id` is nil, rendered as text or JSON; nil when there is none.
    public static func render(context: SyncContext, runId: Int64?, json: Bool) throws -> String? {
        let store = try context.openStoreForLooking()
        guard let report = try runId.map({ try store.report(runId: $0) }) ?? store.lastReport() else { return nil }
        return json ? try RunJSON.string(report) : RunText.render(report)
    }
}
