import Foundation

/// A licence the user holds by direct assignment (`license assign`, or imported from the cloud).
///
/// A sync never removes one; only `tenantsync license remove` does.
public struct DirectAssignment: Sendable, Hashable, Codable {
    public var userId: String
    public var skuPartNumber: String
    /// Service plan names switched off for this assignment.
    public var disabledPlans: [String]
    /// When the assignment was made or its disabled plans last changed: the `lastUpdatedDateTime` of its direct path.
    /// `nil` for one not yet stored (the store stamps it when it writes it).
    public var lastUpdatedDateTime: Date?

    public init(userId: String, skuPartNumber: String, disabledPlans: [String] = [], lastUpdatedDateTime: Date? = nil) {
        self.userId = userId
        self.skuPartNumber = skuPartNumber
        self.disabledPlans = disabledPlans
        self.lastUpdatedDateTime = lastUpdatedDateTime
    }
}

/// Graph's `licenseAssignmentState.state`.
public enum AssignmentState: String, Sendable, Hashable, Codable, CaseIterable {
    case active = "Active"
    /// The user holds the SKU through another path, but this path failed.
    case activeWithError = "ActiveWithError"
    case disabled = "Disabled"
    case error = "Error"
}

/// Graph's `licenseAssignmentState.error`.
public enum LicenseError: String, Sendable, Hashable, Codable, CaseIterable {
    case none = "None"
    case countViolation = "CountViolation"
    case mutuallyExclusiveViolation = "MutuallyExclusiveViolation"
    case dependencyViolation = "DependencyViolation"
    case prohibitedInUsageLocationViolation = "ProhibitedInUsageLocationViolation"
    case uniquenessViolation = "UniquenessViolation"
    case other = "Other"
}

/// One way a user gets a SKU: directly, or through one group rule. Every path, failed or not, is one row.
public struct LicensePath: Sendable, Hashable, Codable {
    public var userId: String
    public var skuPartNumber: String
    /// The group whose rule made this path; `nil` for a direct assignment.
    public var assignedByGroup: String?
    /// The rule's key (`LicenseRuleKey`) that made this path; `nil` for a direct assignment.
    public var ruleKey: String?
    public var disabledPlans: [String]
    public var state: AssignmentState
    public var error: LicenseError
    /// A readable explanation when `error` is not `.none`.
    public var errorDetail: String?
    public var lastUpdatedDateTime: Date

    public init(
        userId: String, skuPartNumber: String, assignedByGroup: String? = nil, ruleKey: String? = nil,
        disabledPlans: [String] = [], state: AssignmentState = .active, error: LicenseError = .none,
        errorDetail: String? = nil, lastUpdatedDateTime: Date
    ) {
        self.userId = userId
        self.skuPartNumber = skuPartNumber
        self.assignedByGroup = assignedByGroup
        self.ruleKey = ruleKey
        self.disabledPlans = disabledPlans
        self.state = state
        self.error = error
        self.errorDetail = errorDetail
        self.lastUpdatedDateTime = lastUpdatedDateTime
    }

    public var isDirect: Bool { assignedByGroup == nil && ruleKey == nil }

    /// Whether this path gives the user the SKU (Active or ActiveWithError both mean it holds it).
    public var holdsSeat: Bool { state == .active }

    /// Identity of a path: one per user, SKU and origin.
    public var key: LicensePathKey { LicensePathKey(userId: userId, skuPartNumber: skuPartNumber, ruleKey: ruleKey) }
}

/// Identity of a licence path; `ruleKey` is `nil` for the direct path.
public struct LicensePathKey: Sendable, Hashable, Codable {
    public var userId: String
    public var skuPartNumber: String
    public var ruleKey: String?

    public init(userId: String, skuPartNumber: String, ruleKey: String?) {
        self.userId = userId
        self.skuPartNumber = skuPartNumber
        self.ruleKey = ruleKey
    }
}
