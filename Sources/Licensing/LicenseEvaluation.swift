import Foundation
import TenantModel

/// One evaluation's working state; `LicenseEvaluator` documents the rules it applies.
///
/// Live users are numbered once (`users`), every SKU the evaluation counts gets a slot (`slots`), and claims are
/// parallel arrays indexed by claim number with each user's claims listed together (`claimStart`, `claimList`), so
/// the work per path is array access and bit tests. Strings are touched again only to build the result.
struct LicenseEvaluation {
    /// A rule whose group is in the tenant, prepared for evaluation.
    final class ActiveRule {
        let rule: LicenseRule
        let groupId: String
        /// The group's number in `expansion`.
        let groupIndex: Int
        let groupName: String
        let plans: PlanSet
        /// The slot of `plans.skuPartNumber`.
        let slot: Int
        /// The licence a path of this rule gives, as the checks see it.
        let holding: Holding

        init(rule: LicenseRule, groupId: String, groupIndex: Int, groupName: String, plans: PlanSet, slot: Int) {
            self.rule = rule
            self.groupId = groupId
            self.groupIndex = groupIndex
            self.groupName = groupName
            self.plans = plans
            self.slot = slot
            self.holding = Holding(plans: plans, groupName: groupName)
        }
    }

    /// Where one path of one user stands.
    enum Outcome {
        /// Passed checks 1–3, waiting for a seat.
        case pending
        case accepted
        case refused(LicenseError, String)

        var isPending: Bool { if case .pending = self { true } else { false } }
    }

    /// One SKU as the evaluation counts it, by part number in the spelling the evaluation uses for it.
    struct SkuSlot {
        let partNumber: String
        var seats = 0
        /// Users holding it whatever the evaluation decides (direct assignments, active kept paths).
        var fixedHolders: UserBits
        /// Users given (or keeping) a seat through a group path in this evaluation.
        var seatHolders: UserBits
        /// Users whose previous group path for it (any rule) was `Active`.
        var previouslyActive: UserBits
        /// Users outside the evaluation holding it (`LicensingInput.heldElsewhere`).
        var heldElsewhere = 0
        /// Whether it is listed in `consumedUnits`: subscribed, held whatever happens, or handed out.
        var reported = false
    }

    let input: LicensingInput
    let expansion: MembershipExpansion
    /// The default usage location, when one is configured.
    let defaultUsageLocation: String?
    var planSets: PlanSetCache
    /// Users by number (deleted ones included); `userIndex` maps the ids of live users to numbers.
    var users: [TenantUser] = []
    var userIndex: [String: Int] = [:]
    var slots: [SkuSlot] = []
    var slotIndex: [String: Int] = [:]
    var rules: [ActiveRule] = []
    var ruleProblems: [RuleProblem] = []
    /// Per claim (one user claiming one rule's SKU): the user's number, the index into `rules`, and its outcome.
    var claimUser: [Int32] = []
    var claimRule: [Int32] = []
    var outcomes: [Outcome] = []
    /// Claims refused for lack of a seat in an earlier round; checks leave them as they are.
    var refusedForSeats: [Bool] = []
    /// User `u`'s claims, in rule order, are `claimList[claimStart[u]..<claimStart[u + 1]]`.
    var claimStart: [Int32] = []
    var claimList: [Int32] = []
    /// Users with claims, in the order of their first claim.
    var claimants: [Int32] = []
    /// Whether the user has a usage location of its own (set for claimants).
    var ownLocation: [Bool] = []
    /// Direct assignments and active paths of unresolvable rules, per user number.
    var fixedHoldings: [Int: [Holding]] = [:]
    /// Paths of unresolvable rules, kept unchanged.
    var keptPaths: [LicensePath] = []
    /// The index in `input.previousGroupPaths` of each kept path.
    var keptPathOrigins: [Int] = []
    /// The previous paths matched to claims; see `indexPreviousPaths()`.
    var previous = PreviousPaths()
    /// Exclusivity conflicts between two rules' licences, by `position * rules.count + other position`.
    var ruleConflicts: [Int: ExclusiveConflict?] = [:]
    /// Scratch list of the claims passing the checks, reused for every user.
    var passing: [Int] = []

    init(input: LicensingInput) {
        self.input = input
        self.planSets = PlanSetCache(catalog: input.catalog)
        self.expansion = MembershipExpansion(groups: input.groups, nested: input.nestedGroups)
        let location = input.defaultUsageLocation?.trimmingCharacters(in: .whitespaces)
        self.defaultUsageLocation = location?.isEmpty == false ? location : nil
    }

    mutating func run() -> LicensingResult {
        prepareTenant()
        prepareRules()
        makeClaims()
        indexPreviousPaths()
        refusedForSeats = [Bool](repeating: false, count: claimUser.count)
        var toCheck = claimants
        for round in 0..<3 where !toCheck.isEmpty {
            if round > 0 { releaseSeats(of: toCheck) }
            for user in toCheck { checkUser(Int(user)) }
            let newlyRefused = allocateSeats(for: toCheck)
            for index in newlyRefused { refusedForSeats[index] = true }
            toCheck = usersToCheckAgain(after: newlyRefused)
        }
        return makeResult()
    }

    /// The claims of user `user`, in rule order.
    func claims(of user: Int) -> ArraySlice<Int32> {
        claimList[Int(claimStart[user])..<Int(claimStart[user + 1])]
    }

    /// The SKU's part number in the catalog's spelling.
    func canonicalSku(_ partNumber: String) -> String {
        input.catalog.sku(partNumber: partNumber)?.skuPartNumber ?? partNumber
    }

    /// The slot for this part number (as spelled), made on first use.
    mutating func slot(_ partNumber: String) -> Int {
        if let slot = slotIndex[partNumber] { return slot }
        let empty = UserBits(capacity: users.count)
        slotIndex[partNumber] = slots.count
        slots.append(SkuSlot(partNumber: partNumber, fixedHolders: empty, seatHolders: empty, previouslyActive: empty))
        return slots.count - 1
    }

    /// Whether the user holds the slot's SKU after the evaluation, by any path.
    func holds(_ user: Int, slot: Int) -> Bool {
        slots[slot].fixedHolders.contains(user) || slots[slot].seatHolders.contains(user)
    }

    private mutating func prepareTenant() {
        // Users are numbered by their position in the input, whose array is used as it is (not copied); deleted
        // users get no number in `userIndex`, so they never claim. A user listed twice counts as its later entry.
        users = input.users
        userIndex.reserveCapacity(input.users.count)
        for (position, user) in input.users.enumerated() where !user.isDeleted { userIndex[user.id] = position }
        for (partNumber, count) in input.subscriptions {
            let slot = slot(canonicalSku(partNumber))
            slots[slot].seats += count
            slots[slot].reported = true
        }
        for (partNumber, count) in input.heldElsewhere {
            let slot = slot(canonicalSku(partNumber))
            slots[slot].heldElsewhere += count
            slots[slot].reported = true
        }
        for assignment in input.directAssignments {
            guard let user = userIndex[assignment.userId] else { continue }
            let plans = planSets.planSet(sku: assignment.skuPartNumber, disabledPlans: assignment.disabledPlans)
            addFixedHolding(Holding(plans: plans, groupName: nil), user: user)
        }
    }

    private mutating func addFixedHolding(_ holding: Holding, user: Int) {
        fixedHoldings[user, default: []].append(holding)
        let slot = slot(holding.plans.skuPartNumber)
        slots[slot].fixedHolders.insert(user)
        slots[slot].reported = true
    }

    /// The group's display name, or its id when the tenant does not have it.
    func groupName(_ groupId: String) -> String {
        expansion.index(ofGroup: groupId).map { expansion.group(at: $0).displayName } ?? groupId
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
            case .resolved(let groupId):
                guard let groupIndex = expansion.index(ofGroup: groupId) else {
                    keptKeys.insert(rule.key)
                    ruleProblems.append(RuleProblem(rule: rule, kind: .groupNotFound,
                        message: "\(name): the tenant has no group \(groupId); \(keeping)"))
                    continue
                }
                let plans = planSets.planSet(sku: rule.skuPartNumber, disabledPlans: rule.disabledPlans)
                rules.append(ActiveRule(rule: rule, groupId: groupId, groupIndex: groupIndex,
                    groupName: expansion.group(at: groupIndex).displayName, plans: plans, slot: slot(plans.skuPartNumber)))
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
        guard !keptKeys.isEmpty else { return }
        for (offset, path) in input.previousGroupPaths.enumerated() {
            guard let key = path.ruleKey, keptKeys.contains(key), let user = userIndex[path.userId] else { continue }
            keptPaths.append(path)
            keptPathOrigins.append(offset)
            guard path.state == .active else { continue }
            let plans = planSets.planSet(sku: path.skuPartNumber, disabledPlans: path.disabledPlans)
            addFixedHolding(Holding(plans: plans, groupName: path.assignedByGroup.map(groupName)), user: user)
        }
    }
}
