import GRDB
import TenantModel

/// Writes the content digests of users and groups whose rows a run does not otherwise write.
enum ContentHashWriter {
    /// Above this many digests, the stored ones are read at once and only those that differ are written.
    static let readStoredAbove = 1_000

    /// The digests of users in `userContentHashes` that are not among `upsertUsers` (those got theirs with the row).
    static func updateUsers(_ changes: TenantChangeSet, _ db: Database) throws {
        try update(table: "users", changes.userContentHashes, except: changes.upsertUsers.map(\.id), db)
    }

    /// The same for groups.
    static func updateGroups(_ changes: TenantChangeSet, _ db: Database) throws {
        try updateGroups(changes.groupContentHashes, except: changes.upsertGroups, db)
    }

    /// The digests in `hashes` of groups other than `written` (those got theirs with the row).
    static func updateGroups(_ hashes: [String: Int64], except written: [TenantGroup], _ db: Database) throws {
        guard !hashes.isEmpty else { return }
        try update(table: "groups", hashes, except: written.map(\.id), db)
    }

    private static func update(table: String, _ hashes: [String: Int64], except written: [String], _ db: Database) throws {
        guard !hashes.isEmpty else { return }
        let upserted = Set(written)
        let rest = hashes.filter { !upserted.contains($0.key) }
        guard !rest.isEmpty else { return }
        let stored = try storedHashes(table: table, above: rest.count, db)
        let statement = try db.cachedStatement(sql: "UPDATE \(table) SET contentHash = ? WHERE id = ? AND contentHash IS NOT ?")
        for (id, hash) in rest {
            if let stored, stored[id] == hash { continue }
            try statement.execute(arguments: [hash, id, hash])
        }
    }

    /// Every row's digest by id when `count` digests are to be written and that is many; `nil` otherwise.
    private static func storedHashes(table: String, above count: Int, _ db: Database) throws -> [String: Int64?]? {
        guard count > readStoredAbove else { return nil }
        var stored: [String: Int64?] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, contentHash FROM \(table)")
        while let row = try rows.next() { stored[row[0]] = .some(row[1]) }
        return stored
    }
}
