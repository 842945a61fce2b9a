import TenantModel

/// Everything the `users`, `groups`, `skus` and `conflicts` views render: the tenant as stored, the evaluated
/// states of its direct assignments, the current conflicts, and a lookup into the SKU catalog.
///
/// Direct assignments are rendered from `directPaths` (their evaluated states); group paths from
/// `state.groupPaths`. Soft-deleted users are left out of every view unless a view is asked to include them,
/// the way Graph lists deleted users apart from live ones.
public struct TenantView: Sendable {
    public let state: TenantState
    /// The direct assignments' evaluated paths (`assignedByGroup == nil`), one per user and SKU.
    public let directPaths: [LicensePath]
    /// The current license errors and pre-existing-license findings.
    public let findings: [Finding]
    public let lookup: SkuLookup

    private let pathsByUser: [String: [LicensePath]]
    private let groupNames: [String: String]
    private let liveUserIds: Set<String>

    public init(state: TenantState, directPaths: [LicensePath], findings: [Finding], lookup: SkuLookup) {
        self.state = state
        self.directPaths = directPaths
        self.findings = findings
        self.lookup = lookup
        self.pathsByUser = Dictionary(grouping: directPaths + state.groupPaths, by: \.userId)
        self.groupNames = Dictionary(state.groups.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        self.liveUserIds = Set(state.users.filter { !$0.isDeleted }.map(\.id))
    }

    /// The users a view lists, sorted by UPN (case-insensitive): live ones, plus soft-deleted ones when asked;
    /// only the one whose UPN matches `principalName` (case-insensitive) when it is given.
    public func users(principalName: String? = nil, includeDeleted: Bool = false) -> [TenantUser] {
        let wanted = principalName?.lowercased()
        return state.users
            .filter { includeDeleted || !$0.isDeleted }
            .filter { wanted == nil || $0.userPrincipalName.lowercased() == wanted }
            .sorted { ($0.userPrincipalName.lowercased(), $0.id) < ($1.userPrincipalName.lowercased(), $1.id) }
    }

    /// The user's paths by SKU; for each SKU the direct path first, then group paths by group name.
    func paths(ofUser userId: String) -> [LicensePath] {
        (pathsByUser[userId] ?? []).sorted { pathOrder($0) < pathOrder($1) }
    }

    private func pathOrder(_ path: LicensePath) -> (String, Int, String, String) {
        (path.skuPartNumber, path.isDirect ? 0 : 1, groupName(path.assignedByGroup) ?? "", path.assignedByGroup ?? "")
    }

    /// A group's display name; `nil` for no group or one the tenant no longer has.
    func groupName(_ groupId: String?) -> String? {
        groupId.flatMap { groupNames[$0] }
    }

    func isLive(_ userId: String) -> Bool { liveUserIds.contains(userId) }

    /// What the user actually holds: one entry per SKU with at least one Active path, sorted by part number,
    /// with the SKU's plans that no Active path enables (as plan names).
    func heldLicenses(ofUser userId: String) -> [HeldLicense] {
        let active = Dictionary(grouping: (pathsByUser[userId] ?? []).filter(\.holdsSeat), by: \.skuPartNumber)
        return active.keys.sorted().map { sku in
            HeldLicense(skuPartNumber: sku, disabledPlans: disabledPlans(ofSku: sku, activePaths: active[sku] ?? []))
        }
    }

    /// The plans disabled on every active path: the catalog's plans minus the union of enabled plans, in catalog
    /// order; for a SKU the catalog does not know, the plans every path disables.
    private func disabledPlans(ofSku sku: String, activePaths: [LicensePath]) -> [String] {
        let catalogPlans = lookup.plans(ofSku: sku).map(\.name)
        guard !catalogPlans.isEmpty else {
            guard let first = activePaths.first else { return [] }
            return first.disabledPlans.filter { plan in activePaths.allSatisfy { $0.disabledPlans.contains(plan) } }
        }
        let enabled = Set(activePaths.flatMap { path in catalogPlans.filter { !path.disabledPlans.contains($0) } })
        return catalogPlans.filter { !enabled.contains($0) }
    }

    /// Live users who hold the SKU through any Active path.
    func consumedUnits(ofSku sku: String) -> Int {
        Set((directPaths + state.groupPaths).filter { $0.skuPartNumber == sku && $0.holdsSeat && isLive($0.userId) }.map(\.userId)).count
    }
}

/// A SKU a user holds, with the plans no active path enables.
struct HeldLicense: Sendable, Hashable {
    var skuPartNumber: String
    var disabledPlans: [String]
}
