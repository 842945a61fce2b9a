import DirectoryMapping
import TenantModel

extension DirectoryPlanner {
    /// A user whose change would take a UPN another live user keeps (a restore, or a rename onto a cloud-only
    /// user's UPN) is quarantined: its change is dropped and it stays as it was. Returns the reverted users by id,
    /// with their state before (`nil` for a user that is new).
    /// `before` gives the state's version of the user at a position (`nil` for a user new in this plan).
    func resolveUPNClashes(
        in users: [TenantUser], plan: inout DirectoryPlan, before: (Int) -> TenantUser?
    ) -> [String: TenantUser?] {
        var holder: [String: Int] = [:]
        holder.reserveCapacity(users.count)
        var clashes: [(upn: String, positions: [Int])] = []
        var clashByUPN: [String: Int] = [:]
        for (position, user) in users.enumerated() where !user.isDeleted {
            let upn = UserIndex.fold(user.userPrincipalName)
            guard let first = holder[upn] else {
                holder[upn] = position
                continue
            }
            if let clash = clashByUPN[upn] {
                clashes[clash].positions.append(position)
            } else {
                clashByUPN[upn] = clashes.count
                clashes.append((upn, [first, position]))
            }
        }
        guard !clashes.isEmpty else { return [:] }
        var previous: [String: TenantUser] = [:]
        for (_, positions) in clashes {
            for position in positions { if let old = before(position) { previous[old.id] = old } }
        }
        var reverted: [String: TenantUser?] = [:]
        for (upn, positions) in clashes {
            let keeper = positions.first { position in
                let old = previous[users[position].id]
                return old.map { !$0.isDeleted && UserIndex.fold($0.userPrincipalName) == upn } ?? false
            } ?? positions[0]
            for position in positions where position != keeper {
                let user = users[position]
                reverted[user.id] = previous[user.id]
                if let old = previous[user.id], !old.isDeleted { plan.userCounts.updated -= 1 } else { plan.userCounts.added -= 1 }
                plan.userCounts.quarantined += 1
                plan.findings.append(
                    Finding(
                        kind: .uniquenessViolation, userPrincipalName: user.userPrincipalName,
                        detail: Finding.quarantinePrefix + "\(user.onPremisesDistinguishedName ?? user.id): userPrincipalName \(user.userPrincipalName) "
                            + "is held by user \(users[keeper].id)"))
            }
        }
        return reverted
    }

    /// Of several in-scope users with one UPN, the one the tenant already has keeps it; when none has it yet, the
    /// first by DN does. The others are quarantined: returns their positions in `users`.
    static func splitDuplicateUPNs(_ users: [DirectoryUser], index: UserIndex) -> (rejected: Set<Int>, quarantined: [QuarantinedEntry]) {
        // A Dictionary, not a `TextTable`: two spellings of a UPN that Unicode holds equivalent are one UPN.
        var firstByUPN: [String: Int] = [:]
        firstByUPN.reserveCapacity(users.count)
        var duplicates: [(upn: String, positions: [Int])] = []
        var duplicateByUPN: [String: Int] = [:]
        // The same entry read again (scopes that overlap: same anchor, same DN) is no duplicate: it is left out.
        var repeats = Set<Int>()
        func isRepeat(_ user: DirectoryUser, of position: Int) -> Bool {
            users[position].anchor == user.anchor && users[position].normalizedDN == user.normalizedDN
        }
        for position in users.indices {
            let upn = UserIndex.fold(users[position].userPrincipalName)
            guard let first = firstByUPN[upn] else {
                firstByUPN[upn] = position
                continue
            }
            let user = users[position]
            let earlier = duplicateByUPN[upn].map { duplicates[$0].positions } ?? [first]
            if earlier.contains(where: { isRepeat(user, of: $0) }) {
                repeats.insert(position)
                continue
            }
            if let duplicate = duplicateByUPN[upn] {
                duplicates[duplicate].positions.append(position)
            } else {
                duplicateByUPN[upn] = duplicates.count
                duplicates.append((upn, [first, position]))
            }
        }
        var rejected = repeats
        var quarantined: [QuarantinedEntry] = []
        for (upn, positions) in duplicates {
            let holder = index.livePosition(foldedUPN: upn).flatMap { holder in
                positions.first { users[$0].anchor == index[holder].onPremisesImmutableId }
            }
            let keeper = holder ?? positions.min { users[$0].normalizedDN < users[$1].normalizedDN }!
            for position in positions where position != keeper {
                rejected.insert(position)
                let user = users[position]
                quarantined.append(
                    QuarantinedEntry(
                        dn: user.dn, normalizedDN: user.normalizedDN, anchor: user.anchor, userPrincipalName: user.userPrincipalName,
                        reason: .duplicateUserPrincipalName,
                        detail: "\(user.dn): userPrincipalName \(user.userPrincipalName) is also used by \(users[keeper].dn)"))
            }
        }
        return (rejected, quarantined.sorted { $0.dn < $1.dn })
    }
}
