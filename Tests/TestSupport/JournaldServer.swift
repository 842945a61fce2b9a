import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private `systemd-journald`, started without systemd as PID 1.
///
/// journald runs under `unshare -m --propagation private`: inside that mount namespace `WORKDIR/run-systemd`,
/// `WORKDIR/run-log` and `WORKDIR/var-log-journal` are bound over `/run/systemd`, `/run/log` and `/var/log/journal`,
/// so the host's journal is never touched. The bind mounts share inodes with the host's view of the work
/// directory, so code outside the namespace reaches the journal socket at `WORKDIR/run-systemd/journal/socket`
/// and reads the (volatile) journal files under `WORKDIR/run-log/journal` with `journalctl --directory`.
///
/// The namespace's shell `exec`s journald, so the started process *is* journald: ``stop()`` ends it by PID.
public final class JournaldServer {
    /// The test's own directory; removed by ``stop()``.
    public let workDirectory: URL
    /// The native-protocol socket, as seen from outside the namespace.
    public let socketPath: String
    /// Where journald writes its volatile journal files (one subdirectory per machine id).
    public let journalDirectory: String
    private let process: Process
    private var stopped = false

    /// journald's process id; `nsenter -t PID -m` runs a command in its mount namespace, where
    /// `/run/systemd/journal/socket` is this journald's socket.
    public var pid: pid_t { process.processIdentifier }

    /// Starts journald in a fresh temporary directory and waits until its socket exists.
    public init(timeout: Duration = .seconds(10)) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("journald-\(UUID().uuidString)")
        for sub in ["run-systemd", "run-log", "var-log-journal"] {
            try FileManager.default.createDirectory(at: work.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        workDirectory = work
        socketPath = work.appendingPathComponent("run-systemd/journal/socket").path
        journalDirectory = work.appendingPathComponent("run-log/journal").path

        let script = """
            set -e
            mount -n --bind "$1/run-systemd" /run/systemd
            mount -n --bind "$1/run-log" /run/log
            mount -n --bind "$1/var-log-journal" /var/log/journal
            exec \(Self.journaldPath)
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-m", "--propagation", "private", "bash", "-c", script, "journald-harness", work.path]
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = try FileHandle(forWritingTo: Self.createFile(work.appendingPathComponent("journald.log")))
        try process.run()

        let deadline = ContinuousClock.now + timeout
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let output = (try? String(contentsOf: work.appendingPathComponent("journald.log"), encoding: .utf8)) ?? ""
                stop()
                throw JournaldHarnessError(message: "journald did not create \(socketPath): \(output)")
            }
            usleep(10_000)
        }
    }

    deinit {
        stop()
    }

    /// Ends journald (SIGTERM, then waits for it) and removes the work directory. Safe to call twice.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// The entries matching `fields` (journalctl matches, e.g. `["TENANTSYNC_RUN_ID": "42"]`), read now.
    public func entries(matching fields: [String: String] = [:]) throws -> [JournalRecord] {
        let journalctl = Process()
        journalctl.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        journalctl.arguments = ["--directory=\(journalDirectory)", "-o", "json", "--all", "--no-pager"]
            + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let output = Pipe()
        journalctl.standardOutput = output
        journalctl.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try journalctl.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        journalctl.waitUntilExit()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            try JournalRecord(jsonLine: Data(line.utf8))
        }
    }

    /// Polls until at least `count` entries match `fields` (journald stores datagrams asynchronously).
    public func waitForEntries(
        matching fields: [String: String], count: Int, timeout: Duration = .seconds(10)
    ) async throws -> [JournalRecord] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = try entries(matching: fields)
            if found.count >= count || ContinuousClock.now >= deadline { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static let journaldPath = ["/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/lib/systemd/systemd-journald"

    private static func createFile(_ url: URL) -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}

/// A failure of the journald harness itself, with what journald said.
public struct JournaldHarnessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
