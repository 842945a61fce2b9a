import ArgumentParser
import Foundation
import SyncEngine

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon (the default), or one cycle with --once.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Run one cycle and exit: 0 ok, 2 licence errors stand, 1 failed, 3 stopped by the guard.") var once = false
    @Flag(name: .customLong("dry-run"), help: "Compute and report the plan, write nothing.") var dryRun = false
    @Flag(help: "Ignore the saved delta position and read everything.") var full = false
    @Option(name: .customLong("allow-deletes"), help: "Let this run pass the guard for up to N deletions and licence removals.")
    var allowDeletes: Int?
    @Option(name: .customLong("log-target"), help: "Where logs and run reports go: auto, journal or stderr.")
    var logTarget = "auto"

    func validate() throws {
        guard Runtime.logTargets.contains(logTarget) else {
            throw ValidationError("--log-target takes one of \(Runtime.logTargets.joined(separator: ", "))")
        }
        if let allowDeletes, allowDeletes < 0 { throw ValidationError("--allow-deletes takes a number of 0 or more") }
    }

    func run() async throws {
        let runtime = Runtime.start(logTarget: logTarget)
        let context = try options.loadContext()
        runtime.warnAboutInsecureSettings(context)
        let runOptions = RunOptions(dryRun: dryRun, full: full, allowDeletes: allowDeletes)
        guard once else {
            try await runtime.runDaemon(configPath: options.path, environment: options.environment, context: context, firstRun: runOptions)
            return
        }
        let showProgress = standardErrorIsTerminal && runtime.writesToStandardError
        let exitCode: Int32
        do {
            // The process ends with the run's exit code as soon as the run is reported.
            exitCode = try await runtime.runOnce(context, options: runOptions, endsProcess: true) { line in
                if showProgress { printError("… \(line)") }
            }.outcome.exitCode
        } catch {
            printError("cannot open the tenant store \(context.config.tenant.store): \(error)")
            throw Exit.failed
        }
        throw ExitCode(exitCode)
    }
}
