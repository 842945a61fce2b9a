import TenantModel

/// What a licensing evaluation decided.
public struct LicensingResult: Sendable {
    /// The complete desired set of group paths, in error or not, in rule order.
    public var groupPaths: [LicensePath]
    /// For each of `groupPaths`, the index in the input's `previousGroupPaths` of the path with the same key, or -1:
    /// `PathDiff.between(previous:desired:origins:)` then needs no lookups.
    public var groupPathOrigins: [Int] = []
    /// One path per direct assignment of a live user, for display (always `Active`).
    public var directPaths: [LicensePath]
    /// User id → usage location to write (the default, for users who get a group path and have none).
    public var usageLocationUpdates: [String: String]
    /// One finding per group path in error, then the direct-assignment findings.
    public var findings: [Finding]
    /// Rules that could not be applied this run.
    public var ruleProblems: [RuleProblem]
    /// Groups that contain themselves through nesting, each as its sorted group ids (only with `nestedGroups`).
    public var groupCycles: [[String]]
    /// Users holding each SKU (directly or by an active group path), for every subscribed or held SKU.
    public var consumedUnits: [String: Int]

    public init(
        groupPaths: [LicensePath] = [], directPaths: [LicensePath] = [], usageLocationUpdates: [String: String] = [:],
        findings: [Finding] = [], ruleProblems: [RuleProblem] = [], groupCycles: [[String]] = [],
        consumedUnits: [String: Int] = [:]
    ) {
        self.groupPaths = groupPaths
        self.directPaths = directPaths
        self.usageLocationUpdates = usageLocationUpdates
        self.findings = findings
        self.ruleProblems = ruleProblems
        self.groupCycles = groupCycles
        self.consumedUnits = consumedUnits
    }
}
