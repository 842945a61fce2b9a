import Foundation
import Logging
import Reporting
import ServiceLifecycle
import TenantStore

/// The daemon: a cycle every `sync.interval` plus jitter, retries with exponential backoff after a failure, a config
/// reload on SIGHUP (an invalid new config is reported and the old one stays), and a clean stop on SIGTERM/SIGINT.
///
/// A cycle applies its changes in one store transaction, so a stop at any point leaves the store as it was or as the
/// cycle finished it, never half-applied.
final class SyncDaemon: Service, Sendable {
    private let configPath: String
    private let environment: [String: String]
    private let state: DaemonState
    private let store: TenantStore
    private let reporter: RunReporter
    private let notifier: SystemdNotifier
    private let firstRun: RunOptions
    private let logger = Logger(label: "tenantsync.daemon")

    init(
        configPath: String, environment: [String: String], context: SyncContext, store: TenantStore, reporter: RunReporter,
        firstRun: RunOptions
    ) {
        self.configPath = configPath
        self.environment = environment
        self.state = DaemonState(context: context)
        self.store = store
        self.reporter = reporter
        self.notifier = SystemdNotifier(environment: environment)
        self.firstRun = firstRun
    }

    func run() async throws {
        try? notifier.ready(status: "started; first cycle now")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.reloadOnHangup() }
            if let period = SystemdNotifier.watchdogInterval(environment: environment) {
                group.addTask { await self.pingWatchdog(every: period) }
            }
            group.addTask { await cancelWhenGracefulShutdown { await self.cycles() } }
            await group.next()
            group.cancelAll()
        }
        try? notifier.stopping()
    }

    private func cycles() async {
        var options = firstRun
        var failures = 0
        while !Task.isCancelled {
            let context = state.context
            let cycle = SyncCycle(context: context, store: store, reporter: reporter)
            let report = await cycle.run(options)
            // `--full` and `--allow-deletes` are for the first cycle; a dry-run daemon stays a dry run.
            options = RunOptions(dryRun: firstRun.dryRun)
            try? notifier.status(RunJournal.summaryMessage(report))
            if Task.isCancelled { break }
            let sync = context.config.sync
            let delay: Duration
            if report.outcome == .failed {
                failures += 1
                delay = Self.backoff(failures: failures, cap: sync.interval)
                logger.warning("cycle failed; next try in \(delay)", metadata: ["tenantsync_run_id": "\(report.runId)"])
            } else {
                failures = 0
                delay = sync.interval + Self.jitter(sync.jitter)
            }
            try? await Task.sleep(for: delay)
        }
    }

    /// 5 s, 10 s, 20 s, … never longer than the interval.
    static func backoff(failures: Int, cap: Duration) -> Duration {
        let seconds = 5.0 * pow(2.0, Double(min(failures - 1, 20)))
        return min(.seconds(seconds), cap)
    }

    static func jitter(_ limit: Duration) -> Duration {
        let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return .zero }
        return .milliseconds(Int64.random(in: 0...milliseconds))
    }

    private func reloadOnHangup() async {
        for await _ in SignalStream.hangups() {
            try? notifier.reloading()
            do throws(ConfigErrors) {
                state.context = try SyncContext.load(path: configPath, environment: environment)
                logger.notice("configuration reloaded from \(configPath)")
                try? notifier.ready(status: "configuration reloaded")
            } catch {
                let problems = error.errors.map(\.description).joined(separator: "; ")
                logger.error("configuration reload failed, the previous configuration stays in force: \(problems)")
                try? notifier.ready(status: "configuration reload failed; the previous configuration stays in force")
            }
        }
    }

    private func pingWatchdog(every period: Duration) async {
        while !Task.isCancelled {
            try? notifier.watchdog()
            try? await Task.sleep(for: period)
        }
    }
}

/// The configuration in force, swapped on reload.
final class DaemonState: @unchecked Sendable {
    // Guarded by `lock`: written by the reload task, read at the start of each cycle.
    private let lock = NSLock()
    private var current: SyncContext

    init(context: SyncContext) { current = context }

    var context: SyncContext {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
