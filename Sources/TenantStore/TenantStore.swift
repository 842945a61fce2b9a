import CSQLite
import Foundation
import GRDB
import TenantModel

/// The tenant's state in one SQLite file: users, groups, licence paths, subscriptions, the delta position and the
/// run history.
///
/// The file is in WAL mode, so readers never wait for the writer; writers on other connections (the daemon and a
/// `license assign` from the CLI, each with its own `TenantStore`) wait up to ten seconds for each other.
/// Every method is synchronous and runs in its own transaction.
public final class TenantStore: Sendable {
    /// How long a writer waits for another process's write transaction before failing.
    public static let busyTimeout: TimeInterval = 10

    /// Bytes of WAL file kept after a checkpoint.
    static let walSizeLimit = 16 << 20
    /// Page cache of the writer while it applies many rows (SQLite's own default, 2 MB, is kept otherwise). Each MB
    /// is a MB of peak memory, and a first sync writes its users while the rest of the run is still planned; at
    /// 100,000 users, 8 MB peaked at 177–191 MB, 4 MB at 172–180 MB in the same time (1.6–1.8 s).
    /// Temporary data (index builds, sorts) stays in files for the same reason.
    static let applyCacheKibibytes = 4_096
    /// SQLite's default page cache, restored after an apply so that the writer does not hold on to it.
    static let defaultCacheKibibytes = 2_000

    /// SQLite's process-wide settings, made once before the first connection opens: without memory statistics, its
    /// allocations take no global lock (a first sync of 100,000 users makes millions of them on two threads).
    private static let sqliteConfigured: Void = {
        _ = tenantsync_sqlite_disable_memory_statistics()
    }()

    let pool: DatabasePool
    /// The folder of a scratch store, removed with it.
    private let scratchFolder: String?

    /// Opens the store at `path`, creating the file and its folder if needed, and brings the schema up to date.
    public convenience init(path: String) throws {
        try self.init(path: path, scratchFolder: nil)
    }

    /// An empty store in a temporary folder that goes away with it: what a dry run or a query plans against when
    /// the configured store does not exist yet, so that looking never creates it.
    public static func scratch() throws -> TenantStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-\(UUID().uuidString)").path
        do {
            return try TenantStore(path: folder + "/tenant.sqlite", scratchFolder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    deinit {
        guard let scratchFolder else { return }
        try? pool.close()
        try? FileManager.default.removeItem(atPath: scratchFolder)
    }

    private init(path: String, scratchFolder: String?) throws {
        self.scratchFolder = scratchFolder
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(operation: "open \(path)", message: "cannot create folder \(folder.path): \(error)")
        }
        Self.sqliteConfigured
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            // Safe with WAL: a power loss may lose the last commits, never corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A first sync writes the whole file through the WAL; do not keep a file that large afterwards.
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimit)")
            // A large write's WAL is copied into the file by the next run, while it reads (`checkpointInBackground`),
            // not by this process on its way out.
            _ = tenantsync_sqlite_no_checkpoint_on_close(db.sqliteConnection)
        }
        pool = try StoreError.wrapping("open \(path)") {
            try DatabasePool(path: path, configuration: configuration)
        }
        try StoreError.wrapping("migrate \(path)") {
            try StoreSchema.migrator.migrate(pool)
        }
    }

    /// Everything the tenant holds: all users (soft-deleted ones included), groups with their members (sorted by
    /// id), direct assignments, group paths, subscriptions, the delta position and the next run's id.
    public func loadState() throws -> TenantState {
        try StoreError.wrapping("load state") {
            try pool.read(StateReader.state)
        }
    }

    /// What a run needs to know before the whole state: the saved delta position and the next run's id. A cheap
    /// read, so a cycle can start the directory read while `loadState` runs.
    public func loadRunStart() throws -> (position: SyncPosition?, nextRunId: Int64) {
        try StoreError.wrapping("load run start") {
            try pool.read { db in (try StateReader.position(db), try StateReader.nextRunId(db)) }
        }
    }

    /// Writes one run in one transaction: users (soft deletions first), purges (which cascade to memberships, direct
    /// assignments and paths), group deletions, groups with their member lists replaced, path deletions and upserts,
    /// subscriptions, the delta position (cleared, then set when given) and the run row from `report`.
    ///
    /// If anything fails, nothing is written, the position included. Paths without a rule key are refused: direct
    /// licences are direct assignments, which a sync never changes.
    ///
    /// With `plannedOn`, the changes are applied only while the store is still at that generation (the state's the
    /// plan was made on); otherwise ``TenantChangedError`` is thrown and nothing is written.
    public func apply(_ changes: TenantChangeSet, report: RunReport, plannedOn generation: Int64? = nil) throws {
        // The report's JSON (hundreds of findings, each carried run after run) is made while the changes are written.
        let reportJSON = Meanwhile { Result { try RunHistory.json(report) } }
        try StoreError.wrapping("apply run \(report.runId)") {
            try pool.writeWithoutTransaction { db in
                let touchesMany = changes.upsertUsers.count + changes.upsertPaths.count + changes.upsertGroups.count > 1_000
                try Self.withWriteSettings(large: touchesMany, db) {
                    try db.inTransaction(.immediate) {
                        if let generation {
                            let current = try StoreGeneration.current(db)
                            guard current == generation else { throw TenantChangedError(planned: generation, current: current) }
                        }
                        try ChangeWriter.apply(changes, db)
                        try Self.recordApplied(changes, report: report, json: reportJSON.value().get(), db)
                        return .commit
                    }
                }
            }
        }
    }

    /// Runs `body`, a write transaction, with the writer's settings for it. A `large` one gets a larger page cache,
    /// and its commit leaves the WAL as it is instead of copying it into the file at once: the copy (about 100 ms
    /// of a first sync of 100,000 users, half of it waiting for the disk) is left to the next checkpoint,
    /// `checkpointInBackground` at the next run's start or the next commit's. As for every commit here, a power loss
    /// before it may lose the commit, never corrupt the file.
    static func withWriteSettings(large: Bool, _ db: Database, _ body: () throws -> Void) throws {
        guard large else { return try body() }
        try db.execute(sql: "PRAGMA cache_size = -\(applyCacheKibibytes); PRAGMA wal_autocheckpoint = 0")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = -\(defaultCacheKibibytes); PRAGMA wal_autocheckpoint = \(walCheckpointPages)")
        }
        try body()
    }

    /// SQLite's default: a commit that leaves the WAL longer than this many pages copies it into the file.
    static let walCheckpointPages = 1_000

    /// Copies a large WAL into the file on a thread of its own, with a passive checkpoint: readers and writers go
    /// on meanwhile (writes of this store wait for it in turn). A first sync leaves a WAL as large as the file
    /// (`withWriteSettings`); the next run copies it while it reads the directory. Does nothing while the WAL is
    /// at most `walSizeLimit`.
    public func checkpointInBackground() {
        let size = (try? FileManager.default.attributesOfItem(atPath: pool.path + "-wal")[.size] as? Int) ?? 0
        guard size > Self.walSizeLimit else { return }
        // A checkpoint that fails leaves the WAL as it was, for the next one.
        Thread { [self] in try? checkpoint() }.start()
    }

    /// Copies the WAL into the file as far as no reader needs it (a passive checkpoint).
    func checkpoint() throws {
        try pool.writeWithoutTransaction { _ = try $0.checkpoint(.passive) }
    }

    /// What every write of a run's changes ends with: a new generation, the licensing basis and the run's row.
    /// `json` is the report's JSON when made already (`RunHistory.json`).
    static func recordApplied(_ changes: TenantChangeSet, report: RunReport, json: String? = nil, _ db: Database) throws {
        try StoreGeneration.raise(db)
        try LicensingBasisStore.write(changes.licensingBasis, db)
        try RunHistory.insert(report, json: json, db)
    }

    /// Loads the state and applies what `plan` makes of it in one write transaction, so that no other writer comes
    /// between the state a run planned on and its changes. `plan` gives the report to record and the changes to
    /// apply (nil: record the report only). Other writers wait meanwhile (up to ``busyTimeout``).
    public func planAndApply(
        _ plan: (TenantState) throws -> (report: RunReport, changes: TenantChangeSet?)
    ) throws -> RunReport {
        try StoreError.wrapping("plan and apply") {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = -\(Self.applyCacheKibibytes)")
                defer { try? db.execute(sql: "PRAGMA cache_size = -\(Self.defaultCacheKibibytes)") }
                var recorded: RunReport?
                try db.inTransaction(.immediate) {
                    let (report, changes) = try plan(try StateReader.state(db))
                    if let changes {
                        try ChangeWriter.apply(changes, db)
                        try StoreGeneration.raise(db)
                        try LicensingBasisStore.write(changes.licensingBasis, db)
                    }
                    try RunHistory.insert(report, db)
                    recorded = report
                    return .commit
                }
                guard let recorded else { throw StoreError(operation: "plan and apply", message: "nothing was planned") }
                return recorded
            }
        }
    }

    /// Records a run that applied nothing (failed, or stopped by the guard).
    public func recordRun(_ report: RunReport) throws {
        try StoreError.wrapping("record run \(report.runId)") {
            try pool.write { db in try RunHistory.insert(report, db) }
        }
    }

    /// The report of run `runId`, `nil` if there is none.
    public func report(runId: Int64) throws -> RunReport? {
        try StoreError.wrapping("read run \(runId)") {
            try pool.read { db in
                try RunHistory.report(db, sql: "SELECT report FROM runs WHERE id = ?", arguments: [runId])
            }
        }
    }

    /// The report of the latest run, `nil` before the first.
    public func lastReport() throws -> RunReport? {
        try StoreError.wrapping("read last run") {
            try pool.read { db in
                try RunHistory.report(db, sql: "SELECT report FROM runs ORDER BY id DESC LIMIT 1")
            }
        }
    }

    /// The report of the latest run that applied its changes (not a dry run, not failed, not stopped by the guard),
    /// `nil` before the first: what the tenant's state stands on, quarantines included.
    public func lastAppliedReport() throws -> RunReport? {
        try StoreError.wrapping("read last applied run") {
            try pool.read { db in
                try RunHistory.report(db, sql: """
                    SELECT report FROM runs WHERE dryRun = 0 AND outcome IN ('success', 'completedWithErrors')
                    ORDER BY id DESC LIMIT 1
                    """)
            }
        }
    }

    /// The quarantine findings of the latest applied run (see ``lastAppliedReport()``), picked out of its stored
    /// report by SQLite, so the rest of a report with many findings is not decoded.
    public func lastAppliedQuarantines() throws -> [Finding] {
        try StoreError.wrapping("read last applied quarantines") {
            try pool.read { db in
                let rows = try String.fetchAll(db, sql: """
                    SELECT finding.value
                    FROM (SELECT report FROM runs WHERE dryRun = 0 AND outcome IN ('success', 'completedWithErrors')
                          ORDER BY id DESC LIMIT 1) AS last,
                         json_each(last.report, '$.findings') AS finding
                    WHERE json_extract(finding.value, '$.detail') LIKE ? || '%'
                    """, arguments: [Finding.quarantinePrefix])
                let decoder = ColumnCoding.reportDecoder()
                return try rows.map { try decoder.decode(Finding.self, from: Data($0.utf8)) }.filter(\.isQuarantine)
            }
        }
    }

    /// Adds or replaces a direct assignment after `check` accepts it against the current state.
    ///
    /// State, check and write happen in one write transaction, so no other writer can take the seat in between.
    /// `check` throws to refuse; its error is rethrown as is and nothing is written. A new assignment, or one whose
    /// disabled plans change, is stored with its `lastUpdatedDateTime` (now when `nil`); assigning the same licence
    /// again keeps the stored time.
    public func assignDirect(_ assignment: DirectAssignment, check: (TenantState) throws -> Void) throws {
        try StoreError.wrapping("assign \(assignment.skuPartNumber) to user \(assignment.userId)") {
            // The check evaluates the whole tenant: it runs on a snapshot, outside the write lock, and the write
            // goes ahead only if nothing changed since; a few tries, then the check under the lock.
            for _ in 0..<Self.optimisticTries {
                let state = try pool.read(StateReader.state)
                try check(state)
                let written = try pool.write { db -> Bool in
                    guard try StoreGeneration.current(db) == state.generation else { return false }
                    try writeDirect(assignment, state: state, db)
                    return true
                }
                if written { return }
            }
            try pool.write { db in
                let state = try StateReader.state(db)
                try check(state)
                try writeDirect(assignment, state: state, db)
            }
        }
    }

    /// How often a direct assignment is checked on a snapshot before it is checked under the write lock.
    static let optimisticTries = 3

    private func writeDirect(_ assignment: DirectAssignment, state: TenantState, _ db: Database) throws {
        let held = state.directAssignments.first {
            $0.userId == assignment.userId && $0.skuPartNumber == assignment.skuPartNumber
        }
        try ChangeWriter.upsert(assignment, held: held, now: Date(), db)
        try StoreGeneration.raise(db)
    }

    /// Removes a direct assignment; `false` when the user had none for that SKU.
    public func removeDirect(userId: String, skuPartNumber: String) throws -> Bool {
        try StoreError.wrapping("remove \(skuPartNumber) from user \(userId)") {
            try pool.write { db in
                try db.execute(
                    sql: "DELETE FROM direct_assignments WHERE userId = ? AND sku = ?", arguments: [userId, skuPartNumber])
                let removed = db.changesCount > 0
                if removed { try StoreGeneration.raise(db) }
                return removed
            }
        }
    }

    /// Seeds cloud users and their direct licences (from Graph JSON), in one transaction.
    ///
    /// Upserts users by id and replaces their direct assignments with `directAssignments`; users the store already
    /// holds as synced are left alone (counted as skipped). A user already stored keeps its `enteredRun`. Importing
    /// the same data twice changes nothing (the second summary counts them all as unchanged). When `subscriptions`
    /// is given it replaces the stored ones. Every assignment must name one of `users`.
    public func importCloudUsers(
        _ users: [TenantUser], directAssignments: [DirectAssignment], subscriptions: [SubscribedSku]?
    ) throws -> ImportSummary {
        try StoreError.wrapping("import") {
            try pool.write { db in
                let summary = try CloudImport.run(users, directAssignments, subscriptions, db)
                if summary.added + summary.updated > 0 || subscriptions != nil { try StoreGeneration.raise(db) }
                return summary
            }
        }
    }

    /// The live user whose UPN matches, ignoring ASCII case; `nil` if none.
    public func user(upn: String) throws -> TenantUser? {
        try StoreError.wrapping("find user \(upn)") {
            try pool.read { db in
                try StateReader.users(
                    db,
                    sql: "SELECT \(StateReader.userColumns) FROM users WHERE lower(upn) = lower(?) AND deletedDateTime IS NULL",
                    arguments: [upn]
                ).first
            }
        }
    }
}
