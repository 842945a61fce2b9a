import Foundation
import LDAPClient
import Logging
import ServiceLifecycle
import Reporting
import TenantModel
import TenantStore

/// What a process of tenantsync sets up once: where logs and run reports go.
public struct Runtime: Sendable {
    /// The `--log-target` values.
    public static let logTargets = LogTarget.allCases.map(\.rawValue)

    let destination: LogDestination

    /// Bootstraps logging for `target` (`auto`, `journal` or `stderr`); call once per process.
    public static func start(logTarget: String) -> Runtime {
        let target = LogTarget(rawValue: logTarget) ?? .auto
        return Runtime(destination: LoggingSetup.bootstrap(target: target))
    }

    /// Whether systemd connected standard error to the journal (`$JOURNAL_STREAM` names it).
    public static var standardErrorIsJournal: Bool { LogTarget.auto.resolve() == .journal }

    /// Whether run reports go to stderr as readable lines (not to the journal).
    public var writesToStandardError: Bool { destination == .stderr }

    /// Runs one cycle with `context` and returns its report.
    ///
    /// SIGTERM or SIGINT stops the cycle as in the daemon: before its apply, reported as a failed run (exit 1), and
    /// within 5 seconds. With `endsProcess`, the process ends with the run's exit code as soon as the run is reported
    /// (see `ProcessEndingReporter`), and this never returns a report.
    public func runOnce(
        _ context: SyncContext, options: RunOptions, endsProcess: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> RunReport {
        // An OpenLDAP run reads with one connection, which connects and binds while the store opens.
        let directory = context.config.directory
        let connection = directory.schema == .openldap
            ? LDAPConnectionOpening(DirectoryReader(directory: directory, password: context.password).options) : nil
        let store = try options.dryRun ? context.openStoreForLooking() : context.openStore()
        let reporter: any RunReportSink = endsProcess ? ProcessEndingReporter(base: self.reporter) : self.reporter
        let cycle = SyncCycle(context: context, store: store, reporter: reporter, progress: progress, connection: connection)
        let running = Task { await cycle.run(options) }
        let stops = SignalStream.onTermination { running.cancel() }
            + SignalStream.enforceShutdownDeadline(.milliseconds(4500), exitCode: RunOutcome.failed.exitCode)
        defer { stops.forEach { $0.cancel() } }
        return await withTaskCancellationHandler { await running.value } onCancel: { running.cancel() }
    }

    /// A reporter for this process's destination.
    var reporter: RunReporter { RunReporter(destination: destination) }
}

extension Runtime {
    /// Runs the daemon until SIGTERM or SIGINT; returns when it has stopped (within 5 seconds of the signal).
    public func runDaemon(configPath: String, environment: [String: String], context: SyncContext, firstRun: RunOptions) async throws {
        let store = try firstRun.dryRun ? context.openStoreForLooking() : context.openStore()
        let daemon = SyncDaemon(
            configPath: configPath, environment: environment, context: context, store: store, reporter: reporter, firstRun: firstRun)
        let deadline = SignalStream.enforceShutdownDeadline(.milliseconds(4500))
        defer { deadline.forEach { $0.cancel() } }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "tenantsync")))
        try await group.run()
    }
}

extension Runtime {
    /// Warns, at every start, about settings that weaken security (`tls.verify: false`).
    public func warnAboutInsecureSettings(_ context: SyncContext) {
        let directory = context.config.directory
        let usesTLS = directory.startTLS || directory.url.scheme == .ldaps
        if usesTLS && !directory.tls.verify {
            Logger(label: "tenantsync").warning(
                "directory.tls.verify is false: the certificate of \(directory.url) is not checked, so anyone on the path can read the bind password")
        }
    }
}
