import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A Samba Active Directory domain controller on `ldap://127.0.0.2` for one test, removed by `stop()`.
///
/// The domain (`SambaConfiguration`) is provisioned once and kept as a tar archive; each server restores a fresh
/// copy, bulk-loads the test's LDIF offline with `ldbadd` (so the entries exist before the server starts, and
/// without passwords) and runs `samba -F -M single` with only the LDAP service. Because Samba's ports are fixed,
/// servers run one at a time: `start` waits for the previous one to be stopped, also across test processes.
///
/// Typical use:
/// ```swift
/// try await SambaServer.with(ldif: ActiveDirectoryLDIF.render([...])) { samba in
///     // bind to samba.url as samba.adminDN / samba.adminPassword
/// }
/// ```
public final class SambaServer: Sendable {
    /// `ldap://127.0.0.2`.
    public let url = "ldap://\(SambaConfiguration.address)"
    /// `DC=corp,DC=example,DC=test`.
    public let baseDN = SambaConfiguration.baseDN
    /// `CN=Administrator,CN=Users,DC=corp,DC=example,DC=test`.
    public let adminDN = SambaConfiguration.adminDN
    /// `Administrator@corp.example.test`, the same account as `adminDN`.
    public let adminBindName = SambaConfiguration.adminBindName
    /// The administrator's password.
    public let adminPassword = SambaConfiguration.adminPassword
    /// The scratch directory with the domain's databases, `etc/smb.conf` and `samba.log`.
    public let directory: String

    private let state: Mutex<pid_t?>

    /// The running server's process ID (`nil` after `stop()`).
    public var pid: pid_t? { state.withLock { $0 } }

    private init(directory: String, pid: pid_t) {
        self.directory = directory
        self.state = Mutex(pid)
    }

    deinit {
        // A safety net for tests that forget `stop()`: the lock is then held until the process ends.
        if let pid = state.withLock({ $0 }) {
            kill(pid, SIGKILL)
            ProcessRunner.waitForExit(pid: pid)
            TemporaryDirectory.remove(directory)
        }
    }

    /// Waits for the address to be free, restores the domain, loads `ldif` and starts the server; returns once
    /// it answers a root DSE search.
    ///
    /// - Parameter ldif: entries to add offline, parents before children (`ActiveDirectoryLDIF` helps);
    ///   may be empty.
    public static func start(ldif: String) async throws -> SambaServer {
        try await SambaLock.shared.acquire()
        var directory: String?
        do {
            try SambaWorkFolder.removeStaleInstances()
            let archive = try SambaWorkFolder.templateArchive()
            let instance = try SambaWorkFolder.newInstance()
            directory = instance
            try prepare(directory: instance, archive: archive, ldif: ldif)
            let pid = try await launch(directory: instance)
            return SambaServer(directory: instance, pid: pid)
        } catch {
            if let directory { TemporaryDirectory.remove(directory) }
            await SambaLock.shared.release()
            throw error
        }
    }

    /// Starts a server, runs `body` with it and stops it afterwards, also when `body` throws.
    public static func with<T: Sendable>(ldif: String, _ body: (SambaServer) async throws -> T) async throws -> T {
        let server = try await start(ldif: ldif)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops the server by PID (SIGTERM, then SIGKILL after 10 s), removes its directory and lets the next
    /// server start. Calling it again does nothing.
    public func stop() async {
        guard let pid = state.withLock({ pid in defer { pid = nil }; return pid }) else { return }
        await ProcessRunner.terminate(pid: pid, signal: SIGTERM)
        TemporaryDirectory.remove(directory)
        await SambaLock.shared.release()
    }

    /// Applies LDIF online as the administrator (`ldapmodify -a`: records without `changetype` are adds).
    public func modify(ldif: String) throws {
        try ProcessRunner.run("ldapmodify", ["-x", "-a", "-H", url, "-D", adminDN, "-w", adminPassword], input: ldif)
    }

    /// Searches as the administrator with `ldapsearch` and returns the LDIF it prints (unwrapped lines, binary
    /// values such as `objectGUID` as `name:: base64`).
    public func search(base: String, scope: String = "sub", filter: String = "(objectClass=*)", attributes: [String]) throws -> String {
        try ProcessRunner.run(
            "ldapsearch",
            ["-x", "-LLL", "-o", "ldif-wrap=no", "-H", url, "-D", adminDN, "-w", adminPassword, "-b", base, "-s", scope, filter]
                + attributes
        ).standardOutput
    }

    /// Restores the template into `directory`, writes `smb.conf` and adds the LDIF offline.
    private static func prepare(directory: String, archive: String, ldif: String) throws {
        try ProcessRunner.run("tar", ["-xf", archive, "-C", directory])
        for folder in ["cache", "run", "log"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
        let configFile = "\(directory)/etc/smb.conf"
        try SambaConfiguration.smbConf(directory: directory).write(toFile: configFile, atomically: true, encoding: .utf8)
        guard !ldif.isEmpty else { return }
        let dataFile = "\(directory)/data.ldif"
        try ldif.write(toFile: dataFile, atomically: true, encoding: .utf8)
        // --nosync: a scratch copy needs no fsync per entry, which is most of the time of a large load.
        try ProcessRunner.run(
            "ldbadd", ["--nosync", "--configfile=\(configFile)", "-H", "\(directory)/private/sam.ldb", dataFile])
    }

    /// Starts Samba in the foreground and waits until it answers; kills it on failure.
    private static func launch(directory: String) async throws -> pid_t {
        let log = "\(directory)/samba.log"
        if (try? rootDSEAnswers()) == true {
            throw SambaError(
                message: "something not started by these tests already answers on ldap://\(SambaConfiguration.address)",
                log: "")
        }
        let pid = try ProcessRunner.launch(
            "samba", ["-F", "-M", "single", "--debug-stdout", "-d1", "-s", "\(directory)/etc/smb.conf"], logFile: log)
        try "\(pid)\n".write(toFile: "\(directory)/launch.pid", atomically: true, encoding: .utf8)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let status = ProcessRunner.exitStatusIfExited(pid: pid) {
                throw SambaError(message: "samba exited with status \(status) while starting", log: readLog(log))
            }
            if (try? rootDSEAnswers()) == true { return pid }
            try? await Task.sleep(for: .milliseconds(50))
        }
        await ProcessRunner.terminate(pid: pid, signal: SIGKILL)
        throw SambaError(message: "samba did not answer within 30 s", log: readLog(log))
    }

    private static func rootDSEAnswers() throws -> Bool {
        try ProcessRunner.run(
            "ldapsearch", ["-x", "-LLL", "-H", "ldap://\(SambaConfiguration.address)", "-s", "base", "-b", "", "dn"])
        return true
    }

    private static func readLog(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// Samba could not be set up or started; carries its log.
public struct SambaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// Samba's own output, when there is any.
    public var log: String

    /// The message and the log.
    public var description: String { log.isEmpty ? message : "\(message); samba log: \(log)" }
}
