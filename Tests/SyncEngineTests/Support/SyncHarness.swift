import Foundation
import Reporting
import TenantModel
import TenantStore
import TestSupport

@testable import SyncEngine

/// Collects what a cycle reports, for assertions.
final class RecordingReporter: RunReportSink, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [RunReport] = []

    func runStarted(runId: Int64, mode: SyncMode, dryRun: Bool) {}

    func report(_ report: RunReport) {
        lock.withLock { collected.append(report) }
    }

    var reports: [RunReport] { lock.withLock { collected } }
}

/// Collects a cycle's progress lines.
final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    func add(_ line: String) {
        lock.withLock { collected.append(line) }
    }

    var lines: [String] { lock.withLock { collected } }
}

/// A tenantsync set-up against one directory server: a temporary folder with the config, the bind password and the
/// store. Tests write the config's variable parts and run cycles through the real `SyncCycle`.
struct SyncHarness: Sendable {
    let folder: String
    let url: String
    let bindDN: String
    let reporter = RecordingReporter()
    let progress = ProgressRecorder()

    init(url: String, bindDN: String, password: String) throws {
        folder = try TemporaryDirectory.make(prefix: "tenantsync")
        self.url = url
        self.bindDN = bindDN
        let passwordFile = folder + "/bind-password"
        _ = FileManager.default.createFile(atPath: passwordFile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
    }

    init(slapd: SlapdServer) throws {
        try self.init(url: slapd.url, bindDN: slapd.adminDN, password: slapd.adminPassword)
    }

    var configPath: String { folder + "/tenantsync.yaml" }
    var storePath: String { folder + "/tenant.sqlite" }

    /// Writes a configuration: the directory section from `directory`, then `rest` (subscriptions, licenses, …).
    func writeConfig(schema: String = "openldap", directory: String, rest: String = "", defaultUsageLocation: String? = nil) throws {
        let yaml = """
            directory:
              url: "\(url)"
              bind: { dn: "\(bindDN)", passwordFile: "\(folder)/bind-password" }
              schema: \(schema)
            \(directory.indented(by: 2))
              pageSize: 500
              timeout: 10s
            tenant:
              store: "\(storePath)"
            \(defaultUsageLocation.map { "  defaultUsageLocation: \($0)" } ?? "")
            \(rest)
            """
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// The default openldap scopes of the test directory.
    static let openldapScopes = """
        users:  [ { base: "ou=people,dc=example,dc=org", filter: "(objectClass=inetOrgPerson)" } ]
        groups: [ { base: "ou=groups,dc=example,dc=org", filter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))" } ]
        """

    func context() throws -> SyncContext {
        try SyncContext.load(path: configPath, environment: [:])
    }

    /// Runs one cycle in this process, as `tenantsync --once` does.
    @discardableResult
    func run(_ options: RunOptions = RunOptions()) async throws -> RunReport {
        let context = try context()
        let progress = self.progress
        let cycle = SyncCycle(
            context: context, store: try TenantStore(path: context.config.tenant.store), reporter: reporter,
            progress: { progress.add($0) })
        return await cycle.run(options)
    }

    /// Whether the last run planned a delta on the narrow state (only the users it concerns).
    var lastRunWasNarrow: Bool {
        let lines = progress.lines
        guard let start = lines.lastIndex(of: "reading the directory") else { return false }
        return lines[start...].contains { $0.contains("planning on the") && $0.contains("users it concerns") }
    }

    func state() throws -> TenantState {
        try TenantStore(path: storePath).loadState()
    }

    func liveUsers() throws -> [String: TenantUser] {
        Dictionary(uniqueKeysWithValues: try state().users.filter { !$0.isDeleted }.map { ($0.userPrincipalName, $0) })
    }

    func remove() {
        TemporaryDirectory.remove(folder)
    }
}

extension String {
    func indented(by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }
}
