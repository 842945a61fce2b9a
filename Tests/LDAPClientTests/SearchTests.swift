import LDAPClient
import TestSupport
import Testing

@Suite struct SearchTests {
    @Test func pagedSearchOverTenThousandEntriesCountsExactly() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 10_250)) { server in
            let options = adminOptions(server)
            let request = LDAPSearchRequest(
                base: server.baseDN, filter: "(objectClass=inetOrgPerson)", attributes: ["uid"], pageSize: 500)
            let (count, uniqueUIDs, summary) = try await LDAPWorker.run {
                let connection = try LDAPConnection.open(options)
                defer { connection.close() }
                var count = 0
                var uids = Set<String>()
                let summary = try connection.search(request) { entry in
                    count += 1
                    if let uid = entry.string("uid") { uids.insert(uid) }
                }
                return (count, uids.count, summary)
            }
            #expect(count == 10_250)
            #expect(uniqueUIDs == 10_250)
            #expect(summary.entryCount == 10_250)
            #expect(summary.pageCount >= 21)  // 10,250 / 500 rounded up

            let everything = try await searchAll(options, LDAPSearchRequest(base: server.baseDN, pageSize: 500))
            #expect(everything.entries.count == 10_253)  // users plus suffix, ou=people, ou=groups
        }
    }

    @Test func binaryAttributeValuesRoundTripAsBytes() async throws {
        let photo: [UInt8] = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0xfe, 0xc3, 0x28, 0x00, 0xff, 0xd9]
        let ldif = LDIFBuilder.render(
            LDIFBuilder.baseEntries() + [LDIFBuilder.user(uid: "photo", extra: [.init("jpegPhoto", .bytes(photo))])])
        try await SlapdServer.with(ldif: ldif) { server in
            let result = try await searchAll(
                adminOptions(server),
                LDAPSearchRequest(base: LDIFBuilder.userDN("photo"), scope: .base, attributes: ["jpegPhoto", "uid"]))
            let entry = try #require(result.entries.first)
            #expect(entry.values("jpegPhoto") == [photo])
            #expect(entry.string("jpegPhoto") == nil)  // not UTF-8: stays bytes
            #expect(entry.string("uid") == "photo")
        }
    }

    @Test func sizeLimitedSearchIsATruncationError() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 20)) { server in
            let options = adminOptions(server)
            let request = LDAPSearchRequest(base: server.baseDN, filter: "(uid=*)", sizeLimit: 5)
            let (delivered, error) = try await LDAPWorker.run { () -> (Int, LDAPError?) in
                let connection = try LDAPConnection.open(options)
                var delivered = 0
                do {
                    _ = try connection.search(request) { _ in delivered += 1 }
                    return (delivered, nil)
                } catch let error as LDAPError {
                    return (delivered, error)
                }
            }
            let truncation = try #require(error)
            #expect(truncation.isTruncation)
            #expect(truncation.resultCode == 4)  // sizeLimitExceeded
            #expect(truncation.operation == "search")
            #expect(truncation.base == server.baseDN)
            #expect(truncation.filter == "(uid=*)")
            #expect(delivered <= 5)
        }
    }

    @Test func escapedHostileValuesMatchOnlyThemselves() async throws {
        let hostile = ["*)(uid=*", "*", "a\\b(c)"]
        var entries = LDIFBuilder.baseEntries()
        for (index, value) in hostile.enumerated() {
            entries.append(LDIFBuilder.user(uid: "hostile\(index)", extra: [.init("description", .text(value))]))
        }
        entries.append(LDIFBuilder.user(uid: "plain", extra: [.init("description", "plain text")]))
        try await SlapdServer.with(ldif: LDIFBuilder.render(entries)) { server in
            let options = adminOptions(server)
            for (index, value) in hostile.enumerated() {
                let filter = "(&(objectClass=inetOrgPerson)\(LDAPFilter.equal("description", value)))"
                let result = try await searchAll(options, LDAPSearchRequest(base: server.baseDN, filter: filter))
                #expect(result.entries.map { $0.string("uid") } == ["hostile\(index)"], "filter \(filter)")
            }
            let unescaped = try await searchAll(
                options, LDAPSearchRequest(base: server.baseDN, filter: "(description=*)"))
            #expect(unescaped.entries.count == 4)  // what an unescaped "*" would have matched
        }
    }

    @Test func aThrowingCallbackAbandonsTheSearchAndTheConnectionStaysUsable() async throws {
        struct Stop: Error {}
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 50)) { server in
            let options = adminOptions(server)
            let (seen, countAfter) = try await LDAPWorker.run {
                let connection = try LDAPConnection.open(options)
                var seen = 0
                do {
                    _ = try connection.search(LDAPSearchRequest(base: server.baseDN, pageSize: 10)) { _ in
                        seen += 1
                        if seen == 3 { throw Stop() }
                    }
                } catch is Stop {}
                let after = try connection.search(LDAPSearchRequest(base: server.baseDN, filter: "(uid=*)")) { _ in }
                return (seen, after.entryCount)
            }
            #expect(seen == 3)
            #expect(countAfter == 50)
        }
    }

    @Test func extraControlsAreSentAndCriticalUnknownOnesAreRefused() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 1)) { server in
            let options = adminOptions(server)
            let request = LDAPSearchRequest(
                base: server.baseDN, controls: [LDAPControlValue(oid: "1.3.6.1.4.1.99999.1", isCritical: true)])
            await #expect {
                _ = try await searchAll(options, request)
            } throws: { error in
                (error as? LDAPError)?.resultCode == 12  // unavailableCriticalExtension
            }
        }
    }
}
