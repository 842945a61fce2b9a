import GRDB

/// The store's write generation (`store_generation`): raised by every write that changes the tenant.
enum StoreGeneration {
    static func current(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM store_generation WHERE id = 1") ?? 0
    }

    static func raise(_ db: Database) throws {
        try db.execute(sql: "UPDATE store_generation SET value = value + 1 WHERE id = 1")
    }
}

/// A run's plan was made on a state that another command changed before the run could apply it; nothing was
/// written. Planning again on the current state is the way forward.
public struct TenantChangedError: Error, CustomStringConvertible, Sendable {
    /// The generation the plan was made on, and the store's now.
    public var planned: Int64
    public var current: Int64

    public var description: String {
        "the tenant changed while the run planned (generation \(planned), now \(current)): another command wrote to it"
    }
}
