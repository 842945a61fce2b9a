import Foundation
import TenantModel

extension LicenseEvaluation {
    /// The default usage location, when one is configured.
    var defaultUsageLocation: String? {
        guard let location = input.defaultUsageLocation?.trimmingCharacters(in: .whitespaces), !location.isEmpty else {
            return nil
        }
        return location
    }

    /// Runs checks 1–3 on the user's claims in rule order, leaving passing claims `pending` (for a seat) and the
    /// claims in `refusedForSeats` as they are.
    mutating func checkUser(_ userId: String, skipping refusedForSeats: Set<Int>) {
        guard let user = users[userId], let indexes = claimsByUser[userId] else { return }
        let located = PlanRules.hasUsageLocation(user) || defaultUsageLocation != nil
        let fixed = fixedHoldings[userId] ?? []
        var holdings = fixed
        var passing: [Int] = []
        for index in indexes where !refusedForSeats.contains(index) {
            let rule = rules[claims[index].rule]
            guard located else {
                claims[index].outcome = .refused(.prohibitedInUsageLocationViolation,
                    "\(user.userPrincipalName) has no usage location and tenant.defaultUsageLocation is not set; "
                    + "a licence needs one.")
                continue
            }
            if let conflict = PlanRules.exclusiveConflict(rule.plans, against: holdings) {
                claims[index].outcome = .refused(.mutuallyExclusiveViolation, conflict)
                continue
            }
            holdings.append(holding(of: index))
            passing.append(index)
        }
        if passing.contains(where: { !rules[claims[$0].rule].plans.requiring.isEmpty }) {
            refuseMissingDependencies(in: &passing, fixed: fixed)
        }
        for index in passing { claims[index].outcome = .pending }
    }

    /// Refuses, one at a time until none is left, the claims whose required plans no other licence of the user
    /// enables, so a path that needs a refused one is refused too.
    private mutating func refuseMissingDependencies(in passing: inout [Int], fixed: [Holding]) {
        var changed = true
        while changed {
            changed = false
            for index in passing {
                let others = fixed + passing.filter { $0 != index }.map { holding(of: $0) }
                guard let missing = PlanRules.missingRequirement(rules[claims[index].rule].plans, available: others) else {
                    continue
                }
                claims[index].outcome = .refused(.dependencyViolation, missing)
                passing.removeAll { $0 == index }
                changed = true
                break
            }
        }
    }

    /// The licence a claim gives, as the checks see it.
    func holding(of claimIndex: Int) -> Holding {
        let rule = rules[claims[claimIndex].rule]
        return Holding(plans: rule.plans, groupName: rule.groupName)
    }

    /// Users with a claim just refused for seats and a claim refused for exclusivity or dependencies: the refused
    /// seat may have been what blocked the other, so they are checked again.
    func usersToCheckAgain(after refusedForSeats: Set<Int>) -> [String] {
        var seen = Set<String>()
        var users: [String] = []
        for index in refusedForSeats.sorted() {
            let userId = claims[index].userId
            guard seen.insert(userId).inserted else { continue }
            let blocked = (claimsByUser[userId] ?? []).contains { claimIndex in
                if case .refused(let error, _) = claims[claimIndex].outcome {
                    return error == .mutuallyExclusiveViolation || error == .dependencyViolation
                }
                return false
            }
            if blocked { users.append(userId) }
        }
        return users
    }
}
