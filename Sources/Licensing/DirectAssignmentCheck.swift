import TenantModel

/// Checks a direct assignment before `tenantsync license assign` makes it (DESIGN 5.3), with the same rules the
/// evaluation applies to group paths.
public enum DirectAssignmentCheck {
    /// The reasons to refuse giving `userId` the SKU directly with these plans disabled; empty when it may be made.
    ///
    /// Refused: an unknown user, SKU or plan (`Other`); a user without a usage location of its own
    /// (`ProhibitedInUsageLocationViolation`: the default location is only filled in for group paths); plans
    /// exclusive with a licence the user holds after evaluating `input` (`MutuallyExclusiveViolation`); a plan whose
    /// required plan neither this licence nor any held one enables (`DependencyViolation`); a user who does not hold
    /// the SKU yet when no seat is free (`CountViolation`). A direct assignment the user already has for this SKU is
    /// being replaced, so it does not count as held.
    public static func check(input: LicensingInput, userId: String, skuPartNumber: String, disabledPlans: [String]) -> [Finding] {
        guard let user = input.users.first(where: { $0.id == userId && !$0.isDeleted }) else {
            return [Finding(kind: .other, userPrincipalName: userId, skuPartNumber: skuPartNumber,
                detail: "The tenant has no user \(userId).")]
        }
        let upn = user.userPrincipalName
        guard let sku = input.catalog.sku(partNumber: skuPartNumber) else {
            return [Finding(kind: .other, userPrincipalName: upn, skuPartNumber: skuPartNumber,
                detail: "The catalog has no SKU \(skuPartNumber).")]
        }
        let part = sku.skuPartNumber
        var findings: [Finding] = []
        let skuPlans = Set(sku.planNames.map { $0.uppercased() })
        for plan in disabledPlans where !skuPlans.contains(plan.uppercased()) {
            findings.append(Finding(kind: .other, userPrincipalName: upn, skuPartNumber: part,
                detail: "\(part) has no service plan \(plan)."))
        }
        if !PlanRules.hasUsageLocation(user) {
            findings.append(Finding(kind: .prohibitedInUsageLocationViolation, userPrincipalName: upn, skuPartNumber: part,
                detail: "\(upn) has no usage location; a direct assignment needs one (the default is only used for group licences)."))
        }

        let result = LicenseEvaluator.evaluate(input)
        let plans = PlanSet(skuPartNumber: part, disabledPlans: disabledPlans, catalog: input.catalog)
        var holdings: [Holding] = []
        var holdsSku = false
        for path in result.directPaths where path.userId == userId && path.skuPartNumber != part {
            holdings.append(Holding(
                plans: PlanSet(skuPartNumber: path.skuPartNumber, disabledPlans: path.disabledPlans, catalog: input.catalog),
                groupName: nil))
        }
        let groupNames = Dictionary(input.groups.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        for path in result.groupPaths where path.userId == userId && path.state == .active {
            if path.skuPartNumber == part { holdsSku = true }
            holdings.append(Holding(
                plans: PlanSet(skuPartNumber: path.skuPartNumber, disabledPlans: path.disabledPlans, catalog: input.catalog),
                groupName: path.assignedByGroup.map { groupNames[$0] ?? $0 }))
        }
        if result.directPaths.contains(where: { $0.userId == userId && $0.skuPartNumber == part }) { holdsSku = true }

        if let conflict = PlanRules.exclusiveConflict(plans, against: holdings) {
            findings.append(Finding(kind: .mutuallyExclusiveViolation, userPrincipalName: upn, skuPartNumber: part, detail: conflict))
        }
        if let missing = PlanRules.missingRequirement(plans, available: holdings) {
            findings.append(Finding(kind: .dependencyViolation, userPrincipalName: upn, skuPartNumber: part, detail: missing))
        }
        let seats = input.subscriptions.reduce(0) { total, entry in
            total + (input.catalog.sku(partNumber: entry.key)?.skuPartNumber == part ? entry.value : 0)
        }
        if !holdsSku, result.consumedUnits[part, default: 0] >= seats {
            findings.append(Finding(kind: .countViolation, userPrincipalName: upn, skuPartNumber: part,
                detail: "No free seat of \(part): \(result.consumedUnits[part, default: 0]) of \(seats) in use."))
        }
        return findings
    }
}
