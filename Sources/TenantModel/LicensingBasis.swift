/// What the last applied run's licence evaluation stood on, stored with its changes: a later delta that touches few
/// users may then evaluate only those (and the users still waiting for a licence) instead of the whole tenant.
public struct LicensingBasis: Sendable, Hashable {
    /// Identifies everything besides the tenant that the evaluation depended on: the rules, the licensing options,
    /// the default usage location and the SKU catalog. Another fingerprint means a whole evaluation.
    public var fingerprint: String
    /// Users holding each SKU after the run (by the catalog's spelling of the part number), directly or through an
    /// active group path.
    public var consumedUnits: [String: Int]

    public init(fingerprint: String, consumedUnits: [String: Int]) {
        self.fingerprint = fingerprint
        self.consumedUnits = consumedUnits
    }
}
