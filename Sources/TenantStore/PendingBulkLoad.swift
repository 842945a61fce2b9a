import Foundation
import GRDB
import TenantModel

extension TenantStore {
    /// The fewest new users a write into a store without users takes as a bulk load (`beginBulkLoad`).
    public static let bulkLoadUsers = BulkLoad.minimumUsers

    /// Begins a first sync's write as soon as its users are planned, while the caller plans the groups and licences:
    /// a thread of its own opens the write transaction, checks that the store is still at `generation` and still
    /// has no users, and writes `users` with their content digests. Nothing is committed before `finish`.
    ///
    /// The caller must end it with `finish` or `abandon` before it touches the store in any other way: the write
    /// lock is held meanwhile. Only for at least `bulkLoadUsers` users.
    public func beginBulkLoad(users: [TenantUser], contentHashes: [String: Int64], plannedOn generation: Int64, runId: Int64) -> PendingBulkLoad {
        let pending = PendingBulkLoad(users: users)
        Thread { [pool] in
            pending.write(users: users, contentHashes: contentHashes, generation: generation, runId: runId, pool: pool)
        }.start()
        return pending
    }
}

/// A first sync's write begun before its run was planned whole (`TenantStore.beginBulkLoad`).
public final class PendingBulkLoad: @unchecked Sendable {
    // The lock guards `rest`, `ended` and `waited`; `failure` is written by the writing thread before it signals
    // `written`, and read after waiting for that.
    private let condition = NSCondition()
    private var rest: Rest?
    private var ended = false
    private var failure: (any Error)?
    private let written = DispatchSemaphore(value: 0)
    private var waited = false

    /// The users the load began with, in the order given.
    private let users: [TenantUser]

    init(users: [TenantUser]) {
        self.users = users
    }

    private struct Rest {
        var changes: TenantChangeSet
        var report: RunReport
        var preparation: BulkLoad.Preparation
    }

    /// Writes the rest of the run, `changes` (whose users are the ones begun with, at most with usage locations
    /// set) and the run's row from `report`, and commits. Throws what `TenantStore.apply` throws; nothing is written
    /// then. Called once, unless `abandon` was.
    public func finish(_ changes: TenantChangeSet, report: RunReport) throws {
        // The member lists and keyed paths are made here, on the calling thread, which would only wait otherwise;
        // the writing thread meanwhile finishes the users and writes the groups.
        let preparation = BulkLoad.Preparation(changes: changes, users: BulkLoad.writeOrder(users))
        end(with: Rest(changes: changes, report: report, preparation: preparation)) {
            preparation.run()
        }
        if let failure { throw failure }
    }

    /// Rolls the write back: nothing of it stays. Returns once the write lock is released; does nothing after
    /// `finish` or another `abandon`.
    public func abandon() {
        end(with: nil)
    }

    /// Hands the writing thread `rest` (nil: roll back), runs `meanwhile` if it was taken, and waits for the thread.
    private func end(with rest: Rest?, meanwhile: () -> Void = {}) {
        condition.lock()
        let taken = !ended
        if taken {
            self.rest = rest
            ended = true
            condition.broadcast()
        }
        let mustWait = !waited
        waited = true
        condition.unlock()
        if taken { meanwhile() }
        if mustWait { written.wait() }
    }

    /// The rest of the run, once `finish` or `abandon` (nil) gave it.
    private func waitForRest() -> Rest? {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return rest
    }

    fileprivate func write(users: [TenantUser], contentHashes: [String: Int64], generation: Int64, runId: Int64, pool: DatabasePool) {
        defer { written.signal() }
        do {
            try StoreError.wrapping("apply run \(runId)") {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA cache_size = -\(TenantStore.applyCacheKibibytes)")
                    defer { try? db.execute(sql: "PRAGMA cache_size = -\(TenantStore.defaultCacheKibibytes)") }
                    try db.inTransaction(.immediate) {
                        let current = try StoreGeneration.current(db)
                        guard current == generation, try BulkLoad.storeHasNoUsers(db) else {
                            throw TenantChangedError(planned: generation, current: current)
                        }
                        let written = try BulkLoad.writeUsers(users, hashes: contentHashes, db)
                        guard let rest = waitForRest() else { return .rollback }
                        let changes = rest.changes
                        try ChangeWriter.validate(changes)
                        guard BulkLoad.removesNothing(changes) else {
                            throw StoreError(operation: "bulk load", message: "a bulk load removes nothing, but the run's changes do")
                        }
                        try BulkLoad.writeRest(changes, users: written, db, preparation: rest.preparation)
                        try ChangeWriter.writeSubscriptionsAndPosition(changes, db)
                        try TenantStore.recordApplied(changes, report: rest.report, db)
                        return .commit
                    }
                }
            }
        } catch {
            failure = error
        }
        // A failure before `finish` or `abandon`: the caller learns of it when it ends the load.
    }
}
