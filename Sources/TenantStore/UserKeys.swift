import GRDB

/// Finds users' integer keys by id during one write transaction.
///
/// Keys the writer has just seen are remembered; others are looked up one by one until that gets expensive, then all
/// users' keys are read at once (a first sync names every user, a delta only a few).
final class UserKeys {
    /// Point lookups after which reading all keys at once is cheaper.
    static let lookupsBeforeReadingAll = 2_000

    private var known: [String: Int64] = [:]
    private var holdsAll = false
    private var lookups = 0

    init(expected: Int = 0) {
        known.reserveCapacity(expected)
    }

    /// Records the key of a user the writer has just inserted or updated.
    func remember(_ key: Int64, of userId: String) {
        known[userId] = key
    }

    /// The key of the user `userId`, `nil` when the store holds no such user.
    func key(of userId: String, _ db: Database) throws -> Int64? {
        if let key = known[userId] { return key }
        if holdsAll { return nil }
        lookups += 1
        if lookups > Self.lookupsBeforeReadingAll {
            let rows = try Row.fetchCursor(db, sql: "SELECT id, userKey FROM users")
            while let row = try rows.next() {
                known[row[0]] = row[1]
            }
            holdsAll = true
            return known[userId]
        }
        let key = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT userKey FROM users WHERE id = ?"), arguments: [userId])
        if let key { known[userId] = key }
        return key
    }

    /// The key of `userId`, failing as SQLite's foreign key check would when the store holds no such user.
    func existingKey(of userId: String, for what: String, _ db: Database) throws -> Int64 {
        guard let key = try key(of: userId, db) else {
            throw DatabaseError(
                resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY,
                message: "FOREIGN KEY constraint failed: \(what) names user \(userId), which the store does not hold")
        }
        return key
    }
}
