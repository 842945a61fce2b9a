import Foundation
import Synchronization
import LDAPClient
import TestSupport
import Testing

@Suite struct ConnectionTests {
    @Test func bindAsAdminAndReadRootDSE() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 2)) { server in
            let options = adminOptions(server)
            let rootDSE = try await LDAPWorker.run {
                let connection = try LDAPConnection.open(options)
                defer { connection.close() }
                return try connection.readRootDSE(attributes: ["namingContexts", "supportedControl"])
            }
            #expect(rootDSE.strings("namingContexts") == ["dc=example,dc=org"])
            #expect(rootDSE.strings("supportedControl")?.contains("1.2.840.113556.1.4.319") == true)
        }
    }

    /// A connection opened on its own thread is the first taker's, bound and usable; a later taker opens its own.
    /// One that could not open throws its error when taken.
    @Test func aConnectionOpenedAheadIsTakenOnceAndCarriesItsError() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 2)) { server in
            let opening = LDAPConnectionOpening(adminOptions(server))
            let (namingContexts, takenAgain) = try await LDAPWorker.run {
                let connection = try #require(try opening.take())
                defer { connection.close() }
                return (try connection.readRootDSE(attributes: ["namingContexts"]).strings("namingContexts"), try opening.take() != nil)
            }
            #expect(namingContexts == ["dc=example,dc=org"])
            #expect(!takenAgain)
        }
        let closed = LDAPConnectionOpening(LDAPConnectionOptions(
            url: "ldap://127.0.0.1:\(try FreePort.next())", bind: .simple(dn: "cn=x", password: "y"),
            connectTimeout: .seconds(5), operationTimeout: .seconds(5)))
        let failure = try await LDAPWorker.run { () -> LDAPError? in
            do throws(LDAPError) {
                _ = try closed.take()
                return nil
            } catch {
                return error
            }
        }
        #expect(failure?.operation == "connect")
        #expect(failure?.resultCode == -1)
    }

    @Test func wrongPasswordNamesInvalidCredentialsAndBind() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 1)) { server in
            var options = adminOptions(server)
            options.bind = .simple(dn: server.adminDN, password: "wrong-password-123")
            let error = try #require(await openError(options))
            #expect(error.resultCode == 49)
            #expect(error.operation == "bind")
            #expect(error.resultName == "Invalid credentials")
            #expect(error.isTruncation == false)
            #expect(error.description.contains("bind"))
            #expect(error.description.contains("49"))
            #expect(error.description.contains(server.url))
            #expect(!error.description.contains("wrong-password-123"))
        }
    }

    @Test func closedPortFailsQuicklyInConnect() async throws {
        let port = try FreePort.next()
        let options = LDAPConnectionOptions(
            url: "ldap://127.0.0.1:\(port)", bind: .simple(dn: "cn=x", password: "y"),
            connectTimeout: .seconds(5), operationTimeout: .seconds(5))
        let (failure, elapsed) = try await timedOpenError(options)
        let error = try #require(failure)
        #expect(elapsed < .seconds(1))
        #expect(error.operation == "connect")
        #expect(error.resultCode == -1)  // LDAP_SERVER_DOWN
    }

    @Test func closedLDAPSPortIsNotReportedAsATLSFailure() async throws {
        let port = try FreePort.next()
        let options = LDAPConnectionOptions(url: "ldaps://127.0.0.1:\(port)", connectTimeout: .seconds(5), operationTimeout: .seconds(5))
        let error = try #require(try await timedOpenError(options).error)
        #expect(error.resultCode == -1)
        #expect(!error.description.contains("TLS handshake"), "\(error)")
    }

    @Test func silentServerHitsTheOperationTimeout() async throws {
        let listener = try SilentTCPListener()
        let options = LDAPConnectionOptions(
            url: listener.ldapURL, bind: .simple(dn: "cn=x", password: "y"),
            connectTimeout: .seconds(1), operationTimeout: .milliseconds(800))
        let (failure, elapsed) = try await timedOpenError(options)
        let error = try #require(failure)
        #expect(elapsed >= .milliseconds(700))
        #expect(elapsed < .seconds(3))
        #expect(error.resultCode == -5)  // LDAP_TIMEOUT
        #expect(error.operation == "bind")
    }

    @Test func cancellingTheTaskEndsAWaitForTheServerWellBeforeTheTimeout() async throws {
        let listener = try SilentTCPListener()
        let options = LDAPConnectionOptions(
            url: listener.ldapURL, bind: .simple(dn: "cn=x", password: "y"),
            connectTimeout: .seconds(1), operationTimeout: .seconds(30))
        // Both instants are taken next to the events (the cancel, the end of the blocking call on the worker
        // thread), so a busy cooperative pool in a parallel test run cannot stretch what is measured.
        let waiting = Task {
            try await LDAPWorker.run { () -> (LDAPError?, ContinuousClock.Instant) in
                do throws(LDAPError) {
                    _ = try LDAPConnection.open(options)
                    return (nil, .now)
                } catch {
                    return (error, .now)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        waiting.cancel()
        let (failure, endedAt) = try await waiting.value
        let error = try #require(failure, "the bind to a silent server succeeded")
        #expect(error.isCancellation, "\(error)")
        #expect(error.operation == "bind")
        #expect(endedAt - cancelledAt < .seconds(2))
    }

    @Test func silentServerHitsTheConnectTimeoutDuringTLSHandshake() async throws {
        let listener = try SilentTCPListener()
        let options = LDAPConnectionOptions(
            url: "ldaps://127.0.0.1:\(listener.port)", connectTimeout: .seconds(1), operationTimeout: .seconds(30))
        let (failure, elapsed) = try await timedOpenError(options)
        let error = try #require(failure)
        #expect(elapsed >= .milliseconds(900))
        #expect(elapsed < .seconds(3))
        #expect(error.operation == "connect")
        #expect(error.resultCode == -5)  // LDAP_TIMEOUT
    }

    @Test func closeIsIdempotentAndUseAfterCloseIsAnError() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 1)) { server in
            let options = adminOptions(server)
            let error = try await LDAPWorker.run { () -> LDAPError? in
                let connection = try LDAPConnection.open(options)
                connection.close()
                connection.close()
                do {
                    _ = try connection.search(LDAPSearchRequest(base: "dc=example,dc=org")) { _ in }
                    return nil
                } catch let error as LDAPError {
                    return error
                }
            }
            #expect(error?.operation == "search")
        }
    }

    @Test func secretsNeverPrint() {
        let secret: LDAPSecret = "hunter2"
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.reveal() == "hunter2")
        let bind = LDAPBind.simple(dn: "cn=admin", password: secret)
        #expect(!"\(bind)".contains("hunter2"))
        let options = LDAPConnectionOptions(url: "ldap://127.0.0.1", bind: bind)
        #expect(!"\(options)".contains("hunter2"))
    }

    @Test func workerRunsOffTheCooperativePoolAndPropagatesErrors() async throws {
        // Eight blocking calls wait for each other: they can only all arrive if each has its own thread,
        // since the cooperative pool is as wide as the core count.
        let arrived = Counter()
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await LDAPWorker.run {
                        arrived.value.add(1, ordering: .sequentiallyConsistent)
                        let deadline = ContinuousClock.now + .seconds(20)
                        while arrived.value.load(ordering: .sequentiallyConsistent) < 8 {
                            if ContinuousClock.now > deadline { return false }
                            usleep(1_000)
                        }
                        return true
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))

        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            try await LDAPWorker.run { throw Failure() }
        }
    }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
