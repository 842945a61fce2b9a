import Foundation
import Reporting
import Testing

@Suite struct JournalEncodingTests {
    @Test func simpleValuesUseKeyEqualsValueLines() throws {
        let bytes = try JournalEncoding.encode(JournalEntry([("MESSAGE", "hello"), ("PRIORITY", "6")]))
        #expect(String(decoding: bytes, as: UTF8.self) == "MESSAGE=hello\nPRIORITY=6\n")
    }

    @Test func valuesWithNewlinesUseTheBinarySafeForm() throws {
        let bytes = try JournalEncoding.encode(JournalEntry([("MESSAGE", "a\nb")]))
        let expected: [UInt8] = Array("MESSAGE\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8)
        #expect(bytes == expected)
    }

    @Test(arguments: ["MESSAGE", "TENANTSYNC_RUN_ID", "A1", "X"])
    func acceptsValidFieldNames(_ name: String) {
        #expect(JournalFieldName.isValid(name))
    }

    @Test(arguments: ["", "_PID", "message", "1ABC", "A-B", "A B", String(repeating: "A", count: 65)])
    func rejectsInvalidFieldNames(_ name: String) {
        #expect(!JournalFieldName.isValid(name))
        #expect(throws: InvalidJournalField.self) { try JournalEncoding.encode(JournalEntry([(name, "x")])) }
    }

    @Test func sanitizesMetadataKeysToFieldNames() {
        #expect(JournalFieldName.sanitized("tenantsync_run_id") == "TENANTSYNC_RUN_ID")
        #expect(JournalFieldName.sanitized("ldap.dn") == "LDAP_DN")
        #expect(JournalFieldName.sanitized("_9x") == "X")
        #expect(JournalFieldName.sanitized("__") == nil)
    }
}
