import TenantModel

extension SkuCatalog {
    /// This catalog with a configuration's `catalog` section added.
    ///
    /// - `skus`: custom SKUs, added with their plans; one with the part number of a known SKU replaces it. An empty
    ///   `skuId` or `servicePlanId` is filled in: a plan the catalog already knows keeps its id, anything else gets
    ///   `SkuCatalog.derivedId(kind:name:)` (a deterministic UUID, the same on every run and machine). Each plan's
    ///   `requires` is added to `requirements`.
    /// - `exclusive`: further sets of plans that may not be enabled together.
    /// - `removingExclusive`: sets to drop, built-in ones included, such as the built-in
    ///   `[EXCHANGE_S_STANDARD, EXCHANGE_S_ENTERPRISE]` pair where a tenant follows the Entra page that allows both.
    ///   A set is only dropped whole, when it names exactly the same plans; it is applied before `exclusive`.
    public func merging(skus: [SkuDefinition], exclusive: [[String]] = [], removingExclusive: [[String]] = []) -> SkuCatalog {
        var merged = self
        for var sku in skus {
            if sku.skuId.isEmpty { sku.skuId = Self.derivedId(kind: "sku", name: sku.skuPartNumber) }
            sku.servicePlans = sku.servicePlans.map { plan in
                var plan = plan
                if plan.servicePlanId.isEmpty {
                    plan.servicePlanId = merged.planId(name: plan.servicePlanName)
                        ?? Self.derivedId(kind: "plan", name: plan.servicePlanName)
                }
                return plan
            }
            merged.insert(sku)
        }
        for set in removingExclusive { merged.removeExclusiveSet(Set(set)) }
        for set in exclusive { merged.addExclusiveSet(Set(set)) }
        merged.rebuildExclusivePartners()
        return merged
    }

    /// A deterministic UUID for a configured SKU or plan that has no id.
    ///
    /// The text `tenantsync:<kind>:<NAME>` (kind `sku` or `plan`, the name upper-cased) is hashed with 64-bit FNV-1a
    /// twice (the second time with `#` appended); the 128 bits are laid out as an RFC 9562 version 8 (custom) UUID
    /// in lower case. The same name always gives the same id.
    public static func derivedId(kind: String, name: String) -> String {
        let text = "tenantsync:\(kind):\(name.uppercased())"
        var bytes = withUnsafeBytes(of: fnv1a(Array(text.utf8)).bigEndian, Array.init)
            + withUnsafeBytes(of: fnv1a(Array((text + "#").utf8)).bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
