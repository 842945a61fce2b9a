extension DistinguishedName {
    /// The normalised form of an RFC 4514 string: the same as `DistinguishedName(string).normalized`, without
    /// building the RDNs.
    ///
    /// Most DNs are plain ASCII without escapes, `+` or `#`; those are folded in one pass over the bytes, and a DN
    /// that is already in normal form comes back as the same string (its storage shared). Others take the full parser.
    public static func normalize(_ string: String) throws(DistinguishedNameError) -> String {
        if let simple = SimpleDistinguishedName.normalize(string) { return simple }
        return try DistinguishedName(string).normalized
    }

    /// The first pair of the first RDN, as `DistinguishedName(string).rdns.first?.first` gives it, without parsing the
    /// rest when the DN is of the simple shape.
    public static func leafAttribute(_ string: String) throws(DistinguishedNameError) -> DistinguishedNameAttribute? {
        guard SimpleDistinguishedName.normalize(string) != nil else { return try DistinguishedName(string).rdns.first?.first }
        let leaf = string.utf8.split(separator: UInt8(ascii: ","), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let pair = leaf.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
        func trimmed(_ part: Substring.UTF8View.SubSequence) -> String {
            String(decoding: part.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }.reversed(), as: UTF8.self)
        }
        return DistinguishedNameAttribute(type: trimmed(pair[0]), value: trimmed(pair[1]))
    }
}

/// The one-pass normaliser for DNs of the common shape: ASCII, single-valued RDNs, alphabetic attribute types,
/// values free of escapes and of the characters escaping would change.
enum SimpleDistinguishedName {
    /// The normalised form, or `nil` when the DN is not of the simple shape (or malformed): the caller then parses it.
    static func normalize(_ string: String) -> String? {
        let normal = string.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard !bytes.isEmpty else { return nil }
            return normalize(bytes, original: string)
        }
        return normal ?? nil
    }

    private enum Step {
        case normal(unchanged: Bool, length: Int)
        case notSimple
    }

    private static func normalize(_ bytes: UnsafeBufferPointer<UInt8>, original: String) -> String? {
        // First pass: check the shape and whether the string is already normal.
        guard case .normal(let unchanged, _) = scan(bytes, output: nil) else { return nil }
        if unchanged { return original }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            guard case .normal(_, let length) = scan(bytes, output: buffer) else { return 0 }
            return length
        }
    }

    /// Walks `type=value(,type=value)*` with optional spaces around `=` and `,`; writes the normal form to `output`.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>?) -> Step {
        let space = UInt8(ascii: " ")
        var position = 0
        var unchanged = true
        var written = 0
        let count = bytes.count
        func emit(_ byte: UInt8) {
            guard let output else { return }
            output[written] = byte
            written += 1
        }
        while true {
            // Leading spaces of the pair.
            while position < count, bytes[position] == space { position += 1; unchanged = false }
            // The attribute type: a letter, then letters, digits and hyphens.
            let typeStart = position
            while position < count {
                let byte = bytes[position]
                if isLetter(byte) || (position > typeStart && (isDigit(byte) || byte == UInt8(ascii: "-"))) {
                    if isUpper(byte) { unchanged = false }
                    emit(lowered(byte))
                    position += 1
                } else {
                    break
                }
            }
            guard position > typeStart else { return .notSimple }
            while position < count, bytes[position] == space { position += 1; unchanged = false }
            guard position < count, bytes[position] == UInt8(ascii: "=") else { return .notSimple }
            emit(UInt8(ascii: "="))
            position += 1
            while position < count, bytes[position] == space { position += 1; unchanged = false }
            // The value, up to the next `,`; trailing spaces are dropped.
            var pendingSpaces = 0
            while position < count {
                let byte = bytes[position]
                if byte == UInt8(ascii: ",") { break }
                guard isPlainValueByte(byte) else { return .notSimple }
                position += 1
                if byte == space {
                    pendingSpaces += 1
                    continue
                }
                if output != nil { for _ in 0..<pendingSpaces { emit(space) } }
                pendingSpaces = 0
                if isUpper(byte) { unchanged = false }
                emit(lowered(byte))
            }
            if pendingSpaces > 0 { unchanged = false }
            guard position < count else { return .normal(unchanged: unchanged, length: written) }
            // A `,`: another pair must follow.
            emit(UInt8(ascii: ","))
            position += 1
            guard position < count else { return .notSimple }
        }
    }

    /// Bytes a value may hold without escaping in either direction: printable ASCII other than `"#+,;<>\`.
    private static func isPlainValueByte(_ byte: UInt8) -> Bool {
        guard byte >= 0x20 && byte < 0x7f else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "+"), UInt8(ascii: ";"), UInt8(ascii: "<"),
            UInt8(ascii: ">"), UInt8(ascii: "\\"):
            return false
        default:
            return true
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5a }
    private static func lowered(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }
}
