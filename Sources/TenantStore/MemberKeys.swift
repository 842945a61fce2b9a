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
            append(key, after: previous, to: &bytes)
            previous = key
            first = false
        }
        return Data(bytes)
    }

    /// Appends `key` as the varint of its distance from `previous`.
    @inline(__always)
    private static func append(_ key: Int64, after previous: Int64, to bytes: inout [UInt8]) {
        var delta = UInt64(bitPattern: key &- previous)
        while delta >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: delta) | 0x80)
            delta >>= 7
        }
        bytes.append(UInt8(delta))
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

    /// The packed bytes without the keys in `removed`, packed as `pack` would, with how many keys they keep and how
    /// many of `removed` they held. Works on the bytes: a delta taking a few users out of a group of 30,000 neither
    /// unpacks nor sorts its list.
    static func removing(_ removed: Set<Int64>, from raw: UnsafeRawBufferPointer) -> (packed: Data, kept: Int, removed: Int) {
        // Walked along in key order, as the list is: no hashing of each of its keys.
        let removed = removed.sorted()
        var nextRemoved = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var previousKept: Int64 = 0
        var keptCount = 0
        var removedCount = 0
        forEach(in: raw) { key in
            while nextRemoved < removed.count && removed[nextRemoved] < key { nextRemoved += 1 }
            if nextRemoved < removed.count && removed[nextRemoved] == key {
                removedCount += 1
                return
            }
            append(key, after: previousKept, to: &bytes)
            previousKept = key
            keptCount += 1
        }
        return (Data(bytes), keptCount, removedCount)
    }

    /// The keys of a blob made by `pack`.
    static func unpack(_ blob: Data?) -> [Int64] {
        var keys: [Int64] = []
        forEach(in: blob) { keys.append($0) }
        return keys
    }
}

/// A few keys sought in many member lists (`MemberKeys.pack`): a narrow delta's few hundred users among every
/// group's members.
struct SoughtKeys {
    /// The keys, ascending, without repeats.
    let sorted: [Int64]
    /// Bit `k` is set when key `k` is sought: a list's keys are tested one by one, in a table small enough to stay in
    /// the processor's cache, instead of a search among the sought keys for each of them (5 ms of a delta, 275,000
    /// member values against 400 users). `nil` when the largest key would make the table too large.
    private let bits: [UInt64]?

    /// The largest key the table covers: 8 MB of bits.
    static let tableLimit: Int64 = 1 << 26

    init(_ keys: [Int64]) {
        sorted = Array(Set(keys)).sorted()
        guard let last = sorted.last, last <= Self.tableLimit else {
            bits = nil
            return
        }
        var bits = [UInt64](repeating: 0, count: Int(last >> 6) + 1)
        for key in sorted where key >= 0 { bits[Int(key >> 6)] |= 1 << UInt64(key & 63) }
        self.bits = bits
    }

    /// Calls `body` with the offset in `sorted` of each sought key the packed bytes hold, in ascending order; stops
    /// decoding past the last sought key.
    func matches(in raw: UnsafeRawBufferPointer, _ body: (Int) -> Void) {
        guard let last = sorted.last else { return }
        sorted.withUnsafeBufferPointer { sorted in
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
                if key >= 0, isSought(key), let offset = Self.offset(of: key, in: sorted) { body(offset) }
            }
        }
    }

    @inline(__always)
    private func isSought(_ key: Int64) -> Bool {
        guard let bits else { return true }  // the search decides
        return bits[Int(key >> 6)] & (1 << UInt64(key & 63)) != 0
    }

    private static func offset(of key: Int64, in sorted: UnsafeBufferPointer<Int64>) -> Int? {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = low + (high - low) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key ? low : nil
    }
}
