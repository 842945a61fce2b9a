import GRDB
import GRDBSQLite

/// A cached query whose rows are read through SQLite's C interface, for loops over whole tables (every group and
/// member list of the tenant, which each narrow delta reads): GRDB's rows look every column up by protocol.
///
/// Only on the queue of `db`, within the read or write the caller holds; columns are read between `next()` calls.
struct BulkQuery {
    private let statement: Statement
    private let db: Database

    init(_ db: Database, sql: String) throws {
        self.statement = try db.cachedStatement(sql: sql)
        self.db = db
        sqlite3_reset(statement.sqliteStatement)
    }

    /// Steps to the next row; `false` after the last one, the query then being ready to run again.
    func next() throws -> Bool {
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            sqlite3_reset(statement.sqliteStatement)
            return false
        case let code:
            sqlite3_reset(statement.sqliteStatement)
            throw BulkStatement.error(code, statement, db)
        }
    }

    /// The column as text (`""` for NULL).
    func text(_ column: Int32) -> String {
        guard let start = sqlite3_column_text(statement.sqliteStatement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.sqliteStatement, column))
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement.sqliteStatement, column)
    }

    /// Calls `body` with the column's bytes (empty for NULL), valid only during the call.
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = sqlite3_column_blob(statement.sqliteStatement, column)
        let count = Int(sqlite3_column_bytes(statement.sqliteStatement, column))
        return try body(UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count))
    }
}
