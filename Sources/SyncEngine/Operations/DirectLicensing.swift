import Foundation
import Licensing
import TenantModel
import TenantStore

/// Why `license assign` or `license remove` did nothing.
public struct DirectLicensingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The licence errors that refused an assignment, if that was the reason.
    public var findings: [Finding]

    public var description: String {
        ([message] + findings.map { "  \($0.kind.rawValue): \($0.detail)" }).joined(separator: "\n")
    }
}

/// Direct licence assignment, the one-user path: checked at once against seats, usage location and conflicts,
/// and written in one store transaction, so it works while the daemon runs.
public enum DirectLicensing {
    public static func assign(context: SyncContext, userPrincipalName: String, sku: String, disabledPlans: [String]) throws {
        guard let definition = context.catalog.sku(partNumber: sku) else {
            let hint = DidYouMean.hint(for: sku, among: context.catalog.allPartNumbers).map { " (\($0))" } ?? ""
            throw DirectLicensingError(message: "unknown SKU \(sku)\(hint)", findings: [])
        }
        let plans = Set(definition.planNames)
        for plan in disabledPlans where !plans.contains(plan) {
            let hint = DidYouMean.hint(for: plan, among: plans).map { " (\($0))" } ?? ""
            throw DirectLicensingError(message: "\(definition.skuPartNumber) has no service plan \(plan)\(hint)", findings: [])
        }
        let store = try context.openStore()
        guard let user = try store.user(upn: userPrincipalName) else {
            throw DirectLicensingError(message: "no user \(userPrincipalName) in the tenant", findings: [])
        }
        let licensing = LicensingStep(context: context)
        let now = Date()
        let assignment = DirectAssignment(
            userId: user.id, skuPartNumber: definition.skuPartNumber, disabledPlans: disabledPlans, lastUpdatedDateTime: now)
        // The store keeps the earlier time when the user already holds exactly this assignment.
        try store.assignDirect(assignment) { state in
            let input = licensing.input(
                users: state.users, groups: state.groups, directAssignments: state.directAssignments,
                previousGroupPaths: state.groupPaths, subscriptions: context.seats(stored: state.subscriptions), now: now)
            let refusals = DirectAssignmentCheck.check(
                input: input, userId: user.id, skuPartNumber: definition.skuPartNumber, disabledPlans: disabledPlans)
            if !refusals.isEmpty {
                throw DirectLicensingError(
                    message: "refused: \(definition.skuPartNumber) was not assigned to \(user.userPrincipalName)", findings: refusals)
            }
        }
    }

    public static func remove(context: SyncContext, userPrincipalName: String, sku: String) throws {
        let store = try context.openStore()
        guard let user = try store.user(upn: userPrincipalName) else {
            throw DirectLicensingError(message: "no user \(userPrincipalName) in the tenant", findings: [])
        }
        let partNumber = context.catalog.sku(partNumber: sku)?.skuPartNumber ?? sku
        guard try store.removeDirect(userId: user.id, skuPartNumber: partNumber) else {
            throw DirectLicensingError(
                message: "\(user.userPrincipalName) has no direct assignment of \(partNumber) (group licences change only with the rules)",
                findings: [])
        }
    }
}
