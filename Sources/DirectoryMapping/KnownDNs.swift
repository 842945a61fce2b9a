import Foundation

/// The DNs of the users read so far, as written, with their normalised forms.
///
/// A group's member values mostly name users read just before, written the same way: looked up here by their bytes,
/// they are neither made into strings nor parsed, and they share the user's normalised string. A first sync of
/// 100,000 users looks up about 275,000 member values. The table hashes eight bytes at a time, without a seed: its
/// keys come from the directory the operator configured.
public struct KnownDNs: Sendable {
    /// Every DN's UTF-8 bytes, one after the other; DN `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var normalized: [String] = []
    /// Open addressing with linear probing: 0 is an empty slot, any other value a DN's index plus one.
    private var slots: [Int32] = []

    public init() {}

    /// How many DNs the table holds.
    public var count: Int { normalized.count }

    /// Adds `dn` with its normalised form; a DN added before keeps its first normalised form (the same DN normalises
    /// the same way).
    public mutating func insert(_ dn: String, normalized form: String) {
        var dn = dn
        let hash = dn.withUTF8 { Self.hash(UnsafeRawBufferPointer($0)) }
        if (count + 1) * 2 > slots.count { grow() }
        let found = dn.withUTF8 { slot(of: UnsafeRawBufferPointer($0), hash: hash) }
        guard slots[found] == 0 else { return }
        bytes.append(contentsOf: dn.utf8)
        starts.append(bytes.count)
        hashes.append(hash)
        normalized.append(form)
        slots[found] = Int32(normalized.count)
    }

    /// The normalised form of the DN whose UTF-8 bytes are `value`, when it was added.
    public func normalized(of value: [UInt8]) -> String? {
        guard !slots.isEmpty else { return nil }
        return value.withUnsafeBytes { value in
            let index = slots[slot(of: value, hash: Self.hash(value))]
            return index == 0 ? nil : normalized[Int(index) - 1]
        }
    }

    /// The slot holding the DN `value`, or the empty slot where it would go.
    private func slot(of value: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[position])
            if index == 0 { return position }
            if hashes[index - 1] == hash && equals(index - 1, value) { return position }
            position = (position + 1) & mask
        }
    }

    private func equals(_ index: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let start = starts[index], end = starts[index + 1]
        guard end - start == value.count else { return false }
        return bytes.withUnsafeBytes { stored in
            value.isEmpty || memcmp(stored.baseAddress! + start, value.baseAddress!, value.count) == 0
        }
    }

    private mutating func grow() {
        let capacity = max(1_024, slots.count * 2)
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = Int32(index + 1)
        }
    }

    /// Mixes eight bytes at a time (the tail zero-padded) with multiplications from SplitMix64.
    static func hash(_ value: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(value.count)
        var offset = 0
        while offset + 8 <= value.count {
            hash = mix(hash ^ value.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < value.count {
            var tail: UInt64 = 0
            for (shift, byte) in value[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
