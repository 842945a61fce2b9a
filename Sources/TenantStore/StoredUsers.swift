import GRDB
import TenantModel

/// All users, sorted by id, with a table from each user's integer key to its position.
struct StoredUsers {
    private(set) var users: [TenantUser] = []
    /// Position in `users` by key; -1 where no user has that key.
    private var indexByKey: [Int32] = []

    init(_ db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0
        let largestKey = try Int64.fetchOne(db, sql: "SELECT max(userKey) FROM users") ?? 0
        users.reserveCapacity(count)
        indexByKey = [Int32](repeating: -1, count: Int(largestKey) + 1)
        // `+id` keeps SQLite from walking the id index, which would seek into the table once per user in key order:
        // a table scan and a sort are cheaper. A mail equal to the UPN (the common case) is not read but shares
        // the UPN's storage.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT userKey, id, upn, displayName, nullif(mail, upn), usageLocation, accountEnabled, anchor, dn,
                deletedDateTime, enteredRun, coalesce(mail = upn, 0)
            FROM users ORDER BY +id
            """)
        while let row = try rows.next() {
            let key: Int64 = row[0]
            indexByKey[Int(key)] = Int32(users.count)
            var user = StateReader.user(row, from: 1)
            if row[11] as Bool {
                user.mail = user.userPrincipalName
            }
            users.append(user)
        }
    }

    /// The position of the user with `key` in `users`, `nil` if there is none.
    func index(ofKey key: Int64) -> Int32? {
        guard key >= 0, key < indexByKey.count else { return nil }
        let index = indexByKey[Int(key)]
        return index < 0 ? nil : index
    }
}
