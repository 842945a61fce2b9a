import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The folder under the system temporary directory where the Samba test servers live: the lock file, the
/// provisioned template (a tar archive, kept across test runs of the same Samba version) and one
/// `instance-*` folder per running server. Call everything except `path()` while holding `SambaLock`.
enum SambaWorkFolder {
    /// Bump when the provisioning arguments change, so an older cached template is not reused.
    static let templateVersion = 1

    /// Creates the folder when needed and returns its path.
    static func path() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-samba", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The tar archive of a freshly provisioned domain; provisions it (a few seconds) when no cached one exists.
    static func templateArchive() throws -> String {
        let folder = try path()
        let version = try ProcessRunner.run("samba", ["-V"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" }
        let archive = "\(folder)/template-v\(templateVersion)-\(String(version)).tar"
        if FileManager.default.fileExists(atPath: archive) { return archive }

        let target = "\(folder)/provision-\(UUID().uuidString.prefix(8))"
        defer { TemporaryDirectory.remove(target) }
        try ProcessRunner.run("samba-tool", SambaConfiguration.provisionArguments(targetDirectory: target))
        let partial = archive + ".partial-\(getpid())"
        try ProcessRunner.run("tar", ["-cf", partial, "-C", target, "."])
        guard rename(partial, archive) == 0 else {
            TemporaryDirectory.remove(partial)
            throw SambaError(message: "cannot move the template archive into place: \(String(cString: strerror(errno)))", log: "")
        }
        return archive
    }

    /// A new, empty folder for one server.
    static func newInstance() throws -> String {
        let directory = "\(try path())/instance-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Ends the servers a crashed earlier run left in `instance-*` folders and removes those folders.
    ///
    /// A PID from a pid file is only signalled when that process is `samba` and has files open inside the
    /// instance folder, so a reused PID of an unrelated process is never touched.
    static func removeStaleInstances() throws {
        let folder = try path()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix("instance-") {
            let instance = "\(folder)/\(name)"
            for pidFile in ["\(instance)/launch.pid", "\(instance)/run/samba.pid"] {
                guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                    let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
                    isSamba(pid: pid, using: instance)
                else { continue }
                kill(pid, SIGKILL)
                waitUntilGone(pid: pid)
            }
            TemporaryDirectory.remove(instance)
        }
    }

    private static func isSamba(pid: pid_t, using directory: String) -> Bool {
        let files = FileManager.default
        guard let executable = try? files.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"),
            executable.hasSuffix("/samba")
        else { return false }
        let descriptors = (try? files.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return descriptors.contains { descriptor in
            (try? files.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)"))?.hasPrefix(directory + "/") == true
        }
    }

    /// Waits up to 5 s for a process that is not our child to disappear.
    private static func waitUntilGone(pid: pid_t) {
        for _ in 0..<500 {
            if kill(pid, 0) != 0 && errno == ESRCH { return }
            usleep(10_000)
        }
    }
}
