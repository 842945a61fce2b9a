import Foundation

/// A group's member user keys as one blob: ascending, without duplicates, each stored as the LEB128 varint of its
/// distance from the previous key (the first from zero). Sorted keys lie close together, so most take one or two bytes.
enum MemberKeys {
    /// Packs `keys` in any order; duplicates are dropped (membership is a set).
    static func pack(_ keys: [Int64]) -> Data {
        var sorted = keys
        sorted.sort()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.count * 2)
        var previous: Int64 = 0
        var first = true
        for key in sorted where first || key != previous {
            var delta = UInt64(bitPattern: key &- previous)
            while delta >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
                delta >>= 7
            }
            bytes.append(UInt8(delta))
            previous = key
            first = false
        }
        return Data(bytes)
    }

    /// Calls `body` with each key of a blob made by `pack`, in ascending order; `nil` holds no keys.
    static func forEach(in blob: Data?, _ body: (Int64) -> Void) {
        guard let blob else { return }
        blob.withUnsafeBytes { forEach(in: $0, body) }
    }

    /// Calls `body` with each key of the packed bytes, in ascending order.
    @inline(__always)
    static func forEach(in raw: UnsafeRawBufferPointer, _ body: (Int64) -> Void) {
        var key: Int64 = 0
        var delta: UInt64 = 0
        var shift: UInt64 = 0
        for byte in raw {
            delta |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                key = key &+ Int64(bitPattern: delta)
                body(key)
                delta = 0
                shift = 0
            } else {
                shift += 7
            }
        }
    }

    /// Calls `body` with the offset in `sortedKeys` (ascending, no repeats) of each of them the packed bytes hold,
    /// in ascending order; stops decoding past the last of `sortedKeys`.
    static func matches(in raw: UnsafeRawBufferPointer, among sortedKeys: UnsafeBufferPointer<Int64>, _ body: (Int) -> Void) {
        guard let last = sortedKeys.last else { return }
        var next = 0
        var key: Int64 = 0
        var delta: UInt64 = 0
        var shift: UInt64 = 0
        for byte in raw {
            delta |= UInt64(byte & 0x7F) << shift
            guard byte & 0x80 == 0 else {
                shift += 7
                continue
            }
            key = key &+ Int64(bitPattern: delta)
            delta = 0
            shift = 0
            if key > last { return }
            while sortedKeys[next] < key { next += 1 }
            if sortedKeys[next] == key { body(next) }
        }
    }

    /// The keys of a blob made by `pack`.
    static func unpack(_ blob: Data?) -> [Int64] {
        var keys: [Int64] = []
        forEach(in: blob) { keys.append($0) }
        return keys
    }
}
