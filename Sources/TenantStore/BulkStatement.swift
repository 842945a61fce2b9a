import GRDB
import GRDBSQLite

/// A cached statement that the writer's bulk loops bind and step through SQLite's C interface.
///
/// GRDB's argument arrays box every value and its statement hooks run for every row; a first sync writes about
/// 150,000 rows, and there that bookkeeping cost as much as SQLite's own work. Only for statements that return no
/// rows, inside a write transaction the caller holds, on the queue of `db`.
struct BulkStatement {
    private let statement: Statement
    private let db: Database
    private var parameter: Int32 = 0
    /// The first binding SQLite refused since the last run, reported by `execute`.
    private var bindFailure = SQLITE_OK

    init(_ db: Database, sql: String) throws {
        self.statement = try db.cachedStatement(sql: sql)
        self.db = db
        // A cached statement left stepped would refuse every binding.
        sqlite3_reset(statement.sqliteStatement)
    }

    /// Binds the next parameter (parameters are bound in order, from the first).
    mutating func bind(_ text: String?) {
        parameter += 1
        guard var text else {
            note(sqlite3_bind_null(statement.sqliteStatement, parameter))
            return
        }
        let handle = statement.sqliteStatement, index = parameter
        let code = text.withUTF8 { bytes in
            // A nil address would bind NULL: an empty string is bound from a literal's.
            guard !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
            return bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
        note(code)
    }

    mutating func bind(_ integer: Int64?) {
        parameter += 1
        note(integer.map { sqlite3_bind_int64(statement.sqliteStatement, parameter, $0) } ?? sqlite3_bind_null(statement.sqliteStatement, parameter))
    }

    mutating func bind(_ integer: Int?) {
        bind(integer.map(Int64.init))
    }

    mutating func bind(_ flag: Bool) {
        bind(Int64(flag ? 1 : 0))
    }

    mutating func bind(_ real: Double?) {
        parameter += 1
        note(real.map { sqlite3_bind_double(statement.sqliteStatement, parameter, $0) } ?? sqlite3_bind_null(statement.sqliteStatement, parameter))
    }

    private mutating func note(_ code: Int32) {
        if code != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = code }
    }

    /// Runs the statement with the values bound since the last run, then readies it for the next row.
    mutating func execute() throws {
        let handle = statement.sqliteStatement
        parameter = 0
        let failure = bindFailure
        bindFailure = SQLITE_OK
        let code = failure == SQLITE_OK ? sqlite3_step(handle) : failure
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw Self.error(code, statement, db)
        }
    }

    /// How many rows the last run of an INSERT, UPDATE or DELETE through the connection changed.
    var changedRows: Int {
        Int(sqlite3_changes(db.sqliteConnection))
    }

    /// The rowid of the last row inserted through the connection.
    var lastInsertedRowID: Int64 {
        sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    /// The error SQLite reported for `code` while running `statement`, as GRDB would throw it.
    static func error(_ code: Int32, _ statement: Statement, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) },
            sql: statement.sql)
    }

    /// SQLite copies the bytes: Swift's buffers live only for the binding call.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
