import TenantModel

extension SkuCatalog {
    /// The catalog generated from Microsoft's public licensing table, parsed once on first use.
    public static let builtIn: SkuCatalog = parseBuiltIn()

    // Split as UTF-8 bytes: splitting the String itself walks grapheme clusters, which costs every short run
    // (a delta) several milliseconds at start.
    private static func parseBuiltIn() -> SkuCatalog {
        let plans: [ServicePlan] = lines(BuiltInCatalogData.plans).map { line in
            let fields = fields(line, "\t")
            return ServicePlan(servicePlanId: text(fields[1]), servicePlanName: text(fields[0]))
        }
        let skus: [SkuDefinition] = lines(BuiltInCatalogData.skus).map { line in
            let fields = fields(line, "\t")
            let planIndexes = fields[3].split(separator: UInt8(ascii: ",")).compactMap { Int(text($0)) }
            return SkuDefinition(
                skuId: text(fields[1]), skuPartNumber: text(fields[0]), displayName: text(fields[2]),
                servicePlans: planIndexes.map { plans[$0] }
            )
        }
        let exclusive: [Set<String>] = lines(BuiltInCatalogData.exclusiveSets).map { line in
            Set(line.split(separator: UInt8(ascii: ",")).map(text))
        }
        return SkuCatalog(skus: skus, exclusiveSets: exclusive)
    }

    private static func lines(_ data: String) -> [Substring.UTF8View] {
        data.utf8.split(separator: UInt8(ascii: "\n"))
    }

    private static func fields(_ line: Substring.UTF8View, _ separator: Unicode.Scalar) -> [Substring.UTF8View] {
        line.split(separator: UInt8(ascii: separator), omittingEmptySubsequences: false)
    }

    private static func text(_ bytes: Substring.UTF8View) -> String {
        String(Substring(bytes))
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
