import Foundation

/// One entry of `subscriptions`: seats bought for a SKU.
public struct SubscriptionConfig: Sendable, Equatable {
    /// The `skuPartNumber` (the key), with where it was written.
    public var sku: Located<String>
    /// Seats bought (the value), zero or more.
    public var seats: Int

    /// Creates an entry.
    public init(sku: Located<String>, seats: Int) {
        self.sku = sku
        self.seats = seats
    }
}

/// One entry of `licenses`: members of `group` get `sku` without `disabledPlans`.
public struct LicenseRuleConfig: Sendable, Equatable {
    /// `group`: the group's name (cn) or full DN. Required.
    public var group: Located<String>
    /// `sku`: the `skuPartNumber`. Required.
    public var sku: Located<String>
    /// `disabledPlans`: service plans of the SKU to leave off. Default none.
    public var disabledPlans: [Located<String>]

    /// Creates a rule.
    public init(group: Located<String>, sku: Located<String>, disabledPlans: [Located<String>] = []) {
        self.group = group
        self.sku = sku
        self.disabledPlans = disabledPlans
    }
}

/// `licensing`: options of the rule evaluation.
public struct LicensingOptionsConfig: Sendable, Equatable {
    /// `nestedGroups`: members of nested groups inherit, at any depth. Default true.
    public var nestedGroups: Bool
    /// `skipDisabledAccounts`: disabled accounts get no group licenses. Default false.
    public var skipDisabledAccounts: Bool

    /// Creates the section with the defaults.
    public init(nestedGroups: Bool = true, skipDisabledAccounts: Bool = false) {
        self.nestedGroups = nestedGroups
        self.skipDisabledAccounts = skipDisabledAccounts
    }
}

/// `catalog`: SKUs and exclusive plan sets beyond the built-in catalog.
public struct CatalogConfig: Sendable, Equatable {
    /// `skus`: extra SKUs with their service plans.
    public var skus: [CatalogSkuConfig]
    /// `exclusive`: sets of service plans that may not be enabled together for one user.
    public var exclusive: [[Located<String>]]

    /// Creates the section; empty by default.
    public init(skus: [CatalogSkuConfig] = [], exclusive: [[Located<String>]] = []) {
        self.skus = skus
        self.exclusive = exclusive
    }
}

/// One entry of `catalog.skus`.
public struct CatalogSkuConfig: Sendable, Equatable {
    /// `sku`: the `skuPartNumber`. Required.
    public var sku: Located<String>
    /// `skuId`: the SKU's GUID. Required.
    public var skuId: UUID
    /// `servicePlans`: the plans the SKU contains. Default none.
    public var servicePlans: [ServicePlanConfig]

    /// Creates an entry.
    public init(sku: Located<String>, skuId: UUID, servicePlans: [ServicePlanConfig] = []) {
        self.sku = sku
        self.skuId = skuId
        self.servicePlans = servicePlans
    }
}

/// One entry of `catalog.skus[i].servicePlans`.
public struct ServicePlanConfig: Sendable, Equatable {
    /// `name`: the service plan name. Required.
    public var name: Located<String>
    /// `id`: the plan's GUID, if known.
    public var id: UUID?
    /// `requires`: plans that must be enabled for this one to work.
    public var requires: [Located<String>]

    /// Creates a plan.
    public init(name: Located<String>, id: UUID? = nil, requires: [Located<String>] = []) {
        self.name = name
        self.id = id
        self.requires = requires
    }
}
