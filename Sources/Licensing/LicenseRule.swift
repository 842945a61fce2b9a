/// One group-based licence rule from the configuration's `licenses` list.
public struct LicenseRule: Sendable, Hashable {
    /// Position in the configuration's list (from 0); lower positions are served first when seats run short.
    public var index: Int
    /// The group as written in the configuration: its name (cn) or its full DN.
    public var groupSpec: String
    public var skuPartNumber: String
    /// Service plan names switched off for the paths this rule makes.
    public var disabledPlans: [String]
    /// Identifies the rule across runs (for example `"<normalized group>|<SKU>"`); it becomes `LicensePath.ruleKey`.
    public var key: String

    public init(index: Int, groupSpec: String, skuPartNumber: String, disabledPlans: [String] = [], key: String) {
        self.index = index
        self.groupSpec = groupSpec
        self.skuPartNumber = skuPartNumber
        self.disabledPlans = disabledPlans
        self.key = key
    }
}

/// What a rule's `groupSpec` names in the tenant, as resolved by the caller.
public enum RuleGroupResolution: Sendable, Hashable {
    case resolved(groupId: String)
    case notFound
    /// The name matches several groups.
    case ambiguous(groupIds: [String])
}

/// A rule together with the group it names.
public struct ResolvedLicenseRule: Sendable, Hashable {
    public var rule: LicenseRule
    public var group: RuleGroupResolution

    public init(rule: LicenseRule, group: RuleGroupResolution) {
        self.rule = rule
        self.group = group
    }
}

/// A rule that could not be applied this run. It licenses nobody new; the paths it made before are kept.
public struct RuleProblem: Sendable, Hashable {
    /// Why the rule could not be applied.
    public enum Kind: String, Sendable, Hashable {
        /// No group has that name or DN (or the resolved group is not in the tenant).
        case groupNotFound
        /// Several groups have that name.
        case groupAmbiguous
        /// An earlier rule has the same key; this one is ignored.
        case duplicateKey
    }

    public var rule: LicenseRule
    public var kind: Kind
    /// A readable sentence for the report.
    public var message: String

    public init(rule: LicenseRule, kind: Kind, message: String) {
        self.rule = rule
        self.kind = kind
        self.message = message
    }
}
