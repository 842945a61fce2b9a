/// Checks every SKU and service-plan name in `config` against a catalog, so typos are configuration
/// errors instead of licenses that silently never arrive.
///
/// - `knownSkus`: `skuPartNumber`s of the built-in catalog; `config.catalog.skus` count as known too.
/// - `plansBySku`: service-plan names per `skuPartNumber` of the built-in catalog (config catalog SKUs
///   are added, replacing a built-in entry of the same name).
/// - `allPlans`: every service-plan name of the built-in catalog (config catalog plans are added).
///
/// Reports: an unknown SKU in `subscriptions` or `licenses`; a `disabledPlans` entry that is not a plan of
/// its rule's SKU; an unknown plan in `catalog.exclusive` or in a `requires` list; a rule whose SKU has
/// no `subscriptions` entry (no seats bought) when the file has a `subscriptions` section at all. Unknown names get a did-you-mean hint when one is close.
/// The result is in file order; empty means all names are known.
public func validateLicensingNames(
    _ config: TenantSyncConfig,
    knownSkus: Set<String>,
    plansBySku: [String: Set<String>],
    allPlans: Set<String>
) -> [ConfigError] {
    validateLicensingNames(config.licensingSections, knownSkus: knownSkus, plansBySku: plansBySku, allPlans: allPlans)
}

/// ``validateLicensingNames(_:knownSkus:plansBySku:allPlans:)`` for the licensing sections alone, as they decoded
/// from a file with other errors.
public func validateLicensingNames(
    _ config: LicensingSections,
    knownSkus: Set<String>,
    plansBySku: [String: Set<String>],
    allPlans: Set<String>
) -> [ConfigError] {
    var skus = knownSkus
    var skuPlans = plansBySku
    var plans = allPlans
    for sku in config.catalog.skus {
        let names = Set(sku.servicePlans.map(\.name.value))
        skus.insert(sku.sku.value)
        skuPlans[sku.sku.value] = names
        plans.formUnion(names)
    }
    let sortedSkus = skus.sorted()
    var errors: [ConfigError] = []

    func unknownSku(_ name: Located<String>, keyPath: String) -> Bool {
        guard !skus.contains(name.value) else { return false }
        errors.append(ConfigError(
            at: name.location, keyPath: keyPath, message: "unknown SKU \(name.value)",
            hint: DidYouMean.hint(for: name.value, among: sortedSkus)
                ?? "use a skuPartNumber of the catalog, or add the SKU under catalog.skus"
        ))
        return true
    }

    func checkPlan(_ name: Located<String>, keyPath: String) {
        guard !plans.contains(name.value) else { return }
        errors.append(ConfigError(
            at: name.location, keyPath: keyPath, message: "unknown service plan \(name.value)",
            hint: DidYouMean.hint(for: name.value, among: plans.sorted())
        ))
    }

    for subscription in config.subscriptions {
        _ = unknownSku(subscription.sku, keyPath: "subscriptions.\(subscription.sku.value)")
    }
    let subscribed = Set(config.subscriptions.map(\.sku.value))
    for (index, rule) in config.licenses.enumerated() {
        let path = "licenses[\(index)]"
        if unknownSku(rule.sku, keyPath: "\(path).sku") { continue }
        // Without a `subscriptions` section the seats come from the cloud (`import-tenant --skus`); with one, a rule
        // for a SKU it does not list is most likely a slip.
        if !config.subscriptions.isEmpty && !subscribed.contains(rule.sku.value) {
            errors.append(ConfigError(
                at: rule.sku.location, keyPath: "\(path).sku",
                message: "no seats: \(rule.sku.value) is not listed under subscriptions",
                hint: "add \(rule.sku.value) under subscriptions with the number of seats bought"
            ))
        }
        let skuPlanNames = skuPlans[rule.sku.value] ?? []
        for (planIndex, plan) in rule.disabledPlans.enumerated() where !skuPlanNames.contains(plan.value) {
            let hint = DidYouMean.hint(for: plan.value, among: skuPlanNames.sorted())
                ?? "\(rule.sku.value) has the plans \(skuPlanNames.sorted().joined(separator: ", "))"
            errors.append(ConfigError(
                at: plan.location, keyPath: "\(path).disabledPlans[\(planIndex)]",
                message: "\(plan.value) is not a service plan of \(rule.sku.value)", hint: hint
            ))
        }
    }
    for (skuIndex, sku) in config.catalog.skus.enumerated() {
        for (planIndex, plan) in sku.servicePlans.enumerated() {
            for (requiredIndex, required) in plan.requires.enumerated() {
                checkPlan(required, keyPath:
                    "catalog.skus[\(skuIndex)].servicePlans[\(planIndex)].requires[\(requiredIndex)]")
            }
        }
    }
    for (setIndex, set) in config.catalog.exclusive.enumerated() {
        for (planIndex, plan) in set.enumerated() {
            checkPlan(plan, keyPath: "catalog.exclusive[\(setIndex)][\(planIndex)]")
        }
    }
    return ConfigErrors(errors).errors
}
