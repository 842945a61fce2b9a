/// A service plan inside a SKU (`EXCHANGE_S_ENTERPRISE`, `INTUNE_A`, ...).
public struct ServicePlan: Sendable, Hashable, Codable {
    public var servicePlanId: String
    public var servicePlanName: String
    /// Names of plans that must be enabled for this one to work.
    public var requires: [String]

    public init(servicePlanId: String, servicePlanName: String, requires: [String] = []) {
        self.servicePlanId = servicePlanId
        self.servicePlanName = servicePlanName
        self.requires = requires
    }
}

/// A product as the catalog knows it: its part number, id and plans.
public struct SkuDefinition: Sendable, Hashable, Codable {
    public var skuId: String
    public var skuPartNumber: String
    public var displayName: String
    public var servicePlans: [ServicePlan]

    public init(skuId: String, skuPartNumber: String, displayName: String = "", servicePlans: [ServicePlan]) {
        self.skuId = skuId
        self.skuPartNumber = skuPartNumber
        self.displayName = displayName
        self.servicePlans = servicePlans
    }

    public var planNames: [String] { servicePlans.map(\.servicePlanName) }
}

/// A SKU the tenant has bought, with its seat count (Graph's `subscribedSku`).
public struct SubscribedSku: Sendable, Hashable, Codable {
    public var skuPartNumber: String
    public var enabledUnits: Int

    public init(skuPartNumber: String, enabledUnits: Int) {
        self.skuPartNumber = skuPartNumber
        self.enabledUnits = enabledUnits
    }
}
