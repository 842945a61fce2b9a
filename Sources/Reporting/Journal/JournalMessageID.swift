import TenantModel

/// The fixed `MESSAGE_ID`s of tenantsync's journal entries, one per kind of message.
///
/// They never change: operators filter on them (`journalctl MESSAGE_ID=...`) and `systemd/tenantsync.catalog`
/// explains each one.
public enum JournalMessageID {
    public static let runStarted = "e090b0df1d1c443484d5f7c1354b55ac"
    public static let runFinished = "50adc7b564414fe7b161b5700ef51cf8"
    public static let runFailed = "99a54f2c6fda49c9a228cc3ae3e6ff6a"
    public static let stoppedByGuard = "f1ad47ba57054c64a60c4709f23914cc"

    /// The id of a finding's entry, one per kind.
    public static func finding(_ kind: FindingKind) -> String {
        switch kind {
        case .countViolation: "6f531adaa4424ba6ae313c12f7d56af6"
        case .mutuallyExclusiveViolation: "e61a4527dae344408c16b110b63e9976"
        case .dependencyViolation: "13f95b6387a34699881f538c4b8ee816"
        case .prohibitedInUsageLocationViolation: "2e4a117137d04bb8975c63693e23d2e0"
        case .uniquenessViolation: "edcfa93417b64a17b4442c1b19c76404"
        case .other: "c26b2b074a9c427a80f803e021e06305"
        case .redundantDirectAssignment: "83314e7e1c6e417c84773e584c939564"
        case .directAssignmentPlanMismatch: "dd33cf9b5b4044a5965e8e271334bd3a"
        }
    }

    /// Every id, for the catalog check.
    public static var all: [String] {
        [runStarted, runFinished, runFailed, stoppedByGuard] + FindingKind.allCases.map(finding)
    }
}
