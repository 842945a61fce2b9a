import Foundation

/// `tenantsync` running as a daemon in the background, stopped by PID.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    private let errorFile: String

    /// Starts `tenantsync ARGUMENTS` with `environment`; its stderr goes to a file in `folder`.
    init(_ arguments: [String], environment: [String: String], folder: String) throws {
        errorFile = folder + "/daemon.err"
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: TenantSyncCommand.executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: errorFile)
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    var isRunning: Bool { process.isRunning }

    /// What the daemon wrote to stderr so far.
    var errors: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    /// Waits until the process exits and returns how long that took, or nil when it outlived `limit`.
    func waitForExit(limit: Duration) async -> Duration? {
        let start = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - start > limit { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return ContinuousClock.now - start
    }
}
