import Foundation
import GRDB
import TenantModel

extension TenantStore {
    /// The fewest new users a write into a store without users takes as a bulk load (`beginBulkLoad`).
    public static let bulkLoadUsers = BulkLoad.minimumUsers

    /// Begins a first sync's write while its users are still being planned: a thread of its own opens the write
    /// transaction, checks that the store is still at `generation` and still has no users, and writes what it is
    /// handed as it comes: the users (`add`, then `closeUsers`), the groups and the licence paths (`writeGroups`,
    /// `writePaths`, both optional) and the rest of the run (`finish`). Nothing is committed before `finish`.
    ///
    /// The caller must end it with `finish` or `abandon` before it touches the store in any other way: the write
    /// lock is held meanwhile.
    public func beginBulkLoad(plannedOn generation: Int64, runId: Int64) -> PendingBulkLoad {
        let pending = PendingBulkLoad()
        Thread { [pool] in
            pending.write(generation: generation, runId: runId, pool: pool)
        }.start()
        return pending
    }
}

/// A first sync's write begun before its run was planned whole (`TenantStore.beginBulkLoad`).
///
/// One thread, the planner's, calls `add`, `closeUsers`, `writeGroups`, `writePaths`, then `finish` or `abandon`, in
/// that order (`writeGroups` and `writePaths` may be left out); the writing thread takes each part as it comes.
public final class PendingBulkLoad: @unchecked Sendable {
    /// Users handed to the writing thread at once: a lock and a wake-up for every 4,096 users, not for each.
    static let batchSize = 4_096

    private typealias Batch = [(user: TenantUser, hash: Int64?)]

    private struct Users {
        var users: [TenantUser]
        var hashes: [String: Int64]
    }

    private struct Groups {
        var groups: [TenantGroup]
        var hashes: [String: Int64]
        /// Per group, its member users' places among the users in id order, when known (see `writeGroups`).
        var memberPlaces: [[Int32]] = []
    }

    private struct Rest {
        var changes: TenantChangeSet
        var report: RunReport
    }

    private typealias UsageLocations = Result<[(userId: String, location: String?)], any Error>

    // The lock guards everything from `batches` to `waited`. `failure` is written by the writing thread before it
    // signals `written`, and read after waiting for that.
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private var closedUsers: Users?
    private var groups: Groups?
    private var paths: [LicensePath]?
    private var rest: Rest?
    /// Given after `rest`: the planner's thread compares the users meanwhile.
    private var usageLocations: UsageLocations?
    private var ended = false
    /// The writing thread failed: it takes nothing more.
    private var stopped = false
    private var waited = false
    private var failure: (any Error)?
    private let written = DispatchSemaphore(value: 0)

    // The planner's thread only: the users added and not yet handed over, and the users closed.
    private var batch: Batch = []
    private var closed: [TenantUser] = []

    init() {}

    /// Hands over the next user, in the order of their keys, with the digest of the entry it was planned from.
    /// Users are written in batches; a user must not change afterwards, but for its usage location (`finish`): the
    /// writing thread checks that the users closed have the ids of those added, not their other values.
    public func add(_ user: TenantUser, contentHash: Int64?) {
        batch.append((user, contentHash))
        if batch.count == Self.batchSize { handOver() }
    }

    /// No more users: `users` are the ones added, in the same order, and `contentHashes` their digests. The writing
    /// thread builds the users' indexes.
    public func closeUsers(_ users: [TenantUser], contentHashes: [String: Int64]) {
        handOver()
        closed = users
        post { $0.closedUsers = Users(users: users, hashes: contentHashes) }
    }

    /// The groups the run writes, with their digests (`changes.upsertGroups` and `changes.groupContentHashes`):
    /// the writing thread packs their member lists and writes them while the caller plans the licences. `finish`
    /// checks that its changes have these groups. Called once, after `closeUsers`, or not at all.
    ///
    /// `memberPlaces`, one list per group when given, are the places of its member users among the users in id
    /// order: the planner's ranks. A first sync's users, whose ids ascend in the order they were added, have the key
    /// of their place (plus one), which spares a look-up by id for each member; each place is checked against the
    /// written id, and a member whose place does not fit is looked up.
    public func writeGroups(_ groups: [TenantGroup], contentHashes: [String: Int64], memberPlaces: [[Int32]] = []) {
        post { $0.groups = Groups(groups: groups, hashes: contentHashes, memberPlaces: memberPlaces) }
    }

    /// The licence paths the run writes (`changes.upsertPaths`), as soon as they are known: the writing thread
    /// writes them while the caller completes the plan. `finish` checks that its changes have these paths. Called
    /// once, after `closeUsers`, or not at all.
    public func writePaths(_ paths: [LicensePath]) {
        post { $0.paths = paths }
    }

    /// Writes the rest of the run, `changes` (whose users are the ones added, at most with usage locations set)
    /// and the run's row from `report`, and commits. Throws what `TenantStore.apply` throws; nothing is written
    /// then. Called once, after `closeUsers`, unless `abandon` was.
    public func finish(_ changes: TenantChangeSet, report: RunReport) throws {
        end(with: Rest(changes: changes, report: report)) {
            // While the writing thread writes the paths.
            let found = UsageLocations { try BulkLoad.usageLocations(of: changes.upsertUsers, written: closed) }
            condition.lock()
            usageLocations = found
            condition.broadcast()
            condition.unlock()
        }
        if let failure { throw failure }
    }

    /// Rolls the write back: nothing of it stays. Returns once the write lock is released; does nothing after
    /// `finish` or another `abandon`.
    public func abandon() {
        end(with: nil)
    }

    private func handOver() {
        guard !batch.isEmpty else { return }
        let full = batch
        batch.removeAll(keepingCapacity: true)
        post { $0.batches.append(full) }
    }

    /// Changes the shared state under the lock and wakes the writing thread; nothing once that failed or ended.
    private func post(_ change: (PendingBulkLoad) -> Void) {
        condition.lock()
        if !stopped && !ended {
            change(self)
            condition.broadcast()
        }
        condition.unlock()
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

    private func waitForUsageLocations() -> UsageLocations {
        condition.lock()
        defer { condition.unlock() }
        while usageLocations == nil { condition.wait() }
        return usageLocations!
    }

    /// What the writing thread takes next.
    private enum Step {
        case users(Batch)
        case usersClosed(Users)
        case groups(Groups)
        case paths([LicensePath])
        case rest(Rest)
        case rollBack
    }

    /// The next step, waiting for it: `usersTaken` tells whether the users were closed already, `groupsTaken` and
    /// `pathsTaken` whether the groups and the paths were written.
    private func next(usersTaken: Bool, groupsTaken: Bool = false, pathsTaken: Bool = false) -> Step {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if ended && rest == nil { return .rollBack }
            if !usersTaken {
                if !batches.isEmpty { return .users(batches.removeFirst()) }
                if let closedUsers { return .usersClosed(closedUsers) }
            } else {
                if !groupsTaken, let groups { return .groups(groups) }
                if !pathsTaken, let paths { return .paths(paths) }
                if let rest { return .rest(rest) }
            }
            if ended, let rest { return .rest(rest) }  // finished before its users were closed
            condition.wait()
        }
    }

    private func stop() {
        condition.lock()
        stopped = true
        batches = []
        condition.unlock()
    }

    fileprivate func write(generation: Int64, runId: Int64, pool: DatabasePool) {
        defer { written.signal() }
        do {
            try StoreError.wrapping("apply run \(runId)") {
                try pool.writeWithoutTransaction { db in
                    try TenantStore.withWriteSettings(large: true, db) {
                        // Every reference is checked before it is written (`BulkLoad`'s keys, `writeGroups`), and
                        // nothing is deleted: SQLite need not look each one up again.
                        try db.execute(sql: "PRAGMA foreign_keys = OFF")
                        defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                        try db.inTransaction(.immediate) {
                            let current = try StoreGeneration.current(db)
                            guard current == generation, try BulkLoad.storeHasNoUsers(db) else {
                                throw TenantChangedError(planned: generation, current: current)
                            }
                            return try writeParts(db) ? .commit : .rollback
                        }
                    }
                }
            }
        } catch {
            stop()
            failure = error
        }
        // A failure before `finish` or `abandon`: the caller learns of it when it ends the load.
    }

    /// Writes each part as it comes; `false` when the load is to be rolled back.
    private func writeParts(_ db: Database) throws -> Bool {
        guard let users = try writeUsers(db) else { return false }
        // Made here while the planner's thread plans the groups.
        let keys = WrittenUserKeys(users.ordered)
        func write(_ groups: Groups) throws {
            let lists = try BulkLoad.memberLists(of: groups.groups, places: groups.memberPlaces, keys: keys)
            try BulkLoad.writeGroups(groups.groups, hashes: groups.hashes, memberLists: lists, db)
        }
        var groupsWritten: Groups?
        var pathsWritten: [LicensePath]?
        while true {
            switch next(usersTaken: true, groupsTaken: groupsWritten != nil, pathsTaken: pathsWritten != nil) {
            case .groups(let groups):
                try write(groups)
                groupsWritten = groups
            case .paths(let paths):
                try ChangeWriter.insert(keyedPaths: try BulkLoad.keyedPaths(paths, keys: keys), db)
                pathsWritten = paths
            case .rest(let rest):
                let changes = rest.changes
                try ChangeWriter.validate(changes)
                guard BulkLoad.removesNothing(changes) else {
                    throw StoreError(operation: "bulk load", message: "a bulk load removes nothing, but the run's changes do")
                }
                // The same arrays and dictionaries, unless a caller's mistake: equal storage compares at once.
                let groups = Groups(groups: changes.upsertGroups, hashes: changes.groupContentHashes)
                if let groupsWritten {
                    guard groupsWritten.groups == groups.groups && groupsWritten.hashes == groups.hashes else {
                        throw StoreError(operation: "bulk load", message: "the run's groups are not the ones written before")
                    }
                } else {
                    try write(groups)
                }
                if let pathsWritten {
                    guard pathsWritten == changes.upsertPaths else {
                        throw StoreError(operation: "bulk load", message: "the run's paths are not the ones written before")
                    }
                } else {
                    try ChangeWriter.insert(keyedPaths: try BulkLoad.keyedPaths(changes.upsertPaths, keys: keys), db)
                }
                try BulkLoad.writeUsageLocations(try waitForUsageLocations().get(), db)
                try BulkLoad.writeDigests(changes, users: users, db)
                try ChangeWriter.writeSubscriptionsAndPosition(changes, db)
                try TenantStore.recordApplied(changes, report: rest.report, db)
                return true
            case .rollBack:
                return false
            case .users, .usersClosed:
                preconditionFailure("users are taken before")
            }
        }
    }

    /// Writes the users as they come, with keys 1, 2, 3, …, then their indexes; `nil` when the load is rolled back
    /// first.
    private func writeUsers(_ db: Database) throws -> BulkLoad.WrittenUsers? {
        try BulkLoad.beginUsers(db)
        // The ids only: a copy of every user would be 14 MB at 100,000 users.
        var writtenIds: [String] = []
        var hashed = 0
        while true {
            switch next(usersTaken: false) {
            case .users(let batch):
                hashed += try ChangeWriter.upsert(hashedUsers: batch, db, firstKey: Int64(writtenIds.count + 1))
                writtenIds += batch.lazy.map(\.user.id)
            case .usersClosed(let closed):
                guard closed.users.count == writtenIds.count, zip(closed.users, writtenIds).allSatisfy({ $0.id == $1 }) else {
                    throw StoreError(operation: "bulk load", message: "the users closed are not the \(writtenIds.count) users added")
                }
                try BulkLoad.endUsers(db)
                return BulkLoad.WrittenUsers(ordered: closed.users, hashes: closed.hashes, hashedCount: hashed)
            case .rest:
                throw StoreError(operation: "bulk load", message: "finished before its users were closed")
            case .rollBack:
                return nil
            case .groups, .paths:
                preconditionFailure("groups and paths are taken after the users")
            }
        }
    }
}
