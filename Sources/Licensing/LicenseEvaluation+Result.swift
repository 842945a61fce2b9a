import TenantModel

extension LicenseEvaluation {
    func makeResult() -> LicensingResult {
        var result = LicensingResult(ruleProblems: ruleProblems, groupCycles: expansion.cycles)
        result.groupPaths.reserveCapacity(claimUser.count + keptPaths.count)
        result.groupPathOrigins.reserveCapacity(claimUser.count + keptPaths.count)
        // Previous paths are read in place: copying one out of the array costs a retain per field.
        input.previousGroupPaths.withUnsafeBufferPointer { previousPaths in
            for claim in claimUser.indices {
                let (path, origin) = path(forClaim: claim, previousPaths: previousPaths)
                result.groupPathOrigins.append(origin ?? -1)
                if let kind = FindingKind(path.error) {
                    result.findings.append(Finding(
                        kind: kind, userPrincipalName: users[Int(claimUser[claim])].userPrincipalName,
                        skuPartNumber: path.skuPartNumber, group: rules[Int(claimRule[claim])].groupName,
                        detail: path.errorDetail ?? path.error.rawValue))
                }
                result.groupPaths.append(path)
            }
        }
        result.groupPathOrigins += keptPathOrigins
        for path in keptPaths {
            result.groupPaths.append(path)
            if let kind = FindingKind(path.error), let user = userIndex[path.userId] {
                result.findings.append(Finding(
                    kind: kind, userPrincipalName: users[user].userPrincipalName, skuPartNumber: path.skuPartNumber,
                    group: path.assignedByGroup.map(groupName), detail: path.errorDetail ?? path.error.rawValue))
            }
        }
        if let location = defaultUsageLocation {
            for user in claimants where !ownLocation[Int(user)] {
                result.usageLocationUpdates[users[Int(user)].id] = location
            }
        }
        // A direct path changes only when its assignment does: it carries the assignment's time.
        for assignment in input.directAssignments where userIndex[assignment.userId] != nil {
            result.directPaths.append(LicensePath(
                userId: assignment.userId, skuPartNumber: canonicalSku(assignment.skuPartNumber),
                disabledPlans: assignment.disabledPlans, lastUpdatedDateTime: assignment.lastUpdatedDateTime ?? input.now))
        }
        result.findings += directAssignmentFindings()
        for slot in slots where slot.reported {
            result.consumedUnits[slot.partNumber] = slot.fixedHolders.unionCount(slot.seatHolders) + slot.heldElsewhere
        }
        return result
    }

    /// The claim's path, and the index of the previous path with its key.
    private func path(forClaim claim: Int, previousPaths: UnsafeBufferPointer<LicensePath>) -> (LicensePath, Int?) {
        let rule = rules[Int(claimRule[claim])]
        let user = Int(claimUser[claim])
        var path = LicensePath(
            userId: users[user].id, skuPartNumber: rule.plans.skuPartNumber, assignedByGroup: rule.groupId,
            ruleKey: rule.rule.key, disabledPlans: rule.rule.disabledPlans, lastUpdatedDateTime: input.now)
        if case .refused(let error, let detail) = outcomes[claim] {
            path.state = holds(user, slot: rule.slot) ? .activeWithError : .error
            path.error = error
            path.errorDetail = detail
        }
        let origin = previousPath(ofClaim: claim, in: previousPaths)
        if let index = origin, previousPaths[index].state == path.state,
            previousPaths[index].error == path.error, previousPaths[index].disabledPlans == path.disabledPlans,
            previousPaths[index].assignedByGroup == path.assignedByGroup {
            path.lastUpdatedDateTime = previousPaths[index].lastUpdatedDateTime
        }
        return (path, origin)
    }

    /// `RedundantDirectAssignment` or `DirectAssignmentPlanMismatch` for each direct assignment whose SKU the user
    /// also holds through an active group path.
    private func directAssignmentFindings() -> [Finding] {
        guard !input.directAssignments.isEmpty else { return [] }
        var planSets: [String: PlanSet] = [:]  // by part number and disabled plans as written
        func plans(_ sku: String, _ disabledPlans: [String]) -> PlanSet {
            let key = ([sku] + disabledPlans).joined(separator: "\u{1F}")
            if let known = planSets[key] { return known }
            let set = PlanSet(skuPartNumber: sku, disabledPlans: disabledPlans, catalog: input.catalog)
            planSets[key] = set
            return set
        }
        var directUsers = Set<Int>()
        for assignment in input.directAssignments {
            if let user = userIndex[assignment.userId] { directUsers.insert(user) }
        }
        var groupLicences: [String: [(group: String, plans: Set<String>)]] = [:]  // "user|SKU" → active group paths
        for user in directUsers {
            for claim in claims(of: user) {
                guard case .accepted = outcomes[Int(claim)] else { continue }
                let rule = rules[Int(claimRule[Int(claim)])]
                groupLicences[users[user].id + "|" + rule.plans.skuPartNumber, default: []]
                    .append((rule.groupName, rule.plans.names))
            }
        }
        for path in keptPaths where path.state == .active {
            guard let user = userIndex[path.userId], directUsers.contains(user) else { continue }
            let held = plans(path.skuPartNumber, path.disabledPlans)
            groupLicences[path.userId + "|" + held.skuPartNumber, default: []]
                .append((path.assignedByGroup.map(groupName) ?? "", held.names))
        }
        var findings: [Finding] = []
        for assignment in input.directAssignments {
            guard let user = userIndex[assignment.userId].map({ users[$0] }) else { continue }
            let direct = plans(assignment.skuPartNumber, assignment.disabledPlans)
            guard let licences = groupLicences[user.id + "|" + direct.skuPartNumber], let first = licences.first else { continue }
            let covered = licences.reduce(into: Set<String>()) { $0.formUnion($1.plans) }
            let extra = direct.names.subtracting(covered).sorted()
            if extra.isEmpty {
                findings.append(Finding(
                    kind: .redundantDirectAssignment, userPrincipalName: user.userPrincipalName,
                    skuPartNumber: direct.skuPartNumber, group: first.group,
                    detail: "The direct assignment of \(direct.skuPartNumber) enables nothing group '\(first.group)' "
                        + "does not: it is safe to remove (tenantsync license remove)."))
            } else {
                findings.append(Finding(
                    kind: .directAssignmentPlanMismatch, userPrincipalName: user.userPrincipalName,
                    skuPartNumber: direct.skuPartNumber, group: first.group,
                    detail: "The direct assignment of \(direct.skuPartNumber) enables \(extra.joined(separator: ", ")), "
                        + "which group '\(first.group)' does not."))
            }
        }
        return findings
    }
}
