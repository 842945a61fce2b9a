/// One directory entry as read from the server: its DN and every attribute value as raw bytes.
///
/// Values stay bytes so binary attributes (`objectGUID`) survive; callers decide what is text.
/// Attribute descriptions are stored lower-cased, options included (`member;range=0-1499`).
public struct LDAPEntry: Sendable, Hashable {
    public var dn: String
    public var attributes: [String: [[UInt8]]]

    public init(dn: String, attributes: [String: [[UInt8]]] = [:]) {
        self.dn = dn
        var lowered: [String: [[UInt8]]] = [:]
        lowered.reserveCapacity(attributes.count)
        for (name, values) in attributes { lowered[name.lowercased(), default: []].append(contentsOf: values) }
        self.attributes = lowered
    }

    /// Takes attributes whose names are lower-cased already.
    init(dn: String, loweredAttributes: [String: [[UInt8]]]) {
        self.dn = dn
        self.attributes = loweredAttributes
    }

    /// An attribute description as the server sent it, in lower case (ASCII, as descriptions are).
    static func loweredName(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in bytes.enumerated() {
                buffer[offset] = byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
            }
            return bytes.count
        }
    }

    /// Raw values of an attribute (case-insensitive name); empty when absent.
    public func values(_ name: String) -> [[UInt8]] {
        attributes[name.lowercased()] ?? []
    }

    /// The first value of an attribute, when it is valid UTF-8 text.
    public func string(_ name: String) -> String? {
        values(name).first.flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// All values of an attribute, or `nil` when any of them is not valid UTF-8.
    public func strings(_ name: String) -> [String]? {
        var result: [String] = []
        for value in values(name) {
            guard let text = String(validating: value, as: UTF8.self) else { return nil }
            result.append(text)
        }
        return result
    }
}
