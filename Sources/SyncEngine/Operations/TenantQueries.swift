import Foundation
import Licensing
import Reporting
import TenantModel
import TenantStore

/// Read-only views of the tenant for `users`, `groups`, `skus` and `conflicts`.
///
/// Group paths are shown as the last run stored them; the states of direct assignments and the current findings
/// come from evaluating the rules over the stored tenant now, so a `license assign` shows at once.
public struct TenantQueries: Sendable {
    let context: SyncContext
    let view: TenantView
    let groupLicenses: [String: [GroupLicense]]

    /// Loads the tenant from the configured store and evaluates it.
    public init(context: SyncContext) throws {
        self.context = context
        let store = try context.openStoreForLooking()
        var state = try store.loadState()
        state.subscriptions = context.seats(stored: state.subscriptions)
        let licensing = LicensingStep(context: context)
        let input = licensing.input(
            users: state.users, groups: state.groups, directAssignments: state.directAssignments,
            previousGroupPaths: state.groupPaths, subscriptions: state.subscriptions, now: Date())
        let outcome = licensing.evaluate(input)
        let lastApplied = try store.lastAppliedReport()
        let quarantines = (lastApplied?.findings ?? []).filter(\.isQuarantine)
        // Before the first sync no group is known yet: every rule would be reported as naming a missing group.
        let ruleFindings = lastApplied == nil && state.groups.isEmpty ? [] : outcome.ruleFindings
        view = TenantView(
            state: state, directPaths: outcome.result.directPaths,
            findings: quarantines + ruleFindings + outcome.result.findings, lookup: SkuLookup(context.catalog))
        var licenses: [String: [GroupLicense]] = [:]
        for resolved in input.rules {
            guard case .resolved(let groupId) = resolved.group else { continue }
            licenses[groupId, default: []].append(
                GroupLicense(skuPartNumber: resolved.rule.skuPartNumber, disabledPlans: resolved.rule.disabledPlans))
        }
        groupLicenses = licenses
    }

    /// Whether a user, live or soft-deleted, has this UPN (case-insensitive).
    public func hasUser(_ userPrincipalName: String) -> Bool {
        !view.users(principalName: userPrincipalName, includeDeleted: true).isEmpty
    }

    /// The users; JSON lists soft-deleted users too (with `deletedDateTime`), as they can still be restored.
    public func users(principalName: String?, json: Bool, colour: Bool) -> String {
        json
            ? UsersView.json(view, principalName: principalName, includeDeleted: true)
            : UsersView.text(view, principalName: principalName, includeDeleted: principalName != nil, colour: colour)
    }

    public func groups(json: Bool, colour: Bool) -> String {
        json ? GroupsView.json(view, licenses: groupLicenses) : GroupsView.text(view, licenses: groupLicenses, colour: colour)
    }

    public func skus(json: Bool, colour: Bool) -> String {
        json ? SkusView.json(view) : SkusView.text(view, colour: colour)
    }

    public func conflicts(json: Bool, colour: Bool) -> String {
        json ? ConflictsView.json(view) : ConflictsView.text(view, colour: colour)
    }

    /// Whether any licence error (not only advice) stands: `conflicts` exits 2 then.
    public var hasErrors: Bool { view.findings.contains(where: \.isLicenseError) }
}

extension SkuLookup {
    /// A lookup over the SKU catalog.
    init(_ catalog: SkuCatalog) {
        self.init(
            skuId: { catalog.sku(partNumber: $0)?.skuId },
            planId: { catalog.planId(name: $0) },
            plans: { catalog.sku(partNumber: $0)?.servicePlans.map { (id: $0.servicePlanId, name: $0.servicePlanName) } ?? [] })
    }
}
