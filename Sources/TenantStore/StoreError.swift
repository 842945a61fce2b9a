import GRDB

/// A store operation that failed, with what was being done and SQLite's own message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What the store was doing (`open`, `migrate`, `apply`, `import user alice@example.org`, ...).
    public var operation: String
    /// SQLite's message (or the store's own reason when no SQL was involved).
    public var message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?

    /// A failure with the store's own reason.
    public init(operation: String, message: String, sqliteCode: Int32? = nil) {
        self.operation = operation
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        if let sqliteCode {
            return "\(operation): \(message) (SQLite code \(sqliteCode))"
        }
        return "\(operation): \(message)"
    }
}

extension StoreError {
    /// Wraps a GRDB error; errors of any other kind (a refusal from a caller's check) pass through unchanged.
    static func wrapping<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError(
                operation: operation,
                message: error.message ?? "\(error.resultCode)",
                sqliteCode: error.extendedResultCode.rawValue
            )
        }
    }
}
