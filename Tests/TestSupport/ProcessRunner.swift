import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a finished command printed and how it ended.
public struct ProcessOutput: Sendable {
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String
    /// The exit status (128 + signal number when killed by a signal).
    public var exitStatus: Int32
}

/// A command that could not be started or exited with a non-zero status.
public struct ProcessError: Error, Sendable, CustomStringConvertible {
    /// The command line, for the message.
    public var command: String
    /// The exit status, or `nil` when the command could not be started.
    public var exitStatus: Int32?
    /// Standard error of the command (or the reason it could not start).
    public var standardError: String

    /// One readable message with the command, status and standard error.
    public var description: String {
        let status = exitStatus.map { "exited with status \($0)" } ?? "could not be started"
        return "`\(command)` \(status): \(standardError.trimmingCharacters(in: .whitespacesAndNewlines))"
    }
}

/// Runs external commands (slapd tools, openssl, samba-tool, journalctl, ...) with `posix_spawn` and `waitpid`.
///
/// Commands are found on `PATH` and in the `sbin` directories, which test environments often leave off `PATH`.
public enum ProcessRunner {
    /// Runs a command to completion, capturing its output; throws `ProcessError` on a non-zero exit.
    ///
    /// - Parameters:
    ///   - executable: a name looked up on `PATH` (plus `sbin` directories) or an absolute path.
    ///   - arguments: the arguments, without the program name.
    ///   - input: text fed to standard input; standard input is `/dev/null` when `nil`.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> ProcessOutput {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("process-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutPath = scratch.appendingPathComponent("stdout").path
        let stderrPath = scratch.appendingPathComponent("stderr").path
        var stdinPath = "/dev/null"
        if let input {
            stdinPath = scratch.appendingPathComponent("stdin").path
            try Data(input.utf8).write(to: URL(fileURLWithPath: stdinPath))
        }
        let pid = try spawn(executable, arguments, stdin: stdinPath, stdout: stdoutPath, stderr: stderrPath)
        let status = waitForExit(pid: pid)
        let output = ProcessOutput(
            standardOutput: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            exitStatus: status)
        guard status == 0 else {
            throw ProcessError(
                command: commandLine(executable, arguments), exitStatus: status, standardError: output.standardError)
        }
        return output
    }

    /// Starts a command in the background with its output appended to `logFile`; returns its PID.
    ///
    /// The caller owns the process: end it with `terminate(pid:)` (or `kill` plus `waitForExit`).
    public static func launch(_ executable: String, _ arguments: [String], logFile: String) throws -> pid_t {
        try spawn(executable, arguments, stdin: "/dev/null", stdout: logFile, stderr: logFile)
    }

    /// Blocks until `pid` exits and returns its status (128 + signal when it was killed).
    @discardableResult
    public static func waitForExit(pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return -1 }
        }
        return decode(status)
    }

    /// The exit status when `pid` has exited (and is now reaped), or `nil` while it runs.
    public static func exitStatusIfExited(pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? decode(status) : nil
    }

    /// Sends `signal` to `pid`, waits up to `grace` for it to exit, then kills it; always reaps it.
    public static func terminate(pid: pid_t, signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async {
        kill(pid, signal)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if exitStatusIfExited(pid: pid) != nil { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
        waitForExit(pid: pid)
    }

    /// The absolute path of a command, searching `PATH` and the `sbin` directories.
    public static func resolve(_ executable: String) -> String? {
        if executable.contains("/") { return executable }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return directories.map { "\($0)/\(executable)" }.first { access($0, X_OK) == 0 }
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], stdin: String, stdout: String, stderr: String
    ) throws -> pid_t {
        guard let path = resolve(executable) else {
            throw ProcessError(
                command: commandLine(executable, arguments), exitStatus: nil,
                standardError: "\(executable) not found on PATH")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        // Threads of the test process block signals; the child must start with a clean mask and default handlers,
        // or it would ignore SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        sigdelset(&defaultSignals, SIGKILL)
        sigdelset(&defaultSignals, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw ProcessError(
                command: commandLine(executable, arguments), exitStatus: nil,
                standardError: String(cString: strerror(result)))
        }
        return pid
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func commandLine(_ executable: String, _ arguments: [String]) -> String {
        ([executable] + arguments).joined(separator: " ")
    }
}
