import Foundation
import LDAPClient
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private OpenLDAP `slapd` on loopback, built from scratch for one test and removed by `stop()`.
///
/// The database is `dc=example,dc=org` (mdb, with the syncprov and memberof overlays), administered by
/// `cn=admin,dc=example,dc=org` / `secret`, with no server-side size limit and read access for everyone.
/// The LDIF given to `start` is bulk-loaded offline with `slapadd -q`, so it must contain the suffix entry
/// first and parents before children (`LDIFBuilder` does this); note that offline loading does not run the
/// memberof overlay, online `modify(ldif:)` does.
///
/// Typical use:
/// ```swift
/// try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 10)) { server in
///     // connect to server.url as server.adminDN / server.adminPassword
/// }
/// ```
public final class SlapdServer: Sendable {
    /// `ldap://127.0.0.1:PORT`.
    public let url: String
    /// `ldaps://127.0.0.1:PORT2` when started with TLS, else `nil`. StartTLS works on `url` too.
    public let ldapsURL: String?
    /// PEM file of the CA that signed the server certificate, when started with TLS.
    public let caFile: String?
    /// `dc=example,dc=org`.
    public let baseDN = LDIFBuilder.suffix
    /// `cn=admin,dc=example,dc=org`.
    public let adminDN = "cn=admin,dc=example,dc=org"
    /// `secret`.
    public let adminPassword = "secret"
    /// The scratch directory holding config, database, certificates and `slapd.log`.
    public let directory: String

    private let listenURLs: String
    private let state: Mutex<pid_t?>

    /// The running slapd's process ID (`nil` after `stop()`).
    public var pid: pid_t? { state.withLock { $0 } }

    private init(directory: String, url: String, ldapsURL: String?, caFile: String?, pid: pid_t) {
        self.directory = directory
        self.url = url
        self.ldapsURL = ldapsURL
        self.caFile = caFile
        self.listenURLs = ([url] + (ldapsURL.map { [$0] } ?? [])).map { $0 + "/" }.joined(separator: " ")
        self.state = Mutex(pid)
    }

    deinit {
        // A safety net for tests that forget `stop()`; the directory is removed too.
        if let pid = state.withLock({ $0 }) {
            kill(pid, SIGKILL)
            ProcessRunner.waitForExit(pid: pid)
            TemporaryDirectory.remove(directory)
        }
    }

    /// Builds, loads and starts a new server; returns once it answers `ldapwhoami` as the admin.
    ///
    /// - Parameters:
    ///   - ldif: entries to bulk-load (suffix entry first); may be empty for an empty database.
    ///   - tls: also make a throwaway CA and server certificate (CN/SAN `127.0.0.1`, `localhost`), enable
    ///     StartTLS and listen on `ldapsURL`.
    public static func start(ldif: String, tls: Bool = false) async throws -> SlapdServer {
        let directory = try TemporaryDirectory.make(prefix: "slapd")
        do {
            let caFile = try await LDAPWorker.run { try prepare(directory: directory, ldif: ldif, tls: tls) }
            var lastError: (any Error)?
            for _ in 0..<3 {
                let url = "ldap://127.0.0.1:\(try FreePort.next())"
                let ldapsURL = tls ? "ldaps://127.0.0.1:\(try FreePort.next())" : nil
                let listen = ([url] + (ldapsURL.map { [$0] } ?? [])).map { $0 + "/" }.joined(separator: " ")
                do {
                    let pid = try await launch(directory: directory, listenURLs: listen, url: url)
                    return SlapdServer(directory: directory, url: url, ldapsURL: ldapsURL, caFile: caFile, pid: pid)
                } catch {
                    lastError = error  // most likely a port taken in the meantime: try new ports
                }
            }
            throw lastError ?? SlapdError(message: "slapd did not start", log: "")
        } catch {
            TemporaryDirectory.remove(directory)
            throw error
        }
    }

    /// Starts a server, runs `body` with it and stops it afterwards, also when `body` throws.
    @discardableResult
    public static func with<T: Sendable>(
        ldif: String, tls: Bool = false, _ body: (SlapdServer) async throws -> T
    ) async throws -> T {
        let server = try await start(ldif: ldif, tls: tls)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Kills the server by PID, reaps it and removes its directory. Calling it again does nothing.
    public func stop() async {
        guard let pid = state.withLock({ pid in defer { pid = nil }; return pid }) else { return }
        await ProcessRunner.terminate(pid: pid, signal: SIGKILL)
        TemporaryDirectory.remove(directory)
    }

    /// Stops the server gracefully and starts it again on the same ports with the same data.
    public func restart() async throws {
        if let pid = state.withLock({ pid in defer { pid = nil }; return pid }) {
            await ProcessRunner.terminate(pid: pid, signal: SIGTERM)
        }
        let pid = try await Self.launch(directory: directory, listenURLs: listenURLs, url: url)
        state.withLock { $0 = pid }
    }

    /// Applies LDIF online as the admin (`ldapmodify -a`: records without `changetype` are adds).
    /// Blocks until `ldapmodify` exits.
    public func modify(ldif: String) throws {
        try ProcessRunner.run(
            "ldapmodify", ["-x", "-a", "-H", url, "-D", adminDN, "-w", adminPassword], input: ldif)
    }

    /// Writes the configuration and the data and returns the CA file when TLS is on.
    private static func prepare(directory: String, ldif: String, tls: Bool) throws -> String? {
        let files = FileManager.default
        try files.createDirectory(atPath: "\(directory)/slapd.d", withIntermediateDirectories: true)
        try files.createDirectory(atPath: "\(directory)/db", withIntermediateDirectories: true)
        var configuration = SlapdConfiguration(
            directory: directory, suffix: LDIFBuilder.suffix, adminDN: "cn=admin,dc=example,dc=org",
            adminPassword: "secret")
        var caFile: String?
        if tls {
            try files.createDirectory(atPath: "\(directory)/tls", withIntermediateDirectories: true)
            let ca = try TestCertificateAuthority.create(in: "\(directory)/tls", commonName: "slapd test CA")
            let server = try ca.issueServerCertificate()
            configuration.tls = (ca.certificateFile, server.certificateFile, server.keyFile)
            caFile = ca.certificateFile
        }
        try configuration.ldif.write(toFile: "\(directory)/config.ldif", atomically: true, encoding: .utf8)
        try ProcessRunner.run("slapadd", ["-n0", "-F", "\(directory)/slapd.d", "-l", "\(directory)/config.ldif"])
        if !ldif.isEmpty {
            try ldif.write(toFile: "\(directory)/data.ldif", atomically: true, encoding: .utf8)
            try ProcessRunner.run(
                "slapadd", ["-n1", "-F", "\(directory)/slapd.d", "-q", "-l", "\(directory)/data.ldif"])
        }
        return caFile
    }

    /// Starts slapd in the foreground and waits until `ldapwhoami` succeeds; kills it on failure.
    private static func launch(directory: String, listenURLs: String, url: String) async throws -> pid_t {
        let log = "\(directory)/slapd.log"
        let pid = try ProcessRunner.launch(
            "slapd", ["-d", "0", "-h", listenURLs, "-F", "\(directory)/slapd.d"], logFile: log)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let status = ProcessRunner.exitStatusIfExited(pid: pid) {
                throw SlapdError(message: "slapd exited with status \(status) while starting", log: readLog(log))
            }
            let ready = try? await LDAPWorker.run {
                try ProcessRunner.run("ldapwhoami", ["-x", "-H", url, "-D", "cn=admin,dc=example,dc=org", "-w", "secret"])
            }
            if ready != nil { return pid }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await ProcessRunner.terminate(pid: pid, signal: SIGKILL)
        throw SlapdError(message: "slapd did not answer within 15 s", log: readLog(log))
    }

    private static func readLog(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

/// slapd could not be started; carries its log.
public struct SlapdError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// slapd's own output.
    public var log: String

    /// The message and the log.
    public var description: String { "\(message); slapd log: \(log)" }
}
