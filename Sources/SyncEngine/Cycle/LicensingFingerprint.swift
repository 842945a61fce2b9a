import Licensing

extension SyncContext {
    /// What a licence evaluation depends on besides the tenant (see `LicensingBasis.fingerprint`): the evaluator's
    /// version, the rules as configured, the licensing options, the default usage location and the catalog. Built from values only, so
    /// comments or moved lines in the file do not change it.
    var licensingFingerprint: String {
        let config = self.config
        var parts: [String] = ["evaluator \(LicenseEvaluator.version)", "catalog \(SkuCatalog.builtInDigest)"]
        for rule in config.licenses {
            parts.append("rule \(rule.group.value)\u{1F}\(rule.sku.value)\u{1F}\(rule.disabledPlans.map(\.value).joined(separator: ","))")
        }
        parts.append("nested \(config.licensing.nestedGroups) skipDisabled \(config.licensing.skipDisabledAccounts)")
        parts.append("location \(config.tenant.defaultUsageLocation ?? "")")
        for sku in config.catalog.skus {
            let plans = sku.servicePlans.map { plan in
                "\(plan.name.value)=\(plan.id?.uuidString ?? "")<\(plan.requires.map(\.value).joined(separator: ","))"
            }
            parts.append("sku \(sku.sku.value)\u{1F}\(sku.skuId.uuidString)\u{1F}\(plans.joined(separator: ";"))")
        }
        for set in config.catalog.exclusive { parts.append("exclusive \(set.map(\.value).joined(separator: ","))") }
        return parts.joined(separator: "\n")
    }
}
