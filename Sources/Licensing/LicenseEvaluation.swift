import TenantModel

/// One evaluation's working state; `LicenseEvaluator` documents the rules it applies.
struct LicenseEvaluation {
    /// A rule whose group is in the tenant, prepared for evaluation.
    final class ActiveRule {
        let rule: LicenseRule
        let groupId: String
        let groupName: String
        let plans: PlanSet

        init(rule: LicenseRule, groupId: String, groupName: String, plans: PlanSet) {
            self.rule = rule
            self.groupId = groupId
            self.groupName = groupName
            self.plans = plans
        }
    }

    /// Where one path of one user stands.
    enum Outcome: Equatable {
        /// Passed checks 1–3, waiting for a seat.
        case pending
        case accepted
        case refused(LicenseError, String)
    }

    /// One user claiming one rule's SKU.
    struct Claim {
        /// Index into `rules`.
        let rule: Int
        let userId: String
        var outcome: Outcome = .pending
    }

    let input: LicensingInput
    var planSets: PlanSetCache
    var users: [String: TenantUser] = [:]
    var groupNames: [String: String] = [:]
    var rules: [ActiveRule] = []
    var ruleProblems: [RuleProblem] = []
    var claims: [Claim] = []
    /// User id → indexes into `claims`, in rule order.
    var claimsByUser: [String: [Int]] = [:]
    /// Users with claims, in the order of their first claim.
    var claimants: [String] = []
    /// Direct assignments and active paths of unresolvable rules, per user.
    var fixedHoldings: [String: [Holding]] = [:]
    /// Paths of unresolvable rules, kept unchanged.
    var keptPaths: [LicensePath] = []
    /// SKU → users holding it whatever the evaluation decides (direct assignments, active kept paths).
    var fixedHolders: [String: Set<String>] = [:]
    /// SKU → users given (or keeping) a seat through a group path in this evaluation.
    var seatHolders: [String: Set<String>] = [:]
    /// User id → indexes into `input.previousGroupPaths` (a user has only a few).
    var previousByUser: [String: [Int]] = [:]
    /// Seats bought, by part number in the catalog's spelling.
    var seats: [String: Int] = [:]
    let expansion: MembershipExpansion

    init(input: LicensingInput) {
        self.input = input
        self.planSets = PlanSetCache(catalog: input.catalog)
        self.expansion = MembershipExpansion(groups: input.groups, nested: input.nestedGroups)
    }

    mutating func run() -> LicensingResult {
        prepareTenant()
        prepareRules()
        makeClaims()
        var refusedForSeats = Set<Int>()
        var toCheck = claimants
        for round in 0..<3 where !toCheck.isEmpty {
            if round > 0 { releaseSeats(of: toCheck) }
            for userId in toCheck { checkUser(userId, skipping: refusedForSeats) }
            let newlyRefused = allocateSeats(for: toCheck)
            refusedForSeats.formUnion(newlyRefused)
            toCheck = usersToCheckAgain(after: newlyRefused)
        }
        return makeResult()
    }

    /// The user's previous group path with this key.
    func previousPath(_ key: LicensePathKey) -> LicensePath? {
        for index in previousByUser[key.userId] ?? [] where input.previousGroupPaths[index].key == key {
            return input.previousGroupPaths[index]
        }
        return nil
    }

    /// Whether the user's previous group path for this SKU (any rule) was `Active`.
    func previouslyHeld(_ userId: String, _ sku: String) -> Bool {
        (previousByUser[userId] ?? []).contains { index in
            let path = input.previousGroupPaths[index]
            return path.state == .active && canonicalSku(path.skuPartNumber) == sku
        }
    }

    /// The SKU's part number in the catalog's spelling.
    func canonicalSku(_ partNumber: String) -> String {
        input.catalog.sku(partNumber: partNumber)?.skuPartNumber ?? partNumber
    }

    private mutating func prepareTenant() {
        for user in input.users where !user.isDeleted { users[user.id] = user }
        for group in input.groups { groupNames[group.id] = group.displayName }
        for (partNumber, count) in input.subscriptions { seats[canonicalSku(partNumber), default: 0] += count }
        for assignment in input.directAssignments where users[assignment.userId] != nil {
            let plans = planSets.planSet(sku: assignment.skuPartNumber, disabledPlans: assignment.disabledPlans)
            fixedHoldings[assignment.userId, default: []].append(Holding(plans: plans, groupName: nil))
            fixedHolders[plans.skuPartNumber, default: []].insert(assignment.userId)
        }
        for (index, path) in input.previousGroupPaths.enumerated() { previousByUser[path.userId, default: []].append(index) }
    }

    private mutating func prepareRules() {
        var seenKeys = Set<String>()
        var keptKeys = Set<String>()
        for resolved in input.rules.sorted(by: { $0.rule.index < $1.rule.index }) {
            let rule = resolved.rule
            let name = "licenses[\(rule.index)] (group '\(rule.groupSpec)', \(rule.skuPartNumber))"
            guard seenKeys.insert(rule.key).inserted else {
                ruleProblems.append(RuleProblem(rule: rule, kind: .duplicateKey,
                    message: "\(name) has the same key as an earlier rule and is ignored."))
                continue
            }
            let keeping = "it licenses nobody new and keeps the paths it made before."
            switch resolved.group {
            case .resolved(let groupId) where expansion.contains(groupId: groupId):
                let plans = planSets.planSet(sku: rule.skuPartNumber, disabledPlans: rule.disabledPlans)
                rules.append(ActiveRule(rule: rule, groupId: groupId, groupName: groupNames[groupId] ?? groupId, plans: plans))
            case .resolved(let groupId):
                keptKeys.insert(rule.key)
                ruleProblems.append(RuleProblem(rule: rule, kind: .groupNotFound,
                    message: "\(name): the tenant has no group \(groupId); \(keeping)"))
            case .notFound:
                keptKeys.insert(rule.key)
                ruleProblems.append(RuleProblem(rule: rule, kind: .groupNotFound,
                    message: "\(name): no group has this name or DN; \(keeping)"))
            case .ambiguous(let groupIds):
                keptKeys.insert(rule.key)
                ruleProblems.append(RuleProblem(rule: rule, kind: .groupAmbiguous,
                    message: "\(name): \(groupIds.count) groups match (\(groupIds.joined(separator: ", "))); \(keeping)"))
            }
        }
        for path in input.previousGroupPaths {
            guard let key = path.ruleKey, keptKeys.contains(key), users[path.userId] != nil else { continue }
            keptPaths.append(path)
            guard path.state == .active else { continue }
            let plans = planSets.planSet(sku: path.skuPartNumber, disabledPlans: path.disabledPlans)
            let groupName = path.assignedByGroup.map { groupNames[$0] ?? $0 }
            fixedHoldings[path.userId, default: []].append(Holding(plans: plans, groupName: groupName))
            fixedHolders[plans.skuPartNumber, default: []].insert(path.userId)
        }
    }

    private mutating func makeClaims() {
        var membersByGroup: [String: [String]] = [:]
        for (position, rule) in rules.enumerated() {
            let members = membersByGroup[rule.groupId] ?? expansion.userIds(inGroup: rule.groupId)
            membersByGroup[rule.groupId] = members
            for userId in members {
                guard let user = users[userId], user.accountEnabled || !input.skipDisabledAccounts else { continue }
                if claimsByUser[userId] == nil { claimants.append(userId) }
                claimsByUser[userId, default: []].append(claims.count)
                claims.append(Claim(rule: position, userId: userId))
            }
        }
    }
}
