/// A set of users by their number in one evaluation, one bit each; the bits are allocated on the first insert, so
/// a set that stays empty costs nothing.
struct UserBits {
    private var words: [UInt64] = []
    private let capacity: Int

    /// An empty set for user numbers `0..<capacity`.
    init(capacity: Int) { self.capacity = capacity }

    func contains(_ user: Int) -> Bool {
        !words.isEmpty && words[user >> 6] & (1 << UInt64(user & 63)) != 0
    }

    mutating func insert(_ user: Int) {
        if words.isEmpty { words = [UInt64](repeating: 0, count: (capacity + 63) >> 6) }
        words[user >> 6] |= 1 << UInt64(user & 63)
    }

    mutating func remove(_ user: Int) {
        guard !words.isEmpty else { return }
        words[user >> 6] &= ~(1 << UInt64(user & 63))
    }

    /// How many users are in this set or the other one.
    func unionCount(_ other: UserBits) -> Int {
        if words.isEmpty { return other.words.reduce(0) { $0 + $1.nonzeroBitCount } }
        if other.words.isEmpty { return words.reduce(0) { $0 + $1.nonzeroBitCount } }
        var count = 0
        for index in words.indices { count += (words[index] | other.words[index]).nonzeroBitCount }
        return count
    }
}
