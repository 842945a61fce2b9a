import Foundation
import Reporting
import TenantModel

/// Passes a run's report on, then ends the process with the run's exit code.
///
/// For `tenantsync --once`, whose process has nothing left to do once its run is reported: the run's changes are
/// committed and its report stored and written out. Returning would free the run's memory object by object on the
/// way out (100,000 users, their groups and licence paths: 40 ms of a first sync), which the end of the process does
/// at once. `_exit` and not `exit`: other threads are still alive, and exit handlers must not run under them.
struct ProcessEndingReporter: RunReportSink {
    let base: any RunReportSink

    func runStarted(runId: Int64, mode: SyncMode, dryRun: Bool) {
        base.runStarted(runId: runId, mode: mode, dryRun: dryRun)
    }

    func report(_ report: RunReport) {
        base.report(report)
        fflush(nil)
        _exit(report.outcome.exitCode)
    }
}
