import CLDAP

extension LDAPConnection {
    /// Runs an RFC 4533 refreshOnly sync and hands each entry, deleted-UUID set and present-UUID set to `onEvent`.
    ///
    /// Never combine this with paging (servers silently truncate). A server that cannot serve the cookie any more
    /// fails with result code 4096 (e-syncRefreshRequired): do a full read. Save `LDAPSyncSummary.cookie` only
    /// after the changes it covers are stored.
    public func syncRefreshOnly(
        _ request: LDAPSyncRequest, onEvent: (LDAPSyncEvent) throws -> Void
    ) throws -> LDAPSyncSummary {
        try finishSync(try startSync(request), onEvent: onEvent)
    }

    /// Sends a refreshOnly sync request without waiting for its answer, so that several can be under way on the
    /// connection at once (the server works on them together); `finishSync` then reads each answer. Answers to
    /// another request that arrive meanwhile wait in libldap, in memory: only for small answers, such as deltas.
    public func startSync(_ request: LDAPSyncRequest) throws(LDAPError) -> LDAPPendingSync {
        let search = LDAPSearchRequest(
            base: request.base, scope: request.scope, filter: request.filter, attributes: request.attributes,
            controls: [
                LDAPControlValue(
                    oid: SyncProtocol.requestOID, isCritical: true,
                    value: SyncProtocol.requestValue(cookie: request.cookie))
            ])
        return LDAPPendingSync(request: request, search: search, messageID: try startSearch(search, cookie: []))
    }

    /// Reads the answer to a request `startSync` sent (see `syncRefreshOnly`). On failure the request is abandoned.
    public func finishSync(_ pending: LDAPPendingSync, onEvent: (LDAPSyncEvent) throws -> Void) throws -> LDAPSyncSummary {
        let request = pending.request
        let messageID = pending.messageID
        var summary = LDAPSyncSummary(cookie: request.cookie, refreshDeletes: false, entryCount: 0)
        do {
            while true {
                let message = try nextMessage(messageID, "sync", base: request.base, filter: request.filter)
                switch ber_tag_t(ldap_msgtype(message)) {
                case ber_tag_t(LDAP_RES_SEARCH_RESULT):
                    let result = try parseResult(message)
                    try check(result.code, "sync", base: request.base, filter: request.filter,
                        diagnostic: result.diagnostic)
                    if let done = result.controls.first(where: { $0.oid == SyncProtocol.doneOID }) {
                        try readSyncDone(done.value ?? [], into: &summary)
                    }
                    return summary
                case ber_tag_t(LDAP_RES_SEARCH_ENTRY):
                    defer { ldap_msgfree(message) }
                    // Controls first: reading the attributes consumes the message's BER.
                    let (state, uuid, cookie) = try syncState(of: message, request)
                    let entry = try readEntry(message, pending.search)
                    if let cookie { summary.cookie = cookie }
                    try onEvent(.entry(entry, uuid: uuid, state: state))
                    summary.entryCount += 1
                case ber_tag_t(LDAP_RES_INTERMEDIATE):
                    defer { ldap_msgfree(message) }
                    if let event = try readSyncInfo(message, request, summary: &summary) { try onEvent(event) }
                default:
                    ldap_msgfree(message)
                }
            }
        } catch {
            if let handle { _ = ldap_abandon_ext(handle, messageID, nil, nil) }
            throw error
        }
    }

    private func syncState(
        of message: OpaquePointer, _ request: LDAPSyncRequest
    ) throws(LDAPError) -> (LDAPSyncState, [UInt8], [UInt8]?) {
        let handle = try openHandle("sync")
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        try check(ldap_get_entry_controls(handle, message, &controls), "sync", base: request.base)
        defer { if let controls { ldap_controls_free(controls) } }
        var index = 0
        while let control = controls?[index] {
            index += 1
            let value = LDAPControlValue(control.pointee)
            guard value.oid == SyncProtocol.stateOID else { continue }
            do throws(BER.DecodingError) {
                var outer = BER.Reader(value.value ?? [])
                var reader = BER.Reader(try outer.read().content)
                let stateByte = try reader.read().content.last ?? 255
                let uuid = try reader.read().content
                let cookie = try reader.read(ifTag: 0x04)
                guard let state = LDAPSyncState(rawValue: Int(stateByte)) else {
                    throw BER.DecodingError(reason: "unknown sync state \(stateByte)")
                }
                return (state, uuid, cookie)
            } catch {
                throw syncProtocolError("bad Sync State control: \(error.reason)", request)
            }
        }
        throw syncProtocolError("entry without a Sync State control (\(index) controls)", request)
    }

    /// syncInfoValue: newcookie [0], refreshDelete [1], refreshPresent [2], syncIdSet [3].
    private func readSyncInfo(
        _ message: OpaquePointer, _ request: LDAPSyncRequest, summary: inout LDAPSyncSummary
    ) throws(LDAPError) -> LDAPSyncEvent? {
        let handle = try openHandle("sync")
        var oid: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<berval>?
        try check(ldap_parse_intermediate(handle, message, &oid, &data, nil, 0), "sync", base: request.base)
        defer {
            if let oid { ldap_memfree(oid) }
            if let data { ber_bvfree(data) }
        }
        guard oid.map({ String(cString: $0) }) == SyncProtocol.infoOID, let data else { return nil }
        do throws(BER.DecodingError) {
            var outer = BER.Reader([UInt8](data.pointee))
            let (tag, content) = try outer.read()
            switch tag {
            case 0x80:
                summary.cookie = content
                return nil
            case 0xa1, 0xa2:
                var reader = BER.Reader(content)
                if let cookie = try reader.read(ifTag: 0x04) { summary.cookie = cookie }
                summary.refreshDeletes = tag == 0xa1
                return nil
            case 0xa3:
                var reader = BER.Reader(content)
                if let cookie = try reader.read(ifTag: 0x04) { summary.cookie = cookie }
                let deletes = try reader.read(ifTag: 0x01).map { $0.last != 0 } ?? false
                var set = BER.Reader(try reader.read().content)
                var uuids: [[UInt8]] = []
                while !set.isAtEnd { uuids.append(try set.read().content) }
                return deletes ? .deleted(uuids: uuids) : .present(uuids: uuids)
            default:
                throw BER.DecodingError(reason: "unknown syncInfo tag \(tag)")
            }
        } catch {
            throw syncProtocolError("bad Sync Info message: \(error.reason)", request)
        }
    }

    /// syncDoneValue ::= SEQUENCE { cookie OCTET STRING OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }
    private func readSyncDone(_ value: [UInt8], into summary: inout LDAPSyncSummary) throws(LDAPError) {
        do throws(BER.DecodingError) {
            var outer = BER.Reader(value)
            var reader = BER.Reader(try outer.read().content)
            if let cookie = try reader.read(ifTag: 0x04) { summary.cookie = cookie }
            summary.refreshDeletes = try reader.read(ifTag: 0x01).map { $0.last != 0 } ?? false
        } catch {
            throw makeError(LDAP_DECODING_ERROR, "sync", diagnostic: "bad Sync Done control: \(error.reason)")
        }
    }

    private func syncProtocolError(_ reason: String, _ request: LDAPSyncRequest) -> LDAPError {
        makeError(LDAP_DECODING_ERROR, "sync", base: request.base, filter: request.filter, diagnostic: reason)
    }
}
