import Foundation
import GRDB
import TenantModel

/// What `importCloudUsers` did.
public struct ImportSummary: Sendable, Hashable, Codable {
    /// Users that were not in the store.
    public var added: Int
    /// Users already in the store whose fields or direct assignments changed.
    public var updated: Int
    /// Users already in the store exactly as imported.
    public var unchanged: Int
    /// Users the store holds as synced (owned by the directory): left alone, direct assignments included.
    public var skipped: Int
    /// Direct assignments now stored for the imported users (not counting skipped ones).
    public var directAssignments: Int
    /// Subscriptions written, `nil` when none were given.
    public var subscriptions: Int?

    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, skipped: Int = 0, directAssignments: Int = 0, subscriptions: Int? = nil) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.skipped = skipped
        self.directAssignments = directAssignments
        self.subscriptions = subscriptions
    }
}

/// Seeds cloud users and their direct licences, idempotently: an assignment imported again as it is stored keeps its
/// stored time; a new or changed one takes its own time, or the import's when it has none.
enum CloudImport {
    static func run(
        _ users: [TenantUser], _ assignments: [DirectAssignment], _ subscriptions: [SubscribedSku]?, _ db: Database
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        let now = Date()
        let assignmentsByUser = Dictionary(grouping: assignments, by: \.userId)
        let importedIds = Set(users.map(\.id))
        if let stray = assignments.first(where: { !importedIds.contains($0.userId) }) {
            throw StoreError(
                operation: "import",
                message: "direct assignment \(stray.skuPartNumber) names user \(stray.userId), which is not among the imported users")
        }
        // Imported users may trade UPNs too (see `ChangeWriter.releaseChangingUPNs`); synced users are not written.
        try ChangeWriter.releaseChangingUPNs(of: users.lazy.filter { !$0.isDeleted }, cloudOnly: true, db)
        for var user in users {
            var seen = Set<DirectAssignment>()
            let wanted = (assignmentsByUser[user.id] ?? []).filter { seen.insert($0.licence).inserted }
            var held: [DirectAssignment] = []
            let existing = try StateReader.users(
                db, sql: "SELECT \(StateReader.userColumns) FROM users WHERE id = ?", arguments: [user.id]
            ).first
            if let existing {
                if existing.onPremisesSyncEnabled {
                    summary.skipped += 1
                    continue
                }
                // The run a user entered the tenant in is the store's to keep, not the import's.
                user.enteredRun = existing.enteredRun
                held = try StateReader.directAssignments(db, userId: user.id)
                if existing == user && Set(held.map(\.licence)) == Set(wanted.map(\.licence)) {
                    summary.unchanged += 1
                    summary.directAssignments += held.count
                    continue
                }
                summary.updated += 1
            } else {
                summary.added += 1
            }
            try StoreError.wrapping("import user \(user.userPrincipalName) (\(user.id))") {
                try ChangeWriter.upsert(users: [user], db)
                try db.cachedStatement(sql: "DELETE FROM direct_assignments WHERE userId = ?").execute(arguments: [user.id])
                for assignment in wanted {
                    let stored = held.first { $0.skuPartNumber == assignment.skuPartNumber }
                    try ChangeWriter.upsert(assignment, held: stored, now: now, db)
                }
            }
            summary.directAssignments += wanted.count
        }
        if let subscriptions {
            try ChangeWriter.replaceSubscriptions(subscriptions, db)
            summary.subscriptions = subscriptions.count
        }
        return summary
    }
}
