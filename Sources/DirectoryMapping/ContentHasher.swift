import LDAPClient

/// A digest of everything a directory entry is mapped from: its DN and every attribute value it was read with, under
/// the attribute map in use. Two reads of an unchanged entry give the same digest in any process (FNV-1a, not
/// Swift's per-process seeded `Hasher`), so a stored digest tells a later full read that an entry has not changed
/// since it was mapped.
public struct ContentHasher: Sendable {
    /// Changes with the attribute map, and with `version` when the mapping rules change.
    private let seed: UInt64
    /// Raised when `EntryMapper` maps the same entry to something else than before.
    private static let version = "1"

    public init(map: AttributeMap) {
        var hash = Self.offset
        Self.mix("\(Self.version)\u{1F}\(String(describing: map))".utf8, into: &hash)
        seed = hash
    }

    /// The entry's digest; never zero (a store may use zero for "none").
    public func hash(_ entry: LDAPEntry) -> Int64 {
        var hash = seed
        Self.mix(entry.dn.utf8, into: &hash)
        // Attribute names in a fixed order: the entry keeps them in a dictionary.
        for name in entry.attributes.keys.sorted() {
            Self.mix(CollectionOfOne(0x1E), into: &hash)
            Self.mix(name.utf8, into: &hash)
            for value in entry.attributes[name] ?? [] {
                Self.mix(CollectionOfOne(0x1F), into: &hash)
                Self.mix(value, into: &hash)
            }
        }
        let digest = Int64(bitPattern: hash)
        return digest == 0 ? 1 : digest
    }

    private static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    private static func mix(_ bytes: some Sequence<UInt8>, into hash: inout UInt64) {
        var value = hash
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* prime
        }
        hash = value
    }
}
