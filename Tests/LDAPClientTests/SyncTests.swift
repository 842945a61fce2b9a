import LDAPClient
import TestSupport
import Testing

/// The UUIDs a client knows after applying one refresh to what it knew before (RFC 4533 semantics).
private func apply(_ events: [LDAPSyncEvent], _ summary: LDAPSyncSummary, to known: Set<[UInt8]>) -> Set<[UInt8]> {
    var present = Set<[UInt8]>()
    var deleted = Set<[UInt8]>()
    for event in events {
        switch event {
        case .entry(_, let uuid, .delete): deleted.insert(uuid)
        case .entry(_, let uuid, _): present.insert(uuid)
        case .deleted(let uuids): deleted.formUnion(uuids)
        case .present(let uuids): present.formUnion(uuids)
        }
    }
    return summary.refreshDeletes ? known.union(present).subtracting(deleted) : present
}

private func refresh(
    _ server: SlapdServer, cookie: [UInt8]?
) async throws -> (events: [LDAPSyncEvent], summary: LDAPSyncSummary) {
    let options = adminOptions(server)
    let request = LDAPSyncRequest(base: server.baseDN, filter: "(uid=*)", cookie: cookie)
    return try await LDAPWorker.run {
        let connection = try LDAPConnection.open(options)
        var events: [LDAPSyncEvent] = []
        let summary = try connection.syncRefreshOnly(request) { events.append($0) }
        return (events, summary)
    }
}

private func changedUIDs(_ events: [LDAPSyncEvent]) -> Set<String> {
    Set(events.compactMap { event -> String? in
        guard case .entry(let entry, _, .add) = event else { return nil }
        return entry.string("uid")
    })
}

@Suite struct SyncTests {
    @Test func refreshOnlyDeliversChangesAndDeletesAcrossARestart() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 5)) { server in
            let initial = try await refresh(server, cookie: nil)
            #expect(initial.summary.entryCount == 5)
            #expect(changedUIDs(initial.events).count == 5)
            var known = apply(initial.events, initial.summary, to: [])
            #expect(known.count == 5)
            let firstCookie = try #require(initial.summary.cookie)

            try server.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user1"))
                changetype: modify
                replace: mail
                mail: changed@example.org

                dn: \(LDIFBuilder.userDN("user2"))
                changetype: delete

                """ + "\n" + LDIFBuilder.user(uid: "user6").ldif)
            let delta = try await refresh(server, cookie: firstCookie)
            #expect(changedUIDs(delta.events) == ["user1", "user6"])
            known = apply(delta.events, delta.summary, to: known)
            #expect(known.count == 5)  // 5 - user2 + user6
            let secondCookie = try #require(delta.summary.cookie)
            #expect(secondCookie != firstCookie)

            try await server.restart()
            try server.modify(ldif: "dn: \(LDIFBuilder.userDN("user3"))\nchangetype: delete\n")
            let afterRestart = try await refresh(server, cookie: secondCookie)
            known = apply(afterRestart.events, afterRestart.summary, to: known)

            let fresh = try await refresh(server, cookie: nil)
            #expect(known == apply(fresh.events, fresh.summary, to: []))
            #expect(known.count == 4)
        }
    }

    /// Two refreshes sent at once on one connection, then read one after the other, bring what each would alone;
    /// one that fails leaves the other's answer readable.
    @Test func refreshesUnderWayTogetherAnswerAsEachAlone() async throws {
        try await SlapdServer.with(ldif: LDIFBuilder.directory(userCount: 6)) { server in
            let initial = try await refresh(server, cookie: nil)
            let cookie = try #require(initial.summary.cookie)
            try server.modify(ldif: """
                dn: \(LDIFBuilder.userDN("user4"))
                changetype: modify
                replace: mail
                mail: changed@example.org

                dn: \(LDIFBuilder.userDN("user5"))
                changetype: delete

                """)
            let alone = try await refresh(server, cookie: cookie)
            let options = adminOptions(server)
            let byUID = LDAPSyncRequest(base: server.baseDN, filter: "(uid=*)", cookie: cookie)
            let fromScratch = LDAPSyncRequest(base: server.baseDN, filter: "(uid=user1)")
            let refused = LDAPSyncRequest(base: "ou=nowhere," + server.baseDN, filter: "(uid=*)", cookie: cookie)
            let (together, first, failure) = try await LDAPWorker.run {
                let connection = try LDAPConnection.open(options)
                let pending = [byUID, fromScratch, refused].map { try? connection.startSync($0) }
                var events: [LDAPSyncEvent] = []
                var scratch: [LDAPSyncEvent] = []
                let summary = try connection.finishSync(pending[0]!) { events.append($0) }
                _ = try connection.finishSync(pending[1]!) { scratch.append($0) }
                let failure = (try? connection.finishSync(pending[2]!) { _ in }) == nil
                return ((events, summary), scratch, failure)
            }
            #expect(changedUIDs(together.0) == changedUIDs(alone.events))
            #expect(changedUIDs(together.0) == ["user4"])
            #expect(apply(together.0, together.1, to: apply(initial.events, initial.summary, to: []))
                == apply(alone.events, alone.summary, to: apply(initial.events, initial.summary, to: [])))
            #expect(changedUIDs(first) == ["user1"])
            #expect(failure)
        }
    }
}
