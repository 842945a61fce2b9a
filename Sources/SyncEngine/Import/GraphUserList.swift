import TenantModel

/// A licence as Graph lists it on a user (`assignedLicenses`): ids, not names yet.
public struct GraphLicense: Sendable, Hashable {
    public var userId: String
    public var skuId: String
    public var disabledPlanIds: [String]
    /// Where the licence is in its file (`$.value[3].assignedLicenses[0]`), for errors found later.
    public var path: String

    public init(userId: String, skuId: String, disabledPlanIds: [String], path: String) {
        self.userId = userId
        self.skuId = skuId
        self.disabledPlanIds = disabledPlanIds
        self.path = path
    }
}

/// The users of a Graph `GET /users` body and the licences they hold.
public struct GraphUserList: Sendable, Hashable {
    /// Cloud users as the tenant model holds them (`enteredRun` 0: they were there before any sync).
    public var users: [TenantUser]
    public var licenses: [GraphLicense]
    /// The body's `@odata.nextLink`: when set, the file is one page of several and the rest is missing.
    public var nextLink: String?

    public init(users: [TenantUser], licenses: [GraphLicense], nextLink: String? = nil) {
        self.users = users
        self.licenses = licenses
        self.nextLink = nextLink
    }
}

/// Turns a SKU id into its part number and its plans' names by id (from the SKU catalog or a `/subscribedSkus`
/// body); `nil` for an id it does not know.
public typealias GraphSkuResolver = (_ skuId: String) -> (partNumber: String, planNameById: [String: String])?

/// The SKUs of a Graph `GET /subscribedSkus` body.
public struct GraphSubscribedSkus: Sendable, Hashable {
    /// Part numbers with their seats (`prepaidUnits.enabled`).
    public var subscriptions: [SubscribedSku]
    /// The SKUs with ids and plans as the tenant reports them.
    public var definitions: [SkuDefinition]

    public init(subscriptions: [SubscribedSku], definitions: [SkuDefinition]) {
        self.subscriptions = subscriptions
        self.definitions = definitions
    }

    /// Resolves SKU ids the body lists (ignoring case), to use where the catalog does not know a SKU.
    public func resolve(skuId: String) -> (partNumber: String, planNameById: [String: String])? {
        guard let sku = definitions.first(where: { $0.skuId.lowercased() == skuId.lowercased() }) else { return nil }
        let names = sku.servicePlans.map { ($0.servicePlanId.lowercased(), $0.servicePlanName) }
        return (sku.skuPartNumber, Dictionary(names, uniquingKeysWith: { first, _ in first }))
    }
}
