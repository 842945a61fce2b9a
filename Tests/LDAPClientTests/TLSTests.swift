import LDAPClient
import TestSupport
import Testing

@Suite struct TLSTests {
    @Test func startTLSWithTheRightCA() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 3), tls: true) { server in
            let options = adminOptions(server, startTLS: true, caFile: server.caFile)
            let result = try await searchAll(options, LDAPSearchRequest(base: server.baseDN, filter: "(uid=*)"))
            #expect(result.entries.count == 3)
        }
    }

    @Test func ldapsWithTheRightCA() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 3), tls: true) { server in
            let options = adminOptions(server, url: server.ldapsURL, caFile: server.caFile)
            let result = try await searchAll(options, LDAPSearchRequest(base: server.baseDN, filter: "(uid=*)"))
            #expect(result.entries.count == 3)
        }
    }

    @Test func unknownCAIsRefusedOverLDAPSAndStartTLS() async throws {
        let unrelated = try TestCertificateAuthority.unrelated()
        defer { TemporaryDirectory.remove(unrelated.directory) }
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 1), tls: true) { server in
            let ldaps = try #require(await openError(
                adminOptions(server, url: server.ldapsURL, caFile: unrelated.certificateFile)))
            #expect(ldaps.operation == "connect")
            #expect(ldaps.resultCode == -1)  // LDAP_SERVER_DOWN: the handshake was refused
            #expect(ldaps.description.contains("TLS handshake failed") && ldaps.description.contains(unrelated.certificateFile))

            let startTLS = try #require(await openError(
                adminOptions(server, startTLS: true, caFile: unrelated.certificateFile)))
            #expect(startTLS.operation == "startTLS")
            #expect(startTLS.resultCode == -11)  // LDAP_CONNECT_ERROR
            #expect(startTLS.description.contains("TLS handshake failed"))

            // In the same process, a connection with the right CA still succeeds: the CA is per connection.
            #expect(await openError(adminOptions(server, url: server.ldapsURL, caFile: server.caFile)) == nil)
        }
    }

    @Test func verificationCanBeTurnedOffExplicitly() async throws {
        let unrelated = try TestCertificateAuthority.unrelated()
        defer { TemporaryDirectory.remove(unrelated.directory) }
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 1), tls: true) { server in
            var options = adminOptions(server, url: server.ldapsURL, caFile: unrelated.certificateFile)
            options.verifyCertificate = false
            #expect(await openError(options) == nil)
        }
    }
}
