import TenantModel

extension LicenseEvaluation {
    func makeResult() -> LicensingResult {
        var result = LicensingResult(ruleProblems: ruleProblems, groupCycles: expansion.cycles)
        result.groupPaths.reserveCapacity(claims.count + keptPaths.count)
        for claim in claims {
            let path = path(for: claim)
            result.groupPaths.append(path)
            if let finding = finding(for: path) { result.findings.append(finding) }
        }
        for path in keptPaths {
            result.groupPaths.append(path)
            if let finding = finding(for: path) { result.findings.append(finding) }
        }
        if let location = defaultUsageLocation {
            for userId in claimants where users[userId].map(PlanRules.hasUsageLocation) == false {
                result.usageLocationUpdates[userId] = location
            }
        }
        for assignment in input.directAssignments where users[assignment.userId] != nil {
            result.directPaths.append(LicensePath(
                userId: assignment.userId, skuPartNumber: canonicalSku(assignment.skuPartNumber),
                disabledPlans: assignment.disabledPlans, lastUpdatedDateTime: input.now))
        }
        result.findings += directAssignmentFindings()
        for sku in Set(seats.keys).union(fixedHolders.keys).union(seatHolders.keys) {
            result.consumedUnits[sku] = (fixedHolders[sku] ?? []).union(seatHolders[sku] ?? []).count
        }
        return result
    }

    private func path(for claim: Claim) -> LicensePath {
        let rule = rules[claim.rule]
        var path = LicensePath(
            userId: claim.userId, skuPartNumber: rule.plans.skuPartNumber, assignedByGroup: rule.groupId,
            ruleKey: rule.rule.key, disabledPlans: rule.rule.disabledPlans, lastUpdatedDateTime: input.now)
        if case .refused(let error, let detail) = claim.outcome {
            path.state = holds(claim.userId, rule.plans.skuPartNumber) ? .activeWithError : .error
            path.error = error
            path.errorDetail = detail
        }
        if let previous = previousPath(path.key), previous.state == path.state, previous.error == path.error,
            previous.disabledPlans == path.disabledPlans, previous.assignedByGroup == path.assignedByGroup {
            path.lastUpdatedDateTime = previous.lastUpdatedDateTime
        }
        return path
    }

    private func finding(for path: LicensePath) -> Finding? {
        guard let kind = FindingKind(path.error), let user = users[path.userId] else { return nil }
        return Finding(
            kind: kind, userPrincipalName: user.userPrincipalName, skuPartNumber: path.skuPartNumber,
            group: path.assignedByGroup.map { groupNames[$0] ?? $0 }, detail: path.errorDetail ?? path.error.rawValue)
    }

    /// `RedundantDirectAssignment` or `DirectAssignmentPlanMismatch` for each direct assignment whose SKU the user
    /// also holds through an active group path.
    private func directAssignmentFindings() -> [Finding] {
        guard !input.directAssignments.isEmpty else { return [] }
        let directUsers = Set(input.directAssignments.map(\.userId))
        var groupLicences: [String: [(group: String, plans: Set<String>)]] = [:]  // "user|SKU" → active group paths
        for claim in claims where claim.outcome == .accepted && directUsers.contains(claim.userId) {
            let rule = rules[claim.rule]
            groupLicences[claim.userId + "|" + rule.plans.skuPartNumber, default: []].append((rule.groupName, rule.plans.names))
        }
        for path in keptPaths where path.state == .active && directUsers.contains(path.userId) {
            let plans = PlanSet(skuPartNumber: path.skuPartNumber, disabledPlans: path.disabledPlans, catalog: input.catalog)
            let group = path.assignedByGroup.map { groupNames[$0] ?? $0 } ?? ""
            groupLicences[path.userId + "|" + plans.skuPartNumber, default: []].append((group, plans.names))
        }
        var findings: [Finding] = []
        for assignment in input.directAssignments {
            guard let user = users[assignment.userId] else { continue }
            let direct = PlanSet(skuPartNumber: assignment.skuPartNumber, disabledPlans: assignment.disabledPlans,
                catalog: input.catalog)
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
