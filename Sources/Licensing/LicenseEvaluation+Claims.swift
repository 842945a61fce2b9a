import TenantModel

/// The previous group paths, matched to this evaluation's claims.
struct PreviousPaths {
    /// Whether claim `i` has the same key as `previousGroupPaths[i]`: an unchanged tenant lists its paths in the
    /// same order as before, so most claims find their previous path without a lookup.
    var aligned: [Bool] = []
    /// The other previous paths of live users, grouped by user: user `u`'s are
    /// `list[start[u]..<start[u + 1]]`, indexes into `previousGroupPaths` in increasing order.
    var start: [Int32] = []
    var list: [Int32] = []
}

extension LicenseEvaluation {
    /// One claim per rule and eligible member of its group, in rule order and, within a rule, in the order the
    /// expansion reaches the members; then each user's claims listed together.
    mutating func makeClaims() {
        var membersByGroup: [Int: [Int32]] = [:]
        var directMembers: [Int: [Int32]] = [:]
        var listedIn = [Int32](repeating: -1, count: users.count)
        var claimCount = [Int32](repeating: 0, count: users.count)
        for (position, rule) in rules.enumerated() {
            var members: [Int32]
            if let cached = membersByGroup[rule.groupIndex] {
                members = cached
            } else {
                members = []
                for group in expansion.reachableGroups(from: rule.groupIndex) {
                    let direct = directMembers[group] ?? expansion.group(at: group).memberUserIds.compactMap { id in
                        userIndex[id].map(Int32.init)
                    }
                    directMembers[group] = direct
                    for user in direct where listedIn[Int(user)] != Int32(position) {
                        listedIn[Int(user)] = Int32(position)
                        members.append(user)
                    }
                }
                membersByGroup[rule.groupIndex] = members
            }
            for user in members where !input.skipDisabledAccounts || users[Int(user)].accountEnabled {
                if claimCount[Int(user)] == 0 { claimants.append(user) }
                claimCount[Int(user)] += 1
                claimUser.append(user)
                claimRule.append(Int32(position))
            }
        }
        outcomes = [Outcome](repeating: .pending, count: claimUser.count)
        (claimStart, claimList) = Self.grouped(claimUser.indices, count: users.count) { Int(claimUser[$0]) }
        ownLocation = [Bool](repeating: false, count: users.count)
        for user in claimants { ownLocation[Int(user)] = PlanRules.hasUsageLocation(users[Int(user)]) }
    }

    /// Matches the previous paths to claims (`previous`) and notes who held which SKU before.
    mutating func indexPreviousPaths() {
        guard !input.previousGroupPaths.isEmpty else { return }
        previous.aligned = [Bool](repeating: false, count: claimUser.count)
        var others: [(path: Int, user: Int)] = []
        var slotByPartNumber: [String: Int?] = [:]
        // Read in place: copying a path out of the array costs a retain per field.
        input.previousGroupPaths.withUnsafeBufferPointer { paths in
            for index in paths.indices {
                let active = paths[index].state == .active
                let user: Int
                var slot: Int?
                if index < claimUser.count, isKey(of: paths[index], claim: index) {
                    previous.aligned[index] = true
                    user = Int(claimUser[index])
                    slot = rules[Int(claimRule[index])].slot
                } else {
                    guard let number = userIndex[paths[index].userId] else { continue }
                    user = number
                    others.append((index, number))
                    if active {
                        let partNumber = paths[index].skuPartNumber
                        if let known = slotByPartNumber[partNumber] {
                            slot = known
                        } else {
                            slot = slotIndex[canonicalSku(partNumber)]
                            slotByPartNumber[partNumber] = .some(slot)
                        }
                    }
                }
                if active, let slot { slots[slot].previouslyActive.insert(user) }
            }
        }
        (previous.start, previous.list) = Self.grouped(others.indices, count: users.count) { others[$0].user }
        for offset in previous.list.indices { previous.list[offset] = Int32(others[Int(previous.list[offset])].path) }
    }

    /// The index in `paths` (`input.previousGroupPaths`) of the first previous path with the key of this claim's
    /// path.
    func previousPath(ofClaim claim: Int, in paths: UnsafeBufferPointer<LicensePath>) -> Int? {
        let aligned = previous.aligned.isEmpty ? false : previous.aligned[claim]
        if !previous.start.isEmpty {
            let user = Int(claimUser[claim])
            for index in previous.list[Int(previous.start[user])..<Int(previous.start[user + 1])] {
                if aligned, Int(index) > claim { break }
                if isKey(of: paths[Int(index)], claim: claim) { return Int(index) }
            }
        }
        return aligned ? claim : nil
    }

    /// Whether the path has the key of the claim's path (user, SKU, rule).
    private func isKey(of path: borrowing LicensePath, claim: Int) -> Bool {
        let rule = rules[Int(claimRule[claim])]
        return path.ruleKey == rule.rule.key && path.skuPartNumber == rule.plans.skuPartNumber
            && path.userId == users[Int(claimUser[claim])].id
    }

    /// `items` grouped by owner (a number below `count`), keeping their order: owner `o`'s items are
    /// `list[start[o]..<start[o + 1]]`.
    static func grouped(_ items: Range<Int>, count: Int, owner: (Int) -> Int) -> (start: [Int32], list: [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for item in items { start[owner(item) + 1] += 1 }
        for index in 0..<count { start[index + 1] += start[index] }
        var next = start
        var list = [Int32](repeating: 0, count: items.count)
        for item in items {
            let owner = owner(item)
            list[Int(next[owner])] = Int32(item)
            next[owner] += 1
        }
        return (start, list)
    }
}
