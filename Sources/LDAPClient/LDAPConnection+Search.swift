import CLDAP

extension LDAPConnection {
    /// Runs a search and hands each entry to `onEntry` as it arrives, so memory stays flat for any result size.
    ///
    /// With `pageSize > 0` the search is paged (RFC 2696) until the server sends the final empty cookie.
    /// A result cut short (size/time/admin limit, referral, paging without a final cookie) throws an
    /// `LDAPError` with `isTruncation == true`; it is never reported as a short success. When `onEntry` throws,
    /// the search is abandoned and the error is rethrown.
    public func search(
        _ request: LDAPSearchRequest, onEntry: (LDAPEntry) throws -> Void
    ) throws -> LDAPSearchSummary {
        var summary = LDAPSearchSummary(entryCount: 0, pageCount: 0)
        var cookie: [UInt8] = []
        while true {
            let messageID = try startSearch(request, cookie: cookie)
            let result = try readResponses(of: messageID, request, summary: &summary, onEntry: onEntry)
            summary.pageCount += 1
            summary.responseControls = result.controls
            try check(result.code, "search", base: request.base, filter: request.filter, diagnostic: result.diagnostic)
            guard request.pageSize > 0 else { return summary }
            guard let next = result.pageCookie else {
                throw makeError(
                    LDAP_CONTROL_NOT_FOUND, "search", base: request.base, filter: request.filter,
                    diagnostic: "page \(summary.pageCount) came without a paged-results response; result incomplete",
                    isTruncation: true)
            }
            if next.isEmpty { return summary }
            cookie = next
        }
    }

    func startSearch(_ request: LDAPSearchRequest, cookie: [UInt8]) throws(LDAPError) -> Int32 {
        let handle = try openHandle("search")
        var controls = try makeControls(request, cookie: cookie, handle: handle)
        defer { for control in controls { if let control { ldap_control_free(control) } } }
        controls.append(nil)
        let attributes = CStringArray(request.attributes)
        var messageID: Int32 = 0
        let code = withExtendedLifetime(attributes) {
            ldap_search_ext(
                handle, request.base, request.scope.libldapValue, request.filter, attributes.pointer, 0,
                &controls, nil, nil, Int32(clamping: request.sizeLimit), &messageID)
        }
        try check(code, "search", base: request.base, filter: request.filter)
        return messageID
    }

    private func makeControls(
        _ request: LDAPSearchRequest, cookie: [UInt8], handle: OpaquePointer
    ) throws(LDAPError) -> [UnsafeMutablePointer<LDAPControl>?] {
        var controls: [UnsafeMutablePointer<LDAPControl>?] = []
        do throws(LDAPError) {
            for control in request.controls {
                var bytes = control.value ?? []
                let code = bytes.withUnsafeMutableBytes { buffer in
                    var value = berval(
                        bv_len: ber_len_t(buffer.count), bv_val: buffer.baseAddress?.assumingMemoryBound(to: CChar.self))
                    var created: UnsafeMutablePointer<LDAPControl>?
                    let hasValue = control.value != nil
                    let code = withUnsafeMutablePointer(to: &value) { value in
                        ldap_control_create(control.oid, control.isCritical ? 1 : 0, hasValue ? value : nil, 1, &created)
                    }
                    controls.append(created)
                    return code
                }
                try check(code, "createControl(\(control.oid))", base: request.base, filter: request.filter)
            }
            if request.pageSize > 0 {
                var bytes = cookie
                let code = bytes.withUnsafeMutableBytes { buffer in
                    var value = berval(
                        bv_len: ber_len_t(buffer.count), bv_val: buffer.baseAddress?.assumingMemoryBound(to: CChar.self))
                    var created: UnsafeMutablePointer<LDAPControl>?
                    let code = withUnsafeMutablePointer(to: &value) { value in
                        ldap_create_page_control(
                            handle, ber_int_t(clamping: request.pageSize), cookie.isEmpty ? nil : value, 0, &created)
                    }
                    controls.append(created)
                    return code
                }
                try check(code, "createControl(pagedResults)", base: request.base, filter: request.filter)
            }
        } catch {
            for control in controls { if let control { ldap_control_free(control) } }
            throw error
        }
        return controls
    }

    /// Reads messages of one search request until its result arrives.
    private func readResponses(
        of messageID: Int32, _ request: LDAPSearchRequest, summary: inout LDAPSearchSummary,
        onEntry: (LDAPEntry) throws -> Void
    ) throws -> LDAPParsedResult {
        do {
            while true {
                let message = try nextMessage(messageID, "search", base: request.base, filter: request.filter)
                switch ber_tag_t(ldap_msgtype(message)) {
                case ber_tag_t(LDAP_RES_SEARCH_RESULT):
                    return try parseResult(message)
                case ber_tag_t(LDAP_RES_SEARCH_ENTRY):
                    defer { ldap_msgfree(message) }
                    let entry = try readEntry(message, request)
                    try onEntry(entry)
                    summary.entryCount += 1
                case ber_tag_t(LDAP_RES_SEARCH_REFERENCE):
                    defer { ldap_msgfree(message) }
                    summary.references += try readReference(message, request)
                default:
                    ldap_msgfree(message)
                }
            }
        } catch {
            if let handle { _ = ldap_abandon_ext(handle, messageID, nil, nil) }
            throw error
        }
    }

    /// Decodes one entry with the streaming BER accessors (no copies of the whole message).
    func readEntry(_ message: OpaquePointer, _ request: LDAPSearchRequest) throws(LDAPError) -> LDAPEntry {
        let handle = try openHandle("search")
        var ber: OpaquePointer?
        var dnValue = berval()
        defer { if let ber { ber_free(ber, 0) } }
        try check(ldap_get_dn_ber(handle, message, &ber, &dnValue), "readEntry", base: request.base, filter: request.filter)
        let dn = String(decoding: UnsafeRawBufferPointer(start: dnValue.bv_val, count: Int(dnValue.bv_len)), as: UTF8.self)
        var attributes: [String: [[UInt8]]] = [:]
        // Sized for the attributes asked for: the table is not grown (and rehashed) attribute by attribute.
        attributes.reserveCapacity(request.attributes.count)
        var name = berval()
        var values: UnsafeMutablePointer<berval>?
        while true {
            let code = ldap_get_attribute_ber(handle, message, ber, &name, &values)
            defer {
                if let allocated = values { ber_memfree(allocated) }
                values = nil
            }
            if code != LDAP_SUCCESS {
                try check(code, "readEntry", base: request.base, filter: request.filter, diagnostic: "entry \(dn)")
            }
            guard name.bv_val != nil else { break }
            var collected: [[UInt8]] = []
            if let values {
                var index = 0
                while values[index].bv_val != nil {
                    collected.append([UInt8](values[index]))
                    index += 1
                }
            }
            let key = LDAPEntry.loweredName(UnsafeRawBufferPointer(start: name.bv_val, count: Int(name.bv_len)))
            // An attribute the server sends twice (with options) gathers its values.
            if let earlier = attributes.updateValue(collected, forKey: key) { attributes[key] = earlier + collected }
        }
        return LDAPEntry(dn: dn, loweredAttributes: attributes)
    }

    private func readReference(_ message: OpaquePointer, _ request: LDAPSearchRequest) throws(LDAPError) -> [String] {
        let handle = try openHandle("search")
        var urls: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let code = ldap_parse_reference(handle, message, &urls, nil, 0)
        defer { if let urls { ber_memvfree(UnsafeMutableRawPointer(urls).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)) } }
        try check(code, "parseReference", base: request.base, filter: request.filter)
        return CStringArray.strings(urls)
    }
}

extension LDAPSearchScope {
    /// LDAP_SCOPE_BASE, LDAP_SCOPE_ONELEVEL, LDAP_SCOPE_SUBTREE.
    var libldapValue: Int32 {
        switch self {
        case .base: 0
        case .oneLevel: 1
        case .subtree: 2
        }
    }
}
