import TenantModel

extension SkuCatalog {
    /// The catalog generated from Microsoft's public licensing table, parsed once on first use.
    public static let builtIn: SkuCatalog = parseBuiltIn()

    // Read as UTF-8 bytes with a plain scan: the standard library's generic split (let alone splitting the String
    // by grapheme clusters) costs every short run, a delta, milliseconds at start.
    private static func parseBuiltIn() -> SkuCatalog {
        let plans: [ServicePlan] = rows(BuiltInCatalogData.plans, fields: 2).map { fields in
            ServicePlan(servicePlanId: fields[1], servicePlanName: fields[0])
        }
        let skus: [SkuDefinition] = rows(BuiltInCatalogData.skus, fields: 4).map { fields in
            SkuDefinition(
                skuId: fields[1], skuPartNumber: fields[0], displayName: fields[2],
                servicePlans: numbers(fields[3]).map { plans[$0] })
        }
        let exclusive: [Set<String>] = rows(BuiltInCatalogData.exclusiveSets, fields: 1).map { fields in
            Set(fields[0].split(separator: ",").map(String.init))
        }
        return SkuCatalog(skus: skus, exclusiveSets: exclusive)
    }

    /// The comma-separated decimal numbers of `list`.
    private static func numbers(_ list: String) -> [Int] {
        var numbers: [Int] = []
        var current = 0
        var digits = 0
        for byte in list.utf8 {
            if byte == UInt8(ascii: ",") {
                if digits > 0 { numbers.append(current) }
                current = 0
                digits = 0
            } else {
                current = current * 10 + Int(byte &- UInt8(ascii: "0"))
                digits += 1
            }
        }
        if digits > 0 { numbers.append(current) }
        return numbers
    }

    /// The non-empty lines of `data`, each split at tabs into `fields` texts (the last takes the rest of the line).
    private static func rows(_ data: String, fields count: Int) -> [[String]] {
        var data = data
        return data.withUTF8 { bytes in
            var rows: [[String]] = []
            var fields: [String] = []
            var start = 0
            for index in 0...bytes.count {
                let byte = index < bytes.count ? bytes[index] : UInt8(ascii: "\n")
                let endsField = byte == UInt8(ascii: "\t") && fields.count < count - 1
                guard endsField || byte == UInt8(ascii: "\n") else { continue }
                let field = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                start = index + 1
                if endsField {
                    fields.append(field)
                    continue
                }
                if !fields.isEmpty || !field.isEmpty {
                    fields.append(field)
                    rows.append(fields)
                }
                fields = []
                fields.reserveCapacity(count)
            }
            return rows
        }
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
