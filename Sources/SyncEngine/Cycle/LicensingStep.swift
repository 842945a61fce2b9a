import Foundation
import Licensing
import TenantModel

/// The licence side of a cycle: evaluates the rules over the users and groups a plan leaves, and turns the result
/// into path changes and counts.
struct LicensingStep: Sendable {
    var context: SyncContext

    struct Outcome: Sendable {
        var result: LicensingResult
        var upsertPaths: [LicensePath]
        var deletePaths: [LicensePathKey]
        var counts: LicenseCounts
        /// Rules whose group is missing or ambiguous, and nested-group cycles, as findings.
        var ruleFindings: [Finding]
    }

    /// The input for an evaluation of `users` and `groups` with the stored direct assignments and paths; the seats
    /// of users not among `users` count as taken (`LicensingInput.heldElsewhere`). `rules` are the configuration's
    /// rules resolved against these groups, when the caller has them already.
    func input(
        users: [TenantUser], groups: [TenantGroup], directAssignments: [DirectAssignment], previousGroupPaths: [LicensePath],
        subscriptions: [SubscribedSku], heldElsewhere: [String: Int] = [:], rules: [ResolvedLicenseRule]? = nil, now: Date
    ) -> LicensingInput {
        let config = context.config
        var input = LicensingInput(
            users: users, groups: groups, rules: rules ?? RuleResolution(rules: config.licenses).resolve(against: groups),
            directAssignments: directAssignments, previousGroupPaths: previousGroupPaths,
            subscriptions: Dictionary(subscriptions.map { ($0.skuPartNumber, $0.enabledUnits) }, uniquingKeysWith: { _, last in last }),
            catalog: context.catalog, defaultUsageLocation: config.tenant.defaultUsageLocation,
            nestedGroups: config.licensing.nestedGroups, skipDisabledAccounts: config.licensing.skipDisabledAccounts, now: now)
        input.heldElsewhere = heldElsewhere
        return input
    }

    func evaluate(_ input: LicensingInput) -> Outcome {
        let result = LicenseEvaluator.evaluate(input)
        let previousPaths = input.previousGroupPaths
        let diff = PathDiff.between(previous: previousPaths, desired: result.groupPaths, origins: result.groupPathOrigins)
        var counts = LicenseCounts()
        for (path, origin) in zip(diff.upserts, diff.replaced) {
            let wasActive = origin >= 0 && previousPaths[origin].state == .active
            if path.state == .active && !wasActive { counts.assigned += 1 }
            if path.state != .active && wasActive { counts.removed += 1 }
        }
        for index in diff.deleted where previousPaths[index].state == .active { counts.removed += 1 }
        let upserts = diff.upserts
        let deletes = diff.deleted.map { previousPaths[$0].key }
        counts.errors = result.groupPaths.count { $0.error != .none } + result.directPaths.count { $0.error != .none }
        let ruleFindings = result.ruleProblems.map { problem in
            Finding(
                kind: .other, userPrincipalName: "", skuPartNumber: problem.rule.skuPartNumber, group: problem.rule.groupSpec,
                detail: problem.message)
        }
        let names = result.groupCycles.isEmpty
            ? [:] : Dictionary(input.groups.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let cycleFindings = result.groupCycles.map { cycle in
            let path = (cycle + cycle.prefix(1)).map { names[$0] ?? $0 }
            return Finding(
                kind: .other, userPrincipalName: "", group: path.first,
                detail: "nested groups form a cycle: \(path.joined(separator: " → ")); each member is counted once")
        }
        return Outcome(
            result: result, upsertPaths: upserts, deletePaths: deletes, counts: counts, ruleFindings: ruleFindings + cycleFindings)
    }
}
