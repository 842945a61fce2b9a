import LDAPClient

/// A digest of everything a directory entry is mapped from: its DN and every attribute value it was read with, under
/// the attribute map in use. Two reads of an unchanged entry give the same digest in any process (FNV-1a, not
/// Swift's per-process seeded `Hasher`), so a stored digest tells a later full read that an entry has not changed
/// since it was mapped.
public struct ContentHasher: Sendable {
    /// Changes with the attribute map, and with `version` when the mapping rules change.
    private let seed: UInt64
    /// Raised whenever `EntryMapper` (or the DN normaliser, or the text rules it applies) would map the same entry
    /// to something else than before: stored digests then no longer match, and every entry is mapped again.
    private static let version = "1"

    /// A hasher for entries read and mapped with `map`.
    public init(map: AttributeMap) {
        var hash = Self.offset
        Self.mix("\(Self.version)\u{1F}\(String(describing: map))".utf8, into: &hash)
        seed = hash
    }

    /// The entry's digest; never zero or `Int64.min` (a store may use those for "none" and "seen").
    public func hash(_ entry: LDAPEntry) -> Int64 {
        var hash = seed
        Self.mix(entry.dn.utf8, into: &hash)
        // The entry keeps its attributes in a dictionary, whose order differs between processes: each attribute is
        // digested on its own and the digests are added, which does not depend on the order.
        var attributes: UInt64 = 0
        for (name, values) in entry.attributes {
            var part = Self.offset
            Self.mix(name.utf8, into: &part)
            for value in values {
                // The length first: ["a\u{1F}b"] and ["a", "b"] must differ.
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: value.count).littleEndian) { Self.mix($0, into: &part) }
                Self.mix(value, into: &part)
            }
            attributes = attributes &+ Self.finish(part)
        }
        let digest = Int64(bitPattern: Self.finish(hash ^ attributes))
        return digest == 0 || digest == .min ? 1 : digest
    }

    /// Spreads every input bit over the output (the finaliser of MurmurHash3), so that sums of digests do not
    /// cancel out in the low bits.
    private static func finish(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed ^= mixed >> 33
        mixed = mixed &* 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        mixed = mixed &* 0xc4ce_b9fe_1a85_ec53
        mixed ^= mixed >> 33
        return mixed
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
