import TenantModel

/// Decides whether a plan may be applied: a read that came back empty (always), or a plan that deletes or
/// unlicenses more than the limits or this run's `--allow-deletes` allow, is stopped whole. Pure.
struct SafetyGuard: Sendable {
    /// Deletions allowed per run (already resolved from a count or a percentage).
    var maxDeletes: Int
    /// Licence removals allowed per run.
    var maxLicenseRemovals: Int
    /// `--allow-deletes N`: this run may go up to N deletions and removals.
    var allowDeletes: Int?

    /// What the guard looks at in a plan.
    struct Plan: Sendable {
        var readUserCount: Int
        var syncedUsersBefore: Int
        var userDeletes: Int
        var groupDeletes: Int
        var licenseRemovals: Int
    }

    /// The reason to stop, or `nil` when the plan may be applied.
    func check(_ plan: Plan) -> GuardStop? {
        let deletes = plan.userDeletes + plan.groupDeletes
        let allowance = allowDeletes ?? 0
        // DESIGN 5.5: no deletions after an empty read, whatever the allowance.
        if plan.readUserCount == 0 && plan.syncedUsersBefore > 0 && plan.userDeletes > 0 {
            return GuardStop(
                reason: "the directory read returned no users while the tenant has \(plan.syncedUsersBefore) synced users; "
                    + "this is more often a wrong filter or base than an intent, so nothing was deleted. An empty read is "
                    + "never applied, not even with --allow-deletes: check directory.users (base and filter), the bind "
                    + "account's rights and the server, then run again.")
        }
        var over: [String] = []
        if deletes > max(maxDeletes, allowance) {
            over.append("deletes \(plan.userDeletes) users and \(plan.groupDeletes) groups, over the limit of \(maxDeletes) (sync.guard.maxDeletes)")
        }
        if plan.licenseRemovals > max(maxLicenseRemovals, allowance) {
            over.append(
                "removes \(plan.licenseRemovals) group licence assignments, over the limit of \(maxLicenseRemovals) "
                    + "(sync.guard.maxLicenseRemovals)")
        }
        if !over.isEmpty {
            // The allowance covers deletions and removals alike: enough for each count that is over its limit.
            let needed = max(deletes > maxDeletes ? deletes : 0, plan.licenseRemovals > maxLicenseRemovals ? plan.licenseRemovals : 0)
            let way = "Look at the plan with `tenantsync --once --dry-run`, then apply it once with "
                + "`tenantsync --once --allow-deletes \(needed)`."
            return GuardStop(reason: "the plan " + over.joined(separator: ", and ") + ". " + way)
        }
        return nil
    }
}
