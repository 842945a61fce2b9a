import Foundation
import GRDB
import Testing
@testable import TenantStore

@Suite struct StoreSchemaTests {
    @Test func newFileGetsFolderWalForeignKeysAndAllMigrations() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        #expect(FileManager.default.fileExists(atPath: temp.path))
        try temp.store.pool.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in ["users", "groups", "group_member_users", "group_member_groups", "direct_assignments",
                          "license_paths", "subscriptions", "sync_position", "runs", "licensing_basis"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 1)
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            #expect(applied == ["v1", "v2", "v3"])
        }
        let state = try temp.store.loadState()
        #expect(state.users.isEmpty && state.groups.isEmpty && state.position == nil)
        #expect(state.nextRunId == 1)
    }

    @Test func v3IndexesTheUsersWhoseUPNIsNotASCII() throws {
        let queue = try DatabaseQueue()
        try StoreSchema.migrator.migrate(queue, upTo: "v2")
        try queue.write { db in
            for (key, upn) in [(1, "plain@example.org"), (2, "Dörte@example.org"), (3, "tab\there@example.org")] {
                try db.execute(
                    sql: "INSERT INTO users (userKey, id, upn, accountEnabled, enteredRun) VALUES (?, ?, ?, 1, 1)",
                    arguments: [key, "u\(key)", upn])
            }
        }
        try StoreSchema.migrator.migrate(queue)
        try queue.read { db in
            let keys = try Int64.fetchAll(
                db, sql: "SELECT userKey FROM users INDEXED BY users_non_ascii_upn WHERE \(StoreSchema.nonASCIIUPN)")
            #expect(keys == [2])
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
            #expect(!indexes.contains("users_unusual_upn"))
        }
    }

    @Test func reopeningAMigratedFileKeepsItsData() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(Fixtures.firstSync(), report: Fixtures.report(1))
        let again = try temp.reopen()
        #expect(try again.loadState().users.count == 3)
        #expect(try again.loadState().nextRunId == 2)
    }

    @Test func unopenableFileNamesTheOperation() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        let blocker = temp.folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let error = try #require(throws: StoreError.self) {
            _ = try TenantStore(path: blocker.appendingPathComponent("tenant.sqlite").path)
        }
        #expect(error.operation.hasPrefix("open "))
    }

    /// A large write leaves its WAL: closing does not copy it into the file, a later checkpoint does; the data is
    /// there all along, and the writer's usual settings are back after it.
    @Test func aLargeWriteLeavesItsWALForALaterCheckpoint() throws {
        let temp = try TemporaryStore()
        defer { temp.remove() }
        try temp.store.apply(BulkLoadTests.changes(), report: Fixtures.report(1))
        let settings = try temp.store.pool.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
        }
        #expect(settings.0 == 1)  // NORMAL
        #expect(settings.1 == TenantStore.walCheckpointPages)
        let frames = try temp.store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        let reopened = try temp.reopen()
        #expect(try reopened.loadState().users.count == 12_000)
        let fileSize = { (try? FileManager.default.attributesOfItem(atPath: temp.path)[.size] as? Int) ?? 0 }
        #expect(fileSize() < frames * 4_096 / 2, "copied into the file already")
        try reopened.checkpoint()
        #expect(fileSize() >= frames * 4_096)
        #expect(try temp.reopen().loadState().users.count == 12_000)
    }

}
