import Testing

@testable import SyncEngine

@Suite struct EntryUUIDTests {
    /// A deleted entry's UUID from the sync protocol reads as the `entryUUID` attribute does.
    @Test func sixteenBytesReadAsTheAttributeDoes() {
        let bytes: [UInt8] = [0x6d, 0x1f, 0x0a, 0x3c, 0x9b, 0x2e, 0x10, 0x3f, 0x8a, 0x01, 0xff, 0x00, 0x12, 0x34, 0x56, 0x78]
        #expect(EntryUUID.text(bytes) == "6d1f0a3c-9b2e-103f-8a01-ff0012345678")
        #expect(EntryUUID.text([0xab, 0x01]) == "ab01")
        #expect(EntryUUID.text([]) == "")
    }
}
