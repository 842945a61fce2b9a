import CLDAP

/// The parts of an LDAP result message the client uses.
struct LDAPParsedResult {
    var code: Int32
    var diagnostic: String?
    var controls: [LDAPControlValue]
    /// The RFC 2696 cookie when the result carried a paged-results response control.
    var pageCookie: [UInt8]?
}

let pagedResultsOID = "1.2.840.113556.1.4.319"

extension LDAPConnection {
    /// The one place that turns a libldap return code into an `LDAPError`; every call goes through it.
    ///
    /// Accepts both `LDAP_SUCCESS` and `LDAP_OPT_SUCCESS` (both zero). Without an explicit diagnostic it takes
    /// libldap's diagnostic message from the handle.
    func check(
        _ code: Int32, _ operation: String, base: String? = nil, filter: String? = nil, diagnostic: String? = nil,
        isTruncation: Bool? = nil
    ) throws(LDAPError) {
        guard code != LDAP_SUCCESS else { return }
        throw makeError(code, operation, base: base, filter: filter, diagnostic: diagnostic, isTruncation: isTruncation)
    }

    /// An `LDAPError` for this connection; without an explicit diagnostic it takes the handle's.
    func makeError(
        _ code: Int32, _ operation: String, base: String? = nil, filter: String? = nil, diagnostic: String? = nil,
        isTruncation: Bool? = nil
    ) -> LDAPError {
        LDAPError(
            resultCode: code, diagnosticMessage: diagnostic ?? handleDiagnostic(), operation: operation,
            url: options.url, base: base, filter: filter, isTruncation: isTruncation)
    }

    /// The handle as a non-nil pointer, or the error for using a closed connection.
    func openHandle(_ operation: String) throws(LDAPError) -> OpaquePointer {
        guard let handle else {
            throw LDAPError(
                resultCode: LDAP_CONNECT_ERROR, diagnosticMessage: "the connection is closed", operation: operation,
                url: options.url)
        }
        return handle
    }

    /// Waits up to the operation timeout for the next message of `messageID`; the caller frees it.
    ///
    /// Waits in slices of a quarter second so that the work of a cancelled task (`LDAPWorker`) ends promptly: the
    /// request is abandoned and the error has `isCancellation` set.
    func nextMessage(
        _ messageID: Int32, _ operation: String, base: String? = nil, filter: String? = nil
    ) throws(LDAPError) -> OpaquePointer {
        let handle = try openHandle(operation)
        var waited: Duration = .zero
        while true {
            if LDAPWorker.currentWorkIsCancelled {
                _ = ldap_abandon_ext(handle, messageID, nil, nil)
                throw makeError(LDAP_USER_CANCELLED, operation, base: base, filter: filter, diagnostic: "cancelled")
            }
            let slice = min(Self.waitSlice, options.operationTimeout - waited)
            var timeout = timeval(slice)
            var message: OpaquePointer?
            let type = ldap_result(handle, messageID, LDAP_MSG_ONE, &timeout, &message)
            if type > 0, let message { return message }
            guard type == 0 else { throw makeError(resultCodeOfHandle(), operation, base: base, filter: filter) }
            waited += slice
            if waited >= options.operationTimeout {
                _ = ldap_abandon_ext(handle, messageID, nil, nil)
                throw makeError(
                    LDAP_TIMEOUT, operation, base: base, filter: filter,
                    diagnostic: "no response within \(options.operationTimeout)")
            }
        }
    }

    /// How long one `ldap_result` call waits before the cancellation flag is looked at again.
    private static let waitSlice: Duration = .milliseconds(250)

    /// Parses and frees a result message: code, diagnostic, response controls and any paged-results cookie.
    func parseResult(_ message: OpaquePointer) throws(LDAPError) -> LDAPParsedResult {
        let handle = try openHandle("parseResult")
        var code: Int32 = 0
        var diagnostic: UnsafeMutablePointer<CChar>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<LDAPControl>?>?
        let parsed = ldap_parse_result(handle, message, &code, nil, &diagnostic, nil, &controls, 1)
        defer {
            if let diagnostic { ldap_memfree(diagnostic) }
            if let controls { ldap_controls_free(controls) }
        }
        try check(parsed, "parseResult")
        var result = LDAPParsedResult(code: code, diagnostic: diagnostic.map { String(cString: $0) }, controls: [])
        guard let controls else { return result }
        var index = 0
        while let control = controls[index] {
            index += 1
            let value = LDAPControlValue(control.pointee)
            result.controls.append(value)
            if value.oid == pagedResultsOID {
                result.pageCookie = try pageCookie(of: control, handle: handle)
            }
        }
        return result
    }

    private func pageCookie(of control: UnsafeMutablePointer<LDAPControl>, handle: OpaquePointer)
        throws(LDAPError) -> [UInt8]
    {
        var estimate: ber_int_t = 0
        var cookie = berval()
        try check(ldap_parse_pageresponse_control(handle, control, &estimate, &cookie), "parsePagedResults")
        defer { if let bytes = cookie.bv_val { ber_memfree(bytes) } }
        return [UInt8](cookie)
    }

    /// libldap's diagnostic message on the handle, if any.
    func handleDiagnostic() -> String? {
        guard let handle else { return nil }
        var message: UnsafeMutablePointer<CChar>?
        guard ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message) == LDAP_OPT_SUCCESS, let message
        else { return nil }
        defer { ldap_memfree(message) }
        return String(cString: message)
    }

    private func resultCodeOfHandle() -> Int32 {
        var code: Int32 = LDAP_OTHER
        if let handle { _ = ldap_get_option(handle, LDAP_OPT_RESULT_CODE, &code) }
        return code == LDAP_SUCCESS ? LDAP_OTHER : code
    }
}

extension [UInt8] {
    /// The bytes of a `berval` (copied).
    init(_ value: berval) {
        guard let bytes = value.bv_val, value.bv_len > 0 else {
            self = []
            return
        }
        self = Array(UnsafeRawBufferPointer(start: bytes, count: Int(value.bv_len)))
    }
}

extension LDAPControlValue {
    /// A copy of a libldap control.
    init(_ control: LDAPControl) {
        self.init(
            oid: control.ldctl_oid.map { String(cString: $0) } ?? "",
            isCritical: control.ldctl_iscritical != 0,
            value: control.ldctl_value.bv_val == nil ? nil : [UInt8](control.ldctl_value))
    }
}
