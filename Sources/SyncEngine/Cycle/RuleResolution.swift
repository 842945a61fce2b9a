import LDAPClient
import Licensing
import TenantModel

/// Turns the configuration's `licenses` rules into rules resolved against the tenant's groups.
struct RuleResolution: Sendable {
    var rules: [LicenseRuleConfig]

    /// Resolves each rule's group, named by its `cn` (case-insensitive) or by its full DN.
    func resolve(against groups: [TenantGroup]) -> [ResolvedLicenseRule] {
        var byDN: [String: String] = [:]
        var byName: [String: [String]] = [:]
        // Only the groups a rule names are kept; only rules naming a DN need the groups' DNs normalised, and only
        // names as long as a rule's are compared.
        let ruleDNs = Set(rules.compactMap { Self.distinguishedName($0.group.value)?.normalized })
        let ruleNames = Set(rules.map { $0.group.value.lowercased() })
        let nameLengths = Set(ruleNames.map(\.utf8.count))
        for group in groups {
            if !ruleDNs.isEmpty, let dn = try? DistinguishedName.normalize(group.onPremisesDistinguishedName), ruleDNs.contains(dn) {
                byDN[dn] = group.id
            }
            // Lower-casing keeps the length of ASCII text; other text is compared whatever its length.
            let name = group.displayName.utf8
            guard nameLengths.contains(name.count) || name.contains(where: { $0 >= 0x80 }) else { continue }
            let lowered = group.displayName.lowercased()
            if ruleNames.contains(lowered) { byName[lowered, default: []].append(group.id) }
        }
        return rules.enumerated().map { index, config in
            let spec = config.group.value
            let rule = LicenseRule(
                index: index, groupSpec: spec, skuPartNumber: config.sku.value, disabledPlans: config.disabledPlans.map(\.value),
                key: Self.key(groupSpec: spec, sku: config.sku.value))
            let resolution: RuleGroupResolution
            if let dn = Self.distinguishedName(spec) {
                resolution = byDN[dn.normalized].map { .resolved(groupId: $0) } ?? .notFound
            } else {
                let matches = byName[spec.lowercased()] ?? []
                switch matches.count {
                case 0: resolution = .notFound
                case 1: resolution = .resolved(groupId: matches[0])
                default: resolution = .ambiguous(groupIds: matches.sorted())
                }
            }
            return ResolvedLicenseRule(rule: rule, group: resolution)
        }
    }

    /// Identifies a rule across runs, so a deleted or changed rule removes exactly the paths it made.
    static func key(groupSpec: String, sku: String) -> String {
        let group = distinguishedName(groupSpec).map { "dn:" + $0.normalized } ?? "name:" + groupSpec.lowercased()
        return group + "|" + sku.uppercased()
    }

    /// A group spec is a DN when it parses as one with an attribute type; otherwise it is a name.
    private static func distinguishedName(_ spec: String) -> DistinguishedName? {
        guard spec.contains("="), let dn = try? DistinguishedName(spec), !dn.isRoot else { return nil }
        return dn
    }
}
