/// What a conflict or finding is about: the licence error names, plus the two findings on direct assignments.
public enum FindingKind: String, Sendable, Hashable, Codable, CaseIterable {
    case countViolation = "CountViolation"
    case mutuallyExclusiveViolation = "MutuallyExclusiveViolation"
    case dependencyViolation = "DependencyViolation"
    case prohibitedInUsageLocationViolation = "ProhibitedInUsageLocationViolation"
    case uniquenessViolation = "UniquenessViolation"
    case other = "Other"
    /// A direct assignment the group path fully covers: safe to remove.
    case redundantDirectAssignment = "RedundantDirectAssignment"
    /// A direct assignment that enables plans the group path does not.
    case directAssignmentPlanMismatch = "DirectAssignmentPlanMismatch"

    /// The finding for a licence error, `nil` for `.none`.
    public init?(_ error: LicenseError) {
        guard error != .none, let kind = FindingKind(rawValue: error.rawValue) else { return nil }
        self = kind
    }

    /// Errors put a user in a licence error state; the two direct-assignment findings are advice.
    public var isError: Bool {
        self != .redundantDirectAssignment && self != .directAssignmentPlanMismatch
    }
}

/// One conflict or finding, in the shape of `tenantsync conflicts --json`.
public struct Finding: Sendable, Hashable, Codable {
    public var kind: FindingKind
    public var userPrincipalName: String
    public var skuPartNumber: String?
    /// The group's display name, when a group path is involved.
    public var group: String?
    public var detail: String

    public init(kind: FindingKind, userPrincipalName: String, skuPartNumber: String? = nil, group: String? = nil, detail: String) {
        self.kind = kind
        self.userPrincipalName = userPrincipalName
        self.skuPartNumber = skuPartNumber
        self.group = group
        self.detail = detail
    }

    /// The prefix of a quarantined entry's detail.
    public static let quarantinePrefix = "quarantined: "

    /// Whether this reports a directory entry that was quarantined (not created or changed).
    public var isQuarantine: Bool { detail.hasPrefix(Self.quarantinePrefix) }

    /// The DN of the quarantined entry (the detail reads `quarantined: DN: reason`); nil for other findings.
    public var quarantinedDN: String? {
        guard isQuarantine else { return nil }
        let rest = detail.dropFirst(Self.quarantinePrefix.count)
        return rest.range(of: ": ").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
    }

    /// Whether this puts a tenant user in a licence error state, which makes a run end `completedWithErrors`
    /// (exit 2). Advice findings do not; neither do entries quarantined for a missing or unusable attribute, nor
    /// findings about rules and groups rather than a user. A duplicate UPN (`UniquenessViolation`) does.
    public var isLicenseError: Bool {
        guard kind.isError, !userPrincipalName.isEmpty else { return false }
        return !isQuarantine || kind == .uniquenessViolation
    }

    enum CodingKeys: String, CodingKey { case kind, userPrincipalName, skuPartNumber, group, detail }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(userPrincipalName, forKey: .userPrincipalName)
        try container.encode(skuPartNumber, forKey: .skuPartNumber)
        try container.encode(group, forKey: .group)
        try container.encode(detail, forKey: .detail)
    }
}
