import LDAPClient
import TestSupport
import Testing

/// Connection options for the admin of a test server.
func adminOptions(
    _ server: SlapdServer, url: String? = nil, startTLS: Bool = false, caFile: String? = nil
) -> LDAPConnectionOptions {
    LDAPConnectionOptions(
        url: url ?? server.url, startTLS: startTLS, caFile: caFile,
        bind: .simple(dn: server.adminDN, password: LDAPSecret(server.adminPassword)),
        connectTimeout: .seconds(5), operationTimeout: .seconds(30))
}

/// Opens a connection on a worker thread, runs a search and returns every entry and the summary.
func searchAll(
    _ options: LDAPConnectionOptions, _ request: LDAPSearchRequest
) async throws -> (entries: [LDAPEntry], summary: LDAPSearchSummary) {
    try await LDAPWorker.run {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        var entries: [LDAPEntry] = []
        let summary = try connection.search(request) { entries.append($0) }
        return (entries, summary)
    }
}

/// Opens (and closes) a connection on a worker thread; returns the error it failed with, if any.
func openError(_ options: LDAPConnectionOptions) async -> LDAPError? {
    do {
        try await LDAPWorker.run { _ = try LDAPConnection.open(options) }
        return nil
    } catch let error as LDAPError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Opens a connection on a worker thread and measures how long `open` itself took before failing.
func timedOpenError(_ options: LDAPConnectionOptions) async throws -> (error: LDAPError?, elapsed: Duration) {
    try await LDAPWorker.run {
        let clock = ContinuousClock()
        let started = clock.now
        do throws(LDAPError) {
            _ = try LDAPConnection.open(options)
            return (nil, clock.now - started)
        } catch {
            return (error, clock.now - started)
        }
    }
}
