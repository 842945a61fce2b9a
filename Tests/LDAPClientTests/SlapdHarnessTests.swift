import LDAPClient
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SlapdHarnessTests {
    @Test func modifyAddsOnlineAndRestartKeepsDataAndPort() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 2)) { server in
            try server.modify(ldif: LDIFBuilder.user(uid: "added", country: "DE").ldif)
            try server.modify(ldif: LDIFBuilder.group(cn: "staff", memberDNs: [LDIFBuilder.userDN("added")]).ldif)
            let firstPID = server.pid
            try await server.restart()
            #expect(server.pid != firstPID)

            let options = adminOptions(server)
            let users = try await searchAll(
                options, LDAPSearchRequest(base: LDIFBuilder.peopleDN, scope: .oneLevel, attributes: ["c", "memberOf"]))
            #expect(users.entries.count == 3)
            let added = try #require(users.entries.first { $0.dn == LDIFBuilder.userDN("added") })
            #expect(added.string("c") == "DE")
            #expect(added.strings("memberOf") == [LDIFBuilder.groupDN("staff")])  // online adds run memberof
        }
    }

    @Test func stopEndsTheProcessAndRemovesTheDirectory() async throws {
        let server = try await SlapdServer.start(ldif: "")
        let pid = try #require(server.pid)
        await server.stop()
        #expect(server.pid == nil)
        #expect(kill(pid, 0) == -1)
        #expect(access(server.directory, F_OK) == -1)
        await server.stop()
    }

    @Test func processRunnerReportsStandardErrorOnFailure() {
        #expect {
            try ProcessRunner.run("ldapwhoami", ["-x", "-H", "ldap://127.0.0.1:1"])
        } throws: { error in
            guard let error = error as? ProcessError else { return false }
            return error.exitStatus != 0 && error.description.contains("Can't contact LDAP server")
        }
    }
}
