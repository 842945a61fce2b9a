import TenantModel

/// Decides who holds which SKU through which group rule (DESIGN 5.3). Pure: no I/O, no logging, no clock.
///
/// Every user a rule's group contains (through nested groups with `nestedGroups`) gets one path per rule. Checks,
/// per path, in rule order, stopping at the first that fails:
/// 1. usage location: a user without one gets `defaultUsageLocation` (in `usageLocationUpdates`, never
///    overwriting); with no default either, the path fails with `ProhibitedInUsageLocationViolation`;
/// 2. mutually exclusive plans against what the user holds: its direct assignments and paths kept from
///    unresolvable rules first, then the group paths of earlier rules that passed → `MutuallyExclusiveViolation`;
/// 3. dependencies: a plan whose required plan is enabled by none of the user's licences (direct ones and the
///    group paths that passed 1 and 2) → `DependencyViolation`;
/// 4. seats: a user who does not hold the SKU yet needs a free seat → else `CountViolation`.
///
/// Seat order, per SKU: direct assignments and paths kept from unresolvable rules always hold their seat, even
/// when they over-commit the subscription; next, users whose previous group path for the SKU was `Active` and who
/// still claim it keep it; then new claimants are served in rule order (the lowest rule index that gives them the
/// SKU), then by `TenantUser.enteredRun` (earlier first), then by UPN (case-insensitive), then by id. Each run
/// re-evaluates, so a freed seat goes to the next claimant. When a path refused for seats had made another path of
/// the same user fail check 2 or 3, that user is checked again without it (up to three rounds) and any path that
/// passes then gets a seat still free.
///
/// A failed path is `ActiveWithError` when the user holds the SKU through another path, else `Error`. With
/// `skipDisabledAccounts`, disabled accounts get no group paths at all (their seats are freed); the `Disabled`
/// state is not used. A rule whose group is not found or ambiguous licenses nobody new: the paths it made before
/// (previous paths with its key) are kept unchanged and it is listed in `ruleProblems`. A path keeps its previous
/// `lastUpdatedDateTime` while its group, state, error and disabled plans stay the same.
public enum LicenseEvaluator {
    /// Raised whenever the same input would be evaluated to other paths than before: a stored evaluation made by
    /// another version then no longer stands in for a new one (`LicensingBasis`).
    public static let version = "1"

    /// Evaluates the rules for every live user. Linear in users, memberships and paths.
    public static func evaluate(_ input: LicensingInput) -> LicensingResult {
        var evaluation = LicenseEvaluation(input: input)
        return evaluation.run()
    }
}
