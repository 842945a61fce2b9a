/// The few BER/DER pieces the sync controls need (RFC 4533 values are small, definite-length structures).
enum BER {
    /// A malformed BER value.
    struct DecodingError: Error {
        var reason: String
    }

    /// Encodes one TLV with a definite length.
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    private static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var remaining = count
        while remaining > 0 {
            bytes.insert(UInt8(remaining & 0xff), at: 0)
            remaining >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// Reads TLVs one after another from a byte string.
    struct Reader {
        private let bytes: [UInt8]
        private var position: Int

        init(_ bytes: some Collection<UInt8>) {
            self.bytes = Array(bytes)
            self.position = 0
        }

        var isAtEnd: Bool { position >= bytes.count }

        /// The tag of the next element, without consuming it.
        var nextTag: UInt8? { isAtEnd ? nil : bytes[position] }

        /// Consumes the next element and returns its tag and content.
        mutating func read() throws(DecodingError) -> (tag: UInt8, content: [UInt8]) {
            guard position + 2 <= bytes.count else { throw DecodingError(reason: "truncated element") }
            let tag = bytes[position]
            var length = Int(bytes[position + 1])
            position += 2
            if length & 0x80 != 0 {
                let count = length & 0x7f
                guard count > 0, count <= 4, position + count <= bytes.count else {
                    throw DecodingError(reason: "bad length")
                }
                length = bytes[position..<position + count].reduce(0) { $0 << 8 | Int($1) }
                position += count
            }
            guard position + length <= bytes.count else { throw DecodingError(reason: "element overruns value") }
            defer { position += length }
            return (tag, Array(bytes[position..<position + length]))
        }

        /// Consumes the next element when it has `tag`.
        mutating func read(ifTag tag: UInt8) throws(DecodingError) -> [UInt8]? {
            guard nextTag == tag else { return nil }
            return try read().content
        }
    }
}
