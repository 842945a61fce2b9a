import Foundation
import TenantModel

/// Everything one licensing evaluation looks at.
public struct LicensingInput: Sendable {
    /// The tenant's users; deleted ones are skipped.
    public var users: [TenantUser]
    /// The tenant's groups with their direct members.
    public var groups: [TenantGroup]
    /// The configuration's rules, each with the group it names.
    public var rules: [ResolvedLicenseRule]
    /// Direct assignments; they always hold their seat and are never changed by an evaluation.
    public var directAssignments: [DirectAssignment]
    /// The group paths the previous run left (any state).
    public var previousGroupPaths: [LicensePath]
    /// Seats bought, by part number. A SKU missing here has no seats.
    public var subscriptions: [String: Int]
    /// Users not in `users` holding each SKU (by part number): their seats are taken whatever the evaluation
    /// decides. An evaluation of part of a tenant (`users` are the only ones whose licences may change) sets it;
    /// `LicensingResult.consumedUnits` counts them too.
    public var heldElsewhere: [String: Int] = [:]
    public var catalog: SkuCatalog
    /// Written to users without a usage location who get a group path (`tenant.defaultUsageLocation`).
    public var defaultUsageLocation: String?
    /// Whether members of nested groups count, through any depth (`licensing.nestedGroups`).
    public var nestedGroups: Bool
    /// Whether disabled accounts are left out of group licensing (`licensing.skipDisabledAccounts`).
    public var skipDisabledAccounts: Bool
    /// The time stamped on paths that change.
    public var now: Date

    public init(
        users: [TenantUser], groups: [TenantGroup], rules: [ResolvedLicenseRule],
        directAssignments: [DirectAssignment] = [], previousGroupPaths: [LicensePath] = [],
        subscriptions: [String: Int], catalog: SkuCatalog = .builtIn, defaultUsageLocation: String? = nil,
        nestedGroups: Bool = true, skipDisabledAccounts: Bool = false, now: Date = Date()
    ) {
        self.users = users
        self.groups = groups
        self.rules = rules
        self.directAssignments = directAssignments
        self.previousGroupPaths = previousGroupPaths
        self.subscriptions = subscriptions
        self.catalog = catalog
        self.defaultUsageLocation = defaultUsageLocation
        self.nestedGroups = nestedGroups
        self.skipDisabledAccounts = skipDisabledAccounts
        self.now = now
    }
}
