import TenantModel

extension SkuCatalog {
    /// The catalog generated from Microsoft's public licensing table, parsed once on first use.
    public static let builtIn: SkuCatalog = parseBuiltIn()

    private static func parseBuiltIn() -> SkuCatalog {
        let plans: [ServicePlan] = BuiltInCatalogData.plans.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return ServicePlan(servicePlanId: String(fields[1]), servicePlanName: String(fields[0]))
        }
        let skus: [SkuDefinition] = BuiltInCatalogData.skus.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let planIndexes = fields[3].split(separator: ",").compactMap { Int($0) }
            return SkuDefinition(
                skuId: String(fields[1]), skuPartNumber: String(fields[0]), displayName: String(fields[2]),
                servicePlans: planIndexes.map { plans[$0] }
            )
        }
        let exclusive: [Set<String>] = BuiltInCatalogData.exclusiveSets.split(separator: "\n").map { line in
            Set(line.split(separator: ",").map(String.init))
        }
        return SkuCatalog(skus: skus, exclusiveSets: exclusive)
    }
}

extension SkuCatalog {
    /// A digest of the built-in catalog's data (FNV-1a, hex): another release with other SKUs or plans has another.
    public static let builtInDigest: String = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for text in [BuiltInCatalogData.plans, BuiltInCatalogData.skus, BuiltInCatalogData.exclusiveSets] {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
        }
        return String(hash, radix: 16)
    }()
}
