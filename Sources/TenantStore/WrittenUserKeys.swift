import Glibc
import TenantModel

/// The keys of the users a bulk load wrote: the n-th user written has key n.
///
/// A first sync makes its users' ids in ascending order (`ObjectID.makeAscending`) and writes them in that order: a
/// member's place in id order, which the planner knows, is then its key less one (`key(of:place:)`), and an id
/// without a place is found by searching the ids from where the last search ended (licence paths name users in id
/// order, so most searches take a step or two). Building a table of every id cost as much as the look-ups it
/// spared. Users written in another order, or one listed twice, are found through such a table.
struct WrittenUserKeys {
    private let ids: [String]
    private let table: TextTable<Int64>?

    init(_ ordered: [TenantUser]) {
        ids = ordered.map(\.id)
        var ascending = ids.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        for index in ids.indices.dropFirst() where ascending && !(ids[index - 1] < ids[index]) {
            ascending = false
        }
        if ascending {
            table = nil
        } else {
            var table = TextTable<Int64>(minimumCapacity: ordered.count)
            // A user listed twice is one row, under the key of its first listing.
            for (offset, id) in ids.enumerated() { table.insertIfAbsent(Int64(offset + 1), for: id) }
            self.table = table
        }
    }

    /// The key of the user `id`, `nil` when no such user was written. `hint` is where the last search ended: a
    /// search for a larger id starts there.
    func key(of id: String, hint: inout Int) -> Int64? {
        if let table { return table[id] }
        guard !ids.isEmpty else { return nil }
        // By their bytes: String's comparison looks at Unicode first, and ids are ASCII (a table takes any other).
        func isBelow(_ index: Int) -> Bool { Self.precedes(ids[index], id) }
        // Bounds such that ids[below] < id <= ids[notBelow], where -1 and ids.count stand for the ends.
        var below = -1
        var notBelow = ids.count
        if hint < ids.count && isBelow(hint) {
            below = hint
            var step = 1
            while below + step < ids.count && isBelow(below + step) {
                below += step
                step <<= 1
            }
            notBelow = min(below + step, ids.count)
        } else if hint < ids.count && hint > 0 && isBelow(hint - 1) {
            below = hint - 1
            notBelow = hint
        }
        while notBelow - below > 1 {
            let middle = below + (notBelow - below) / 2
            if isBelow(middle) { below = middle } else { notBelow = middle }
        }
        hint = notBelow
        guard notBelow < ids.count && ids[notBelow] == id else { return nil }
        return Int64(notBelow + 1)
    }

    /// The key of the user written `place`-th from zero (`place + 1`) when that user is `id`, else `nil`. The
    /// planner's ids share their storage with the written ones, which then compare at once.
    func key(of id: String, place: Int) -> Int64? {
        place >= 0 && place < ids.count && ids[place] == id ? Int64(place + 1) : nil
    }

    /// Whether `left` sorts before `right` by their UTF-8 bytes (for ASCII, as `String` sorts them).
    private static func precedes(_ left: String, _ right: String) -> Bool {
        let order = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in
                let common = min(leftBytes.count, rightBytes.count)
                let compared = common == 0 ? 0 : memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, common)
                return compared != 0 ? compared < 0 : leftBytes.count < rightBytes.count
            }
        }
        return (order ?? nil) ?? (left < right)
    }
}
