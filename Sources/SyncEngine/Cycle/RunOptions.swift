/// How one run behaves: the command line's `--dry-run`, `--full` and `--allow-deletes`.
public struct RunOptions: Sendable, Hashable {
    /// Compute and report the plan, write nothing.
    public var dryRun: Bool
    /// Ignore the saved delta position.
    public var full: Bool
    /// Let this run pass the guard for up to this many deletions and removals.
    public var allowDeletes: Int?
    /// Whether a full read maps only the entries whose content digest differs from the stored one. Off, every entry
    /// is mapped and planned again (what the tests compare other reads with).
    var trustContentHashes = true
    /// Whether a first sync of many users into an empty tenant writes the users while it plans the groups and
    /// licences (`TenantStore.beginBulkLoad`). Off, it writes everything once planned (what the tests compare with).
    var writesUsersEarly = true

    public init(dryRun: Bool = false, full: Bool = false, allowDeletes: Int? = nil) {
        self.dryRun = dryRun
        self.full = full
        self.allowDeletes = allowDeletes
    }
}
