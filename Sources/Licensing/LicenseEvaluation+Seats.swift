import TenantModel

extension LicenseEvaluation {
    /// Gives seats to the pending claims of these users in the documented order; returns the claims refused for
    /// lack of a seat.
    mutating func allocateSeats(for userIds: [String]) -> Set<Int> {
        // SKU → user → (the user's best rule position for the SKU, its pending claims for it)
        var pendingBySku: [String: [String: (position: Int, claims: [Int])]] = [:]
        var skuOrder: [String] = []
        for userId in userIds {
            for index in claimsByUser[userId] ?? [] where claims[index].outcome == .pending {
                let sku = rules[claims[index].rule].plans.skuPartNumber
                if pendingBySku[sku] == nil { skuOrder.append(sku) }
                pendingBySku[sku, default: [:]][userId, default: (claims[index].rule, [])].claims.append(index)
            }
        }
        var refused = Set<Int>()
        for sku in skuOrder {
            let pending = pendingBySku[sku] ?? [:]
            let fixed = fixedHolders[sku] ?? []
            var held = seatHolders[sku] ?? []
            var used = fixed.union(held).count
            var newcomers: [(position: Int, enteredRun: Int64, upn: String, id: String)] = []
            for (userId, entry) in pending {
                if fixed.contains(userId) || held.contains(userId) {
                    accept(entry.claims)
                } else if previouslyHeld(userId, sku) {
                    held.insert(userId)
                    used += 1
                    accept(entry.claims)
                } else if let user = users[userId] {
                    newcomers.append((entry.position, user.enteredRun, user.userPrincipalName.lowercased(), userId))
                }
            }
            newcomers.sort { ($0.position, $0.enteredRun, $0.upn, $0.id) < ($1.position, $1.enteredRun, $1.upn, $1.id) }
            let total = seats[sku] ?? 0
            for newcomer in newcomers {
                let entry = pending[newcomer.id]?.claims ?? []
                if used < total {
                    held.insert(newcomer.id)
                    used += 1
                    accept(entry)
                } else {
                    let detail = total == 0
                        ? "The tenant has no seats of \(sku)."
                        : "No free seat of \(sku): all \(total) seats are taken by users served earlier."
                    for index in entry { claims[index].outcome = .refused(.countViolation, detail) }
                    refused.formUnion(entry)
                }
            }
            seatHolders[sku] = held
        }
        return refused
    }

    /// Hands back the seats these users got in this evaluation, before they are checked again.
    mutating func releaseSeats(of userIds: [String]) {
        for userId in userIds {
            for index in claimsByUser[userId] ?? [] {
                seatHolders[rules[claims[index].rule].plans.skuPartNumber]?.remove(userId)
            }
        }
    }

    private mutating func accept(_ indexes: [Int]) {
        for index in indexes { claims[index].outcome = .accepted }
    }

    /// Whether the user holds the SKU after the evaluation, by any path.
    func holds(_ userId: String, _ sku: String) -> Bool {
        fixedHolders[sku]?.contains(userId) == true || seatHolders[sku]?.contains(userId) == true
    }
}
