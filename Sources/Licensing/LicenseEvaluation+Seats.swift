import TenantModel

extension LicenseEvaluation {
    /// A user waiting for a seat of one SKU.
    private struct Claimant {
        let user: Int32
        /// The lowest position of a rule that gives the user the SKU.
        let position: Int32
    }

    /// Gives seats to the pending claims of these users in the documented order; returns the claims refused for
    /// lack of a seat.
    mutating func allocateSeats(for userIds: [Int32]) -> [Int] {
        var pendingBySlot = [[Claimant]](repeating: [], count: slots.count)
        var lastUserOfSlot = [Int32](repeating: -1, count: slots.count)
        var slotOrder: [Int] = []
        for user in userIds {
            for claim in claims(of: Int(user)) where outcomes[Int(claim)].isPending {
                let rule = claimRule[Int(claim)]
                let slot = rules[Int(rule)].slot
                guard lastUserOfSlot[slot] != user else { continue }
                lastUserOfSlot[slot] = user
                if pendingBySlot[slot].isEmpty { slotOrder.append(slot) }
                pendingBySlot[slot].append(Claimant(user: user, position: rule))
            }
        }
        var refused: [Int] = []
        for slot in slotOrder {
            var used = slots[slot].fixedHolders.unionCount(slots[slot].seatHolders) + slots[slot].heldElsewhere
            var newcomers: [Claimant] = []
            for claimant in pendingBySlot[slot] {
                let user = Int(claimant.user)
                if slots[slot].fixedHolders.contains(user) || slots[slot].seatHolders.contains(user) {
                    accept(user, slot: slot)
                } else if slots[slot].previouslyActive.contains(user) {
                    slots[slot].seatHolders.insert(user)
                    used += 1
                    accept(user, slot: slot)
                } else {
                    newcomers.append(claimant)
                }
            }
            let total = slots[slot].seats
            let free = max(0, total - used)
            if newcomers.count > free { putInSeatOrder(&newcomers, deciding: free) }
            for claimant in newcomers.prefix(free) {
                slots[slot].seatHolders.insert(Int(claimant.user))
                accept(Int(claimant.user), slot: slot)
            }
            if newcomers.count > free {
                let sku = slots[slot].partNumber
                let detail = total == 0
                    ? "The tenant has no seats of \(sku)."
                    : "No free seat of \(sku): all \(total) seats are taken by users served earlier."
                for claimant in newcomers[free...] {
                    refuse(Int(claimant.user), slot: slot, detail: detail, into: &refused)
                }
            }
            slots[slot].reported = true
        }
        return refused
    }

    /// Orders newcomers far enough that the first `free` are the ones served first: by rule position, then
    /// `enteredRun`, then UPN (case-insensitive), then id. Only the users that tie on position and run at the
    /// boundary need their UPNs compared.
    private func putInSeatOrder(_ newcomers: inout [Claimant], deciding free: Int) {
        guard free > 0 else { return }  // nobody gets a seat, so the order does not matter
        var ranked = newcomers.map { claimant in
            (rank: (claimant.position, users[Int(claimant.user)].enteredRun), claimant: claimant)
        }
        ranked.sort { $0.rank < $1.rank }
        let boundary = ranked[free].rank
        var low = free
        while low > 0, ranked[low - 1].rank == boundary { low -= 1 }
        var high = free + 1
        while high < ranked.count, ranked[high].rank == boundary { high += 1 }
        newcomers = ranked.map(\.claimant)
        guard low < free else { return }
        let tied = newcomers[low..<high].map { claimant in
            (upn: users[Int(claimant.user)].userPrincipalName.lowercased(), id: users[Int(claimant.user)].id, claimant)
        }
        let ordered = tied.sorted { ($0.upn, $0.id) < ($1.upn, $1.id) }
        newcomers.replaceSubrange(low..<high, with: ordered.map(\.2))
    }

    /// Accepts the user's pending claims for the slot's SKU.
    private mutating func accept(_ user: Int, slot: Int) {
        for claim in claims(of: user) where outcomes[Int(claim)].isPending && rules[Int(claimRule[Int(claim)])].slot == slot {
            outcomes[Int(claim)] = .accepted
        }
    }

    /// Refuses the user's pending claims for the slot's SKU for lack of a seat, adding them to `refused`.
    private mutating func refuse(_ user: Int, slot: Int, detail: String, into refused: inout [Int]) {
        for claim in claims(of: user) where outcomes[Int(claim)].isPending && rules[Int(claimRule[Int(claim)])].slot == slot {
            outcomes[Int(claim)] = .refused(.countViolation, detail)
            refused.append(Int(claim))
        }
    }

    /// Hands back the seats these users got in this evaluation, before they are checked again.
    mutating func releaseSeats(of userIds: [Int32]) {
        for user in userIds {
            for claim in claims(of: Int(user)) {
                slots[rules[Int(claimRule[Int(claim)])].slot].seatHolders.remove(Int(user))
            }
        }
    }
}
