extension ConfigDecoder {
    static func decodeCatalog(_ node: ConfigNode) -> CatalogConfig? {
        guard let catalog = node.mapping(allowedKeys: ["skus", "exclusive"]) else { return nil }
        let skus = catalog.value("skus")?.sequence()?.compactMap(decodeCatalogSku) ?? []
        var seen: Set<String> = []
        for sku in skus where !seen.insert(sku.sku.value).inserted {
            node.diagnostics.report(ConfigError(
                at: sku.sku.location, keyPath: "catalog.skus", message: "SKU \(sku.sku.value) is listed twice"
            ))
        }
        let exclusive: [[Located<String>]] = catalog.value("exclusive")?.sequence()?.compactMap { set in
            guard let plans = set.locatedStrings() else { return nil }
            guard plans.count >= 2 else {
                set.report("an exclusive set needs at least two plans")
                return nil
            }
            return plans
        } ?? []
        return CatalogConfig(skus: skus, exclusive: exclusive)
    }

    private static func decodeCatalogSku(_ node: ConfigNode) -> CatalogSkuConfig? {
        guard let entry = node.mapping(allowedKeys: ["sku", "skuId", "servicePlans"]) else { return nil }
        let sku = entry.required("sku")?.nonEmptyLocatedString()
        let skuId = entry.required("skuId")?.uuid()
        let plans = entry.value("servicePlans")?.sequence()?.compactMap(decodeServicePlan) ?? []
        var seen: Set<String> = []
        for plan in plans where !seen.insert(plan.name.value).inserted {
            node.diagnostics.report(ConfigError(
                at: plan.name.location, keyPath: node.path.appending(key: "servicePlans").description,
                message: "service plan \(plan.name.value) is listed twice"
            ))
        }
        guard let sku, let skuId else { return nil }
        return CatalogSkuConfig(sku: sku, skuId: skuId, servicePlans: plans)
    }

    private static func decodeServicePlan(_ node: ConfigNode) -> ServicePlanConfig? {
        guard let plan = node.mapping(allowedKeys: ["name", "id", "requires"]) else { return nil }
        let name = plan.required("name")?.nonEmptyLocatedString()
        let id = plan.value("id")?.uuid()
        let requires = plan.value("requires")?.locatedStrings() ?? []
        guard let name else { return nil }
        return ServicePlanConfig(name: name, id: id, requires: requires)
    }
}
