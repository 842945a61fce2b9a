/// What the last applied run's licence evaluation stood on, stored with its changes: a later delta that touches few
/// users may then evaluate only those (and the users still waiting for a licence) instead of the whole tenant.
public struct LicensingBasis: Sendable, Hashable {
    /// Identifies everything besides the tenant that the evaluation depended on: the rules, the licensing options,
    /// the default usage location and the SKU catalog. Another fingerprint means a whole evaluation.
    public var fingerprint: String
    /// Users holding each SKU after the run (by the catalog's spelling of the part number), directly or through an
    /// active group path.
    public var consumedUnits: [String: Int]
    /// The tenant's totals after the run.
    public var totals: TenantTotals

    /// Creates a basis; every field is required, as a narrow delta trusts them all.
    public init(fingerprint: String, consumedUnits: [String: Int], totals: TenantTotals) {
        self.fingerprint = fingerprint
        self.consumedUnits = consumedUnits
        self.totals = totals
    }
}

/// Counts over the whole tenant, for the parts of a report and the guard that a narrow state cannot count itself.
public struct TenantTotals: Sendable, Hashable, Codable {
    /// Synced users that are not soft-deleted.
    public var liveSyncedUsers = 0
    /// Those of them with a DN.
    public var liveSyncedUsersWithDN = 0
    /// All groups.
    public var groups = 0
    /// Group paths in state `Active`.
    public var activePaths = 0

    /// Creates the counts; all zero by default (an empty tenant).

    public init(liveSyncedUsers: Int = 0, liveSyncedUsersWithDN: Int = 0, groups: Int = 0, activePaths: Int = 0) {
        self.liveSyncedUsers = liveSyncedUsers
        self.liveSyncedUsersWithDN = liveSyncedUsersWithDN
        self.groups = groups
        self.activePaths = activePaths
    }
}
