import TenantModel

/// What the views need to know about the SKU catalog: ids for part numbers and plan names, and a SKU's plans.
///
/// A struct of closures so any catalog can be adapted to it without the views depending on the catalog's type.
/// All look-ups take the names the tenant model uses (SKU part numbers, service plan names).
public struct SkuLookup: Sendable {
    private let resolveSkuId: @Sendable (_ partNumber: String) -> String?
    private let resolvePlanId: @Sendable (_ name: String) -> String?
    private let listPlans: @Sendable (_ skuPartNumber: String) -> [(id: String, name: String)]

    /// A lookup made of three functions: the SKU's id (a GUID) for a part number such as `SPE_E3`, the service
    /// plan's id (a GUID) for a plan name such as `INTUNE_A` (each `nil` when unknown), and a SKU's service plans
    /// in catalog order (empty when unknown).
    public init(
        skuId: @escaping @Sendable (_ partNumber: String) -> String?,
        planId: @escaping @Sendable (_ name: String) -> String?,
        plans: @escaping @Sendable (_ skuPartNumber: String) -> [(id: String, name: String)]
    ) {
        self.resolveSkuId = skuId
        self.resolvePlanId = planId
        self.listPlans = plans
    }

    /// A lookup over a list of SKU definitions (part numbers are matched case-sensitively, as the catalog spells them).
    public init(catalog: [SkuDefinition]) {
        let skus = Dictionary(catalog.map { ($0.skuPartNumber, $0) }, uniquingKeysWith: { first, _ in first })
        var planIds: [String: String] = [:]
        for plan in catalog.flatMap(\.servicePlans) where planIds[plan.servicePlanName] == nil {
            planIds[plan.servicePlanName] = plan.servicePlanId
        }
        let plansByName = planIds
        self.init(
            skuId: { skus[$0]?.skuId },
            planId: { plansByName[$0] },
            plans: { skus[$0]?.servicePlans.map { (id: $0.servicePlanId, name: $0.servicePlanName) } ?? [] }
        )
    }

    /// The SKU's id for a part number (`skuId(forPartNumber:)`).
    public func skuId(forPartNumber partNumber: String) -> String? { resolveSkuId(partNumber) }

    /// The service plan's id for a plan name (`planId(forName:)`).
    public func planId(forName name: String) -> String? { resolvePlanId(name) }

    /// The SKU's service plans as `(id, name)` pairs.
    public func plans(ofSku skuPartNumber: String) -> [(id: String, name: String)] { listPlans(skuPartNumber) }

    /// A plan name as Graph shows it in `disabledPlans`: its id when known, else the name itself.
    func graphPlanId(_ name: String) -> String { resolvePlanId(name) ?? name }
}
