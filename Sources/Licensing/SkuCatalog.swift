import TenantModel

/// The products the tenant can license: SKUs with their service plans, which plans exclude each other and which
/// plans need others.
///
/// `builtIn` holds Microsoft's public table "Product names and service plan identifiers for licensing" (generated
/// into `BuiltInCatalogData` by `scripts/generate-catalog.py`) with the documented mutually exclusive plan sets and no
/// dependencies (the table documents none); `merging(skus:exclusive:removingExclusive:)` adds a configuration's
/// `catalog` section. Part numbers and plan names are looked up case-insensitively and answered in the catalog's
/// spelling.
public struct SkuCatalog: Sendable {
    /// SKUs keyed by upper-cased part number.
    private var skusByUpperPartNumber: [String: SkuDefinition] = [:]
    /// Upper-cased part numbers keyed by lower-cased skuId.
    private var upperPartNumbersById: [String: String] = [:]
    /// Plan ids keyed by upper-cased plan name (the first id seen wins when the table lists a name twice).
    private var planIdsByUpperName: [String: String] = [:]
    /// Plan names in the catalog's spelling, keyed by upper-cased name.
    private var planNamesByUpperName: [String: String] = [:]
    /// For each plan in an exclusive set, the plans it may not be enabled with (sorted, for stable messages).
    private(set) var exclusivePartners: [String: [String]] = [:]
    /// A bit number for each plan in an exclusive set, so exclusivity can be checked on bit masks.
    private(set) var exclusiveBits: [String: Int] = [:]

    /// The plan names of each SKU, keyed by part number in the catalog's spelling.
    public private(set) var plansBySku: [String: Set<String>] = [:]
    /// Sets of plan names of which no two may be enabled for one user.
    public private(set) var exclusiveSets: [Set<String>] = []
    /// Plan name → names of the plans it needs enabled alongside it (all of them).
    public private(set) var requirements: [String: [String]] = [:]

    /// A catalog of exactly these SKUs, exclusive sets and requirements.
    ///
    /// Requirements are the union of `requirements` and each service plan's `requires`. A SKU listed twice keeps
    /// the later definition.
    public init(skus: [SkuDefinition], exclusiveSets: [Set<String>] = [], requirements: [String: [String]] = [:]) {
        for sku in skus { insert(sku) }
        for (plan, required) in requirements { addRequirements(required, to: plan) }
        for set in exclusiveSets { addExclusiveSet(set) }
        rebuildExclusivePartners()
    }

    /// The SKU with this part number, compared case-insensitively.
    public func sku(partNumber: String) -> SkuDefinition? {
        skusByUpperPartNumber[partNumber.uppercased()]
    }

    /// The SKU with this skuId, compared case-insensitively.
    public func sku(id: String) -> SkuDefinition? {
        upperPartNumbersById[id.lowercased()].flatMap { skusByUpperPartNumber[$0] }
    }

    /// The id of the service plan with this name, compared case-insensitively.
    public func planId(name: String) -> String? {
        planIdsByUpperName[name.uppercased()]
    }

    /// The plan's name in the catalog's spelling, when the catalog knows it.
    public func canonicalPlanName(_ name: String) -> String? {
        planNamesByUpperName[name.uppercased()]
    }

    /// Every part number, sorted.
    public var allPartNumbers: [String] {
        skusByUpperPartNumber.values.map(\.skuPartNumber).sorted()
    }

    /// Every service plan name, sorted.
    public var allPlanNames: [String] {
        planNamesByUpperName.values.sorted()
    }

    // MARK: - Building

    mutating func insert(_ sku: SkuDefinition) {
        let key = sku.skuPartNumber.uppercased()
        if let old = skusByUpperPartNumber[key] {
            plansBySku[old.skuPartNumber] = nil
            upperPartNumbersById[old.skuId.lowercased()] = nil
        }
        skusByUpperPartNumber[key] = sku
        upperPartNumbersById[sku.skuId.lowercased()] = key
        plansBySku[sku.skuPartNumber] = Set(sku.servicePlans.map(\.servicePlanName))
        for plan in sku.servicePlans {
            let upper = plan.servicePlanName.uppercased()
            if planIdsByUpperName[upper] == nil { planIdsByUpperName[upper] = plan.servicePlanId }
            if planNamesByUpperName[upper] == nil { planNamesByUpperName[upper] = plan.servicePlanName }
            addRequirements(plan.requires, to: plan.servicePlanName)
        }
    }

    mutating func addRequirements(_ required: [String], to plan: String) {
        guard !required.isEmpty else { return }
        var list = requirements[plan] ?? []
        for name in required where !list.contains(name) { list.append(name) }
        requirements[plan] = list
    }

    mutating func addExclusiveSet(_ set: Set<String>) {
        guard set.count > 1, !exclusiveSets.contains(set) else { return }
        exclusiveSets.append(set)
    }

    mutating func removeExclusiveSet(_ set: Set<String>) {
        exclusiveSets.removeAll { $0 == set }
    }

    mutating func rebuildExclusivePartners() {
        var partners: [String: Set<String>] = [:]
        for set in exclusiveSets {
            for plan in set { partners[plan, default: []].formUnion(set.subtracting([plan])) }
        }
        exclusivePartners = partners.mapValues { $0.sorted() }
        exclusiveBits = Dictionary(uniqueKeysWithValues: partners.keys.sorted().enumerated().map { ($1, $0) })
    }
}
