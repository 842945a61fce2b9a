import Foundation
import LDAPClient
import TenantStore
import TestSupport
import Testing

/// The daemon with its real neighbours: a notify socket the test binds, journald in a private mount namespace, signals.
@Suite struct DaemonTests {
    private static let rules = """
        sync: { interval: 1h }
        subscriptions: { INTUNE_A: 3 }
        licenses: [ { group: Mobile, sku: INTUNE_A } ]
        """

    private static func directory(users: Int = 6) -> String {
        let uids = LDIFBuilder.numberedUIDs(count: users)
        return LDIFBuilder.directory(userCount: users, groups: [(cn: "Mobile", memberUIDs: Array(uids.prefix(5)))])
    }

    /// Reads datagrams until one satisfies `match`; all of them are returned.
    /// Datagrams until one matches (or none comes for 10 s), read on a thread of its own: a wait on the cooperative
    /// pool would hold up the other tests running in parallel.
    private static func receive(
        _ listener: NotifySocketListener, until match: @escaping @Sendable (String) -> Bool, limit: Int = 50
    ) async -> [String] {
        (try? await LDAPWorker.run {
            var seen: [String] = []
            for _ in 0..<limit {
                guard let message = listener.receive(timeoutMilliseconds: 10_000) else { break }
                seen.append(message)
                if match(message) { break }
            }
            return seen
        }) ?? []
    }

    private func writeConfig(_ harness: SyncHarness) throws {
        try harness.writeConfig(directory: SyncHarness.openldapScopes, rest: Self.rules, defaultUsageLocation: "DE")
    }

    @Test func notifiesReadyStatusWatchdogAndStoppingAndStopsOnSIGTERM() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try writeConfig(harness)
            let listener = try NotifySocketListener()
            let daemon = try DaemonProcess(
                ["run", "--log-target", "stderr", "--config", harness.configPath],
                environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"], folder: harness.folder)

            let messages = await Self.receive(listener) { $0.contains("STATUS=run 1 finished") }
            #expect(messages.contains { $0.contains("READY=1") })
            #expect(messages.contains { $0.contains("STATUS=run 1 finished: 6 users (+6 ~0 -0), licenses +3 -0, 2 errors") }, "\(messages)")
            #expect(await Self.receive(listener) { $0 == "WATCHDOG=1" }.last == "WATCHDOG=1")

            daemon.signal(SIGTERM)
            let stopped = await Self.receive(listener) { $0.contains("STOPPING=1") }
            #expect(stopped.last?.contains("STOPPING=1") == true)
            let took = await daemon.waitForExit(limit: .seconds(5))
            #expect(took != nil, "still running 5 s after SIGTERM: \(daemon.errors)")
            #expect(daemon.process.terminationStatus == 0)
        }
    }

    /// A simple bind needs no SASL: libldap's start-up loads none of Cyrus SASL's plugins (nor OpenSSL, which some
    /// of them bring), which would cost each `--once` run 4–5 ms.
    @Test func theDaemonBindsWithoutLoadingSASLPlugins() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try writeConfig(harness)
            let listener = try NotifySocketListener()
            let daemon = try DaemonProcess(
                ["run", "--log-target", "stderr", "--config", harness.configPath], environment: ["NOTIFY_SOCKET": listener.path],
                folder: harness.folder)
            let messages = await Self.receive(listener) { $0.contains("STATUS=run 1 finished") }
            // Read to its end: a file under /proc tells no size.
            let mapsFile = FileHandle(forReadingAtPath: "/proc/\(daemon.process.processIdentifier)/maps")
            let maps = String(decoding: mapsFile?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
            try? mapsFile?.close()
            daemon.signal(SIGTERM)
            _ = await daemon.waitForExit(limit: .seconds(5))

            #expect(messages.contains { $0.contains("STATUS=run 1 finished: 6 users") }, "\(messages)")
            #expect(maps.contains("libldap"), "the daemon's mappings were not read")
            #expect(!maps.contains("/sasl2/"), "SASL plugins loaded: \(maps.split(separator: "\n").filter { $0.contains("sasl") })")
        }
    }

    @Test func hangupWithABrokenConfigKeepsTheOldOneAndTheDaemonRunning() async throws {
        let slapd = try await SlapdServer.start(ldif: Self.directory())
        let harness = try SyncHarness(slapd: slapd)
        try writeConfig(harness)
        let listener = try NotifySocketListener()
        let daemon = try DaemonProcess(
            ["run", "--log-target", "stderr", "--config", harness.configPath], environment: ["NOTIFY_SOCKET": listener.path],
            folder: harness.folder)
        _ = await Self.receive(listener) { $0.contains("STATUS=run 1 finished") }

        try "directory: [this is not a mapping".write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let reload = await Self.receive(listener) { $0.contains("READY=1") }
        try await Task.sleep(for: .milliseconds(200))
        let running = daemon.isRunning
        let errors = daemon.errors
        daemon.signal(SIGTERM)
        let exited = await daemon.waitForExit(limit: .seconds(5))
        await slapd.stop()
        harness.remove()

        #expect(reload.contains { $0.contains("RELOADING=1") })
        #expect(reload.last?.contains("STATUS=configuration reload failed") == true, "\(reload)")
        #expect(running)
        #expect(errors.contains("configuration reload failed"))
        #expect(errors.contains("tenantsync.yaml:"), "\(errors)")
        #expect(exited != nil)
    }

    @Test func aDryRunDaemonStaysADryRunInEveryCycle() async throws {
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try harness.writeConfig(
                directory: SyncHarness.openldapScopes,
                rest: Self.rules.replacingOccurrences(of: "interval: 1h", with: "interval: 1s, jitter: 0s"), defaultUsageLocation: "DE")
            let listener = try NotifySocketListener()
            let daemon = try DaemonProcess(
                ["run", "--dry-run", "--log-target", "stderr", "--config", harness.configPath],
                environment: ["NOTIFY_SOCKET": listener.path], folder: harness.folder)
            var finished = 0
            let messages = await Self.receive(listener) { message in message.contains(" finished: ") }
            finished += messages.count { $0.contains(" finished: ") }
            let more = await Self.receive(listener) { message in message.contains(" finished: ") }
            finished += more.count { $0.contains(" finished: ") }
            daemon.signal(SIGTERM)
            _ = await daemon.waitForExit(limit: .seconds(5))

            #expect(finished == 2, "\(messages + more)")
            let starts = daemon.errors.split(separator: "\n").filter { $0.contains(" started: ") }
            #expect(starts.count >= 2, "\(daemon.errors)")
            #expect(starts.allSatisfy { $0.hasSuffix(", dry run") }, "\(starts)")
            #expect(!FileManager.default.fileExists(atPath: harness.storePath))
        }
    }

    @Test func sigtermDuringACycleLeavesTheStoreUnchangedAndExitsWithinFiveSeconds() async throws {
        try await SlapdServer.with(ldif: Self.directory(users: 60_000)) { slapd in
            // The proxy slows the answers to a trickle after the first megabyte, so the signal lands mid-read.
            let proxy = try ThrottlingTCPProxy(upstreamPort: try #require(UInt16(slapd.url.split(separator: ":").last ?? "")), fullSpeedBytes: 1 << 20)
            defer { proxy.stop() }
            let harness = try SyncHarness(url: proxy.ldapURL, bindDN: slapd.adminDN, password: slapd.adminPassword)
            defer { harness.remove() }
            try writeConfig(harness)
            let listener = try NotifySocketListener()
            let daemon = try DaemonProcess(
                ["run", "--log-target", "stderr", "--config", harness.configPath], environment: ["NOTIFY_SOCKET": listener.path],
                folder: harness.folder)
            let ready = await Self.receive(listener) { $0.contains("READY=1") }
            #expect(ready.last?.contains("READY=1") == true, "\(daemon.errors)")
            let throttled = try await LDAPWorker.run { proxy.waitUntilThrottled(seconds: 30) }
            #expect(throttled, "the daemon never read a megabyte: \(daemon.errors)")
            #expect(daemon.isRunning)
            daemon.signal(SIGTERM)
            let took = await daemon.waitForExit(limit: .seconds(5))
            #expect(took != nil, "still running 5 s after SIGTERM")
            // The read itself was cancelled: the cycle said so, rather than the last-resort deadline ending the process.
            #expect(daemon.errors.contains("stopped before applying"), "\(daemon.errors)")
            let state = try TenantStore(path: harness.storePath).loadState()
            #expect(state.users.isEmpty)
            #expect(state.nextRunId == 1)
        }
    }

    @Test func sigtermDuringAOnceRunEndsItAsFailedWithNothingApplied() async throws {
        try await SlapdServer.with(ldif: Self.directory(users: 60_000)) { slapd in
            let proxy = try ThrottlingTCPProxy(upstreamPort: try #require(UInt16(slapd.url.split(separator: ":").last ?? "")), fullSpeedBytes: 1 << 20)
            defer { proxy.stop() }
            let harness = try SyncHarness(url: proxy.ldapURL, bindDN: slapd.adminDN, password: slapd.adminPassword)
            defer { harness.remove() }
            try writeConfig(harness)
            let once = try DaemonProcess(["--once", "--log-target", "stderr", "--config", harness.configPath], environment: [:], folder: harness.folder)
            let throttled = try await LDAPWorker.run { proxy.waitUntilThrottled(seconds: 30) }
            #expect(throttled, "the run never read a megabyte: \(once.errors)")
            once.signal(SIGTERM)
            let took = await once.waitForExit(limit: .seconds(5))
            #expect(took != nil, "still running 5 s after SIGTERM")
            #expect(once.process.terminationStatus == 1)
            #expect(once.errors.contains("run 1 finished: ") && once.errors.contains("stopped before applying"), "\(once.errors)")
            let state = try TenantStore(path: harness.storePath).loadState()
            #expect(state.users.isEmpty)
        }
    }

    @Test func anInvalidConfigurationUnderSystemdReachesTheJournalAsAnError() async throws {
        let journal = try JournaldServer()
        defer { journal.stop() }
        let folder = try TemporaryDirectory.make(prefix: "config")
        defer { TemporaryDirectory.remove(folder) }
        let config = folder + "/tenantsync.yaml"
        try "directory: { url: ldap://127.0.0.1:1, schema: openldap, users: [] }\n".write(toFile: config, atomically: true, encoding: .utf8)
        // As systemd starts a service: stderr is a journal stream, and $JOURNAL_STREAM names it.
        let script = "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec \"$0\" --once --config \"$1\""
        let status = try ProcessRunnerResult.nsenter(
            pid: journal.pid, "/usr/bin/systemd-cat", ["-t", "tenantsync", "/bin/sh", "-c", script, TenantSyncCommand.executable, config])
        #expect(status == 78)
        let errors = try await journal.waitForEntries(matching: ["SYSLOG_IDENTIFIER": "tenantsync", "PRIORITY": "3"], count: 2)
        #expect(errors.contains { $0["MESSAGE"]?.contains("directory.users") == true }, "\(errors)")
        #expect(errors.contains { $0["MESSAGE"]?.contains("configuration error(s); nothing was done.") == true })
    }

    @Test func journalReceivesTheSummaryAndOneEntryPerFinding() async throws {
        let journal = try JournaldServer()
        defer { journal.stop() }
        try await SlapdServer.with(ldif: Self.directory()) { slapd in
            let harness = try SyncHarness(slapd: slapd)
            defer { harness.remove() }
            try writeConfig(harness)
            let run = try ProcessRunnerResult.nsenter(
                pid: journal.pid, TenantSyncCommand.executable, ["--once", "--log-target", "journal", "--config", harness.configPath])
            #expect(run == 2)

            let summary = try #require(
                try await journal.waitForEntries(matching: ["SYSLOG_IDENTIFIER": "tenantsync", "TENANTSYNC_OUTCOME": "completedWithErrors"], count: 1).first)
            #expect(summary["TENANTSYNC_RUN_ID"] == "1")
            #expect(summary["TENANTSYNC_MODE"] == "full")
            #expect(summary["TENANTSYNC_DRY_RUN"] == "false")
            #expect(summary["TENANTSYNC_USERS_ADDED"] == "6")
            #expect(summary["TENANTSYNC_LICENSES_ASSIGNED"] == "3")
            #expect(summary["TENANTSYNC_LICENSE_ERRORS"] == "2")
            #expect(summary["MESSAGE"]?.hasPrefix("run 1 finished: 6 users (+6 ~0 -0), licenses +3 -0, 2 errors") == true)
            let findings = try journal.entries(matching: ["TENANTSYNC_RUN_ID": "1", "TENANTSYNC_ERROR": "CountViolation"])
            #expect(findings.count == 2)
            #expect(findings.allSatisfy { $0["PRIORITY"] == "4" && $0["TENANTSYNC_SKU"] == "INTUNE_A" && $0["TENANTSYNC_GROUP"] == "Mobile" })
        }
    }
}

/// Runs a command inside another process's mount namespace and returns its exit status.
enum ProcessRunnerResult {
    static func nsenter(pid: pid_t, _ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = ["-t", "\(pid)", "-m", "--", executable] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
