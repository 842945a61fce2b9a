import Foundation

/// A table from strings to values, for the run's largest lookups: DNs, anchors and object ids, hundreds of thousands
/// of them in a first sync of 100,000 users.
///
/// Against a `Dictionary` it saves most of the hashing: keys are hashed eight bytes at a time, without `Hasher`'s
/// per-process seed (keys come from the directory and the store the operator runs, not from strangers), and a key
/// can be looked up by its UTF-8 bytes without being made into a string. It only grows: there is no removal.
///
/// Keys match when their UTF-8 bytes do, as in SQLite and in the directory; a `Dictionary` also matches two
/// spellings that Unicode holds equivalent (composed and decomposed accents).
///
/// Its code is inlinable so that other modules get it specialised for their value type, as they get `Dictionary`.
public struct TextTable<Value> {
    @usableFromInline var keys: [String] = []
    @usableFromInline var values: [Value] = []
    @usableFromInline var hashes: [UInt64] = []
    /// Open addressing with linear probing: 0 is an empty slot, any other value an entry's index plus one.
    @usableFromInline var slots: [Int32] = []

    /// - Parameter minimumCapacity: how many keys to make room for at once.
    @inlinable public init(minimumCapacity: Int = 0) {
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
        hashes.reserveCapacity(minimumCapacity)
        if minimumCapacity > 0 { rehash(capacity: Self.capacity(for: minimumCapacity)) }
    }

    /// How many keys the table holds.
    @inlinable public var count: Int { keys.count }

    @inlinable public var isEmpty: Bool { keys.isEmpty }

    /// The value of `key`, or `nil`.
    @inlinable public subscript(key: String) -> Value? {
        Self.withUTF8(key) { value(forUTF8: $0) }
    }

    /// The value of the key whose UTF-8 bytes are `bytes`, or `nil`.
    @inlinable public func value(forUTF8 bytes: [UInt8]) -> Value? {
        bytes.withUnsafeBytes { value(forUTF8: $0) }
    }

    /// The value of the key whose UTF-8 bytes are `bytes`, or `nil`.
    @inlinable public func value(forUTF8 bytes: UnsafeRawBufferPointer) -> Value? {
        guard !slots.isEmpty else { return nil }
        let index = slots[slot(of: bytes, hash: Self.hash(bytes))]
        return index == 0 ? nil : values[Int(index) - 1]
    }

    /// Sets the value of `key`, replacing the one it had, as a dictionary's subscript does.
    @inlinable public mutating func set(_ value: Value, for key: String) {
        let (position, hash) = prepareSlot(for: key)
        let index = Int(slots[position])
        if index != 0 {
            values[index - 1] = value
        } else {
            append(key, value, hash: hash, at: position)
        }
    }

    /// Adds `key` with `value` unless the table has it: the first value stays. Returns whether it was added.
    @discardableResult
    @inlinable public mutating func insertIfAbsent(_ value: Value, for key: String) -> Bool {
        let (position, hash) = prepareSlot(for: key)
        guard slots[position] == 0 else { return false }
        append(key, value, hash: hash, at: position)
        return true
    }

    /// The slot of `key` (occupied when the table has it) and its hash, with room for one more key.
    @inlinable mutating func prepareSlot(for key: String) -> (position: Int, hash: UInt64) {
        if (count + 1) * 2 > slots.count { rehash(capacity: Self.capacity(for: count + 1)) }
        return Self.withUTF8(key) { bytes in
            let hash = Self.hash(bytes)
            return (slot(of: bytes, hash: hash), hash)
        }
    }

    @inlinable mutating func append(_ key: String, _ value: Value, hash: UInt64, at position: Int) {
        keys.append(key)
        values.append(value)
        hashes.append(hash)
        slots[position] = Int32(keys.count)
    }

    /// The slot holding the key `bytes`, or the empty slot where it would go.
    @inlinable func slot(of bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[position])
            if index == 0 { return position }
            if hashes[index - 1] == hash && Self.withUTF8(keys[index - 1], { Self.equal($0, bytes) }) { return position }
            position = (position + 1) & mask
        }
    }

    @inlinable mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, hash) in hashes.enumerated() {
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] != 0 { position = (position + 1) & mask }
            slots[position] = Int32(index + 1)
        }
    }

    /// A power of two at least twice `count`: probes stay short.
    @inlinable static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity < count * 2 { capacity *= 2 }
        return capacity
    }

    @inlinable static func equal(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
    }

    @inlinable static func withUTF8<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return result }
        var copy = text
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    /// Mixes eight bytes at a time (the last ones zero-padded) with SplitMix64's finaliser; the length seeds it.
    @inlinable static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for (shift, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    @inlinable static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension TextTable: Sendable where Value: Sendable {}
