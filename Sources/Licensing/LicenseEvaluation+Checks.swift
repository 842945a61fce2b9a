import TenantModel

extension LicenseEvaluation {
    /// Runs checks 1–3 on the user's claims, leaving passing claims `pending` (for a seat) and the claims in
    /// `refusedForSeats` as they are.
    ///
    /// The claims for SKUs the user already held through a group path go first: a licence the user has is what a new
    /// one is checked against, so a new claim never takes away a held one (rule order decides only between claims of
    /// the same standing).
    mutating func checkUser(_ user: Int) {
        let located = ownLocation[user] || defaultUsageLocation != nil
        let fixed = fixedHoldings[user] ?? []
        var locationDetail: String?
        passing.removeAll(keepingCapacity: true)
        for pass in 0..<2 {
            let heldPass = pass == 0
            for claim in claims(of: user) where !refusedForSeats[Int(claim)] && isHeld(Int(claim)) == heldPass {
                let index = Int(claim)
                guard located else {
                    if locationDetail == nil {
                        locationDetail = "\(users[user].userPrincipalName) has no usage location and "
                            + "tenant.defaultUsageLocation is not set; a licence needs one."
                    }
                    outcomes[index] = .refused(.prohibitedInUsageLocationViolation, locationDetail ?? "")
                    continue
                }
                if let conflict = exclusiveConflict(Int(claimRule[index]), fixed: fixed) {
                    outcomes[index] = .refused(.mutuallyExclusiveViolation, conflict)
                    continue
                }
                passing.append(index)
            }
        }
        if passing.contains(where: { !rules[Int(claimRule[$0])].plans.requiring.isEmpty }) {
            refuseMissingDependencies(fixed: fixed)
        }
        for index in passing { outcomes[index] = .pending }
    }

    /// Whether the claim's user held the claim's SKU through a group path before this evaluation.
    private func isHeld(_ claim: Int) -> Bool {
        slots[rules[Int(claimRule[claim])].slot].previouslyActive.contains(Int(claimUser[claim]))
    }

    /// `PlanRules.exclusiveConflict` of the rule's licence against the fixed holdings and then the passing claims,
    /// with the conflicts between two rules worked out once per evaluation.
    private mutating func exclusiveConflict(_ position: Int, fixed: [Holding]) -> String? {
        let plans = rules[position].plans
        guard !plans.exclusive.isEmpty else { return nil }
        var first: ExclusiveConflict?
        for holding in fixed where plans.mayConflict(with: holding.plans) {
            guard let conflict = PlanRules.exclusiveConflict(plans, with: holding) else { continue }
            if first.map({ conflict.planOrdinal < $0.planOrdinal }) ?? true { first = conflict }
        }
        for index in passing {
            let other = rules[Int(claimRule[index])]
            guard plans.mayConflict(with: other.plans) else { continue }
            let key = position * rules.count + Int(claimRule[index])
            let pair: ExclusiveConflict?
            if let known = ruleConflicts[key] {
                pair = known
            } else {
                pair = PlanRules.exclusiveConflict(plans, with: other.holding)
                ruleConflicts[key] = .some(pair)
            }
            guard let conflict = pair else { continue }
            if first.map({ conflict.planOrdinal < $0.planOrdinal }) ?? true { first = conflict }
        }
        return first?.message
    }

    /// Refuses, one at a time until none is left, the passing claims whose required plans no other licence of the
    /// user enables, so a path that needs a refused one is refused too.
    private mutating func refuseMissingDependencies(fixed: [Holding]) {
        var changed = true
        while changed {
            changed = false
            for index in passing {
                let others = fixed + passing.filter { $0 != index }.map { rules[Int(claimRule[$0])].holding }
                guard let missing = PlanRules.missingRequirement(rules[Int(claimRule[index])].plans, available: others)
                else { continue }
                outcomes[index] = .refused(.dependencyViolation, missing)
                passing.removeAll { $0 == index }
                changed = true
                break
            }
        }
    }

    /// Users with a claim just refused for seats and a claim refused for exclusivity or dependencies: the refused
    /// seat may have been what blocked the other, so they are checked again. In the order of their first claim
    /// just refused.
    func usersToCheckAgain(after refused: [Int]) -> [Int32] {
        var seen = Set<Int32>()
        var again: [Int32] = []
        for index in refused.sorted() {
            let user = claimUser[index]
            guard seen.insert(user).inserted else { continue }
            let blocked = claims(of: Int(user)).contains { claim in
                if case .refused(let error, _) = outcomes[Int(claim)] {
                    return error == .mutuallyExclusiveViolation || error == .dependencyViolation
                }
                return false
            }
            if blocked { again.append(user) }
        }
        return again
    }
}
