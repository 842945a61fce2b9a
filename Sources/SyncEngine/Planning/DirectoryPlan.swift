import DirectoryMapping
import Foundation
import TenantModel

/// What a full read of the directory changes in the tenant's users and groups (licences come later).
struct DirectoryPlan: Sendable {
    /// Users after the change: live and deleted, synced and cloud-only.
    var users: [TenantUser]
    var groups: [TenantGroup]
    var changes = TenantChangeSet()
    var userCounts = ObjectCounts()
    var groupCounts = ObjectCounts()
    /// Quarantined entries and duplicate UPNs, as findings.
    var findings: [Finding] = []
    /// Synced users that this plan soft-deletes.
    var deletedUserIds: Set<String> = []
}

/// Matches a directory snapshot to the tenant: hard match on the anchor, soft match of cloud-only users, quarantine
/// of duplicates, soft delete with restore and purge. Pure.
struct DirectoryPlanner: Sendable {
    /// How long a soft-deleted user can come back before it is purged.
    static let restoreWindow: TimeInterval = 30 * 24 * 3600

    var softMatch: Bool
    var runId: Int64
    var now: Date

    func plan(snapshot: DirectorySnapshot, state: TenantState) -> DirectoryPlan {
        var rest = state
        let users = rest.users
        rest.users = []
        return plan(snapshot: snapshot, users: users, state: rest)
    }

    /// `plan(snapshot:state:)` with the state's users handed over apart (`state.users` is not read): the planner
    /// changes them in place, so a caller that gives up its own reference saves a copy of every user. The snapshot
    /// is consumed; its users are released once matched.
    func plan(snapshot: consuming DirectorySnapshot, users stateUsers: consuming [TenantUser], state: TenantState) -> DirectoryPlan {
        let stateUserCount = stateUsers.count
        var index = UserIndex(taking: consume stateUsers, expectedCount: max(stateUserCount, snapshot.users.count))
        var plan = DirectoryPlan(users: [], groups: [])
        var work = UserWork(expectedCount: snapshot.users.count)

        for entry in snapshot.quarantined { quarantine(entry, into: &plan, work: &work, index: index) }

        let (rejected, duplicates) = Self.splitDuplicateUPNs(snapshot.users, index: index)
        for entry in duplicates { quarantine(entry, into: &plan, work: &work, index: index) }

        // Each entry is released once matched.
        var sources = snapshot.users
        snapshot.users = []
        snapshot.quarantined = []
        let released = DirectoryUser(anchor: "", dn: "", normalizedDN: "", userPrincipalName: "")
        for offset in sources.indices where rejected.isEmpty || !rejected.contains(offset) {
            let source = sources[offset]
            sources[offset] = released
            // An anchor seen before, in the snapshot, is skipped.
            if let known = index.position(anchor: source.anchor) {
                if work.isSeen(known) { continue }
            } else if work.unmatchedAnchors.contains(source.anchor) {
                continue
            }
            guard let position = match(source, index: &index, plan: &plan, work: &work) else {
                work.unmatchedAnchors.insert(source.anchor)
                continue
            }
            work.markSeen(position)
            work.positionByDN[source.normalizedDN] = position
            if let uid = source.uid { work.positionByUid[uid] = position }
        }
        sources = []

        // The index holds the tenant's users first, in their order: a user of the state sits at its own position.
        // A user replaced by the pass above was seen (matched by anchor, or cloud-only and soft-matched), so the
        // users left to look at are as the state has them.
        for position in 0..<stateUserCount where index[position].onPremisesSyncEnabled {
            let old = index[position]
            let anchor = old.onPremisesImmutableId!
            if work.isSeen(position) || work.quarantinedAnchors.contains(anchor) { continue }
            if let deleted = old.deletedDateTime {
                if now.timeIntervalSince(deleted) > Self.restoreWindow { plan.changes.purgeUserIds.append(old.id) }
                continue
            }
            var gone = old
            gone.deletedDateTime = now
            index.replace(at: position, with: gone)
            work.changed.append(position)
            plan.deletedUserIds.insert(old.id)
            plan.userCounts.deleted += 1
        }
        let originals = index.originals
        let all = index.all
        index = UserIndex([])
        let reverted = resolveUPNClashes(in: all, plan: &plan) { position in
            position < stateUserCount ? originals[position] ?? all[position] : nil
        }
        Self.finishUsers(all, changed: work.changed, reverted: reverted, into: &plan)
        let members = MemberResolver(positionByDN: work.positionByDN, positionByUid: work.positionByUid, users: all)
        work = UserWork(expectedCount: 0)
        planGroups(snapshot.groups, state: state, members: members, into: &plan)
        return plan
    }

    /// What the user pass keeps while it walks the snapshot.
    struct UserWork {
        /// By position in the index: whether a snapshot entry matched the user there (its anchor is seen).
        private var seen: [Bool] = []
        /// Anchors of entries quarantined while matching (seen, but in no position).
        var unmatchedAnchors = Set<String>()
        var quarantinedAnchors = Set<String>()
        /// Users by normalised DN and by posix uid, as positions in the index.
        var positionByDN: [String: Int] = [:]
        var positionByUid: [String: Int] = [:]
        /// Positions in the index of the users this plan creates or changes, in the order of the changes.
        var changed: [Int] = []

        init(expectedCount: Int) {
            seen.reserveCapacity(expectedCount)
            positionByDN.reserveCapacity(expectedCount)
        }

        func isSeen(_ position: Int) -> Bool {
            position < seen.count && seen[position]
        }

        mutating func markSeen(_ position: Int) {
            if position >= seen.count { seen += repeatElement(false, count: position + 1 - seen.count) }
            seen[position] = true
        }
    }

    /// Sets `plan.users` (all users less the purged, with reverted changes undone) and `plan.changes.upsertUsers`.
    /// When every user changed, as in a first sync, both share one array.
    private static func finishUsers(_ all: [TenantUser], changed: [Int], reverted: [String: TenantUser?], into plan: inout DirectoryPlan) {
        let purged = Set(plan.changes.purgeUserIds)
        if purged.isEmpty && reverted.isEmpty {
            plan.users = all
        } else {
            plan.users = all.compactMap { user in
                if purged.contains(user.id) { return nil }
                if let old = reverted[user.id] { return old }
                return user
            }
        }
        let everyUserInOrder = changed.count == all.count && changed.indices.allSatisfy { changed[$0] == $0 }
        if everyUserInOrder && purged.isEmpty && reverted.isEmpty {
            plan.changes.upsertUsers = all
        } else {
            plan.changes.upsertUsers.reserveCapacity(changed.count)
            for position in changed where reverted.isEmpty || reverted.index(forKey: all[position].id) == nil {
                plan.changes.upsertUsers.append(all[position])
            }
        }
    }

    // MARK: - Users

    /// Matches one directory user; returns its position in the index, or `nil` when it was quarantined.
    private func match(_ source: DirectoryUser, index: inout UserIndex, plan: inout DirectoryPlan, work: inout UserWork) -> Int? {
        if let position = index.position(anchor: source.anchor) {
            let existing = index[position]
            let updated = apply(source, to: existing)
            if existing.isDeleted {
                plan.userCounts.added += 1
            } else if updated != existing {
                plan.userCounts.updated += 1
            }
            if updated != existing {
                work.changed.append(position)
                index.replace(at: position, with: updated)
            }
            return position
        }
        if let position = index.cloudOnlyPosition(upn: source.userPrincipalName, mail: softMatch ? source.mail : nil) {
            let cloud = index[position]
            guard softMatch else {
                let entry = QuarantinedEntry(
                    dn: source.dn, normalizedDN: source.normalizedDN, anchor: source.anchor, userPrincipalName: source.userPrincipalName,
                    reason: .duplicateUserPrincipalName,
                    detail: "\(source.dn): userPrincipalName \(source.userPrincipalName) belongs to cloud-only user \(cloud.id) and sync.softMatch is off")
                quarantine(entry, into: &plan, work: &work, index: index)
                return nil
            }
            let matched = apply(source, to: cloud)
            work.changed.append(position)
            plan.userCounts.updated += 1
            index.replace(at: position, with: matched)
            return position
        }
        let created = apply(source, to: TenantUser(id: ObjectID.make(), userPrincipalName: source.userPrincipalName, enteredRun: runId))
        plan.userCounts.added += 1
        let position = index.insert(created)
        work.changed.append(position)
        return position
    }

    private func apply(_ source: DirectoryUser, to user: TenantUser) -> TenantUser {
        var result = user
        result.userPrincipalName = source.userPrincipalName
        result.displayName = source.displayName
        result.mail = source.mail
        // The directory's country wins when it has one; otherwise a location set in the tenant stays.
        if let location = source.usageLocation { result.usageLocation = location }
        result.accountEnabled = source.accountEnabled
        result.onPremisesImmutableId = source.anchor
        result.onPremisesDistinguishedName = source.dn
        result.deletedDateTime = nil
        return result
    }

    private func quarantine(_ entry: QuarantinedEntry, into plan: inout DirectoryPlan, work: inout UserWork, index: UserIndex) {
        plan.userCounts.quarantined += 1
        if let anchor = entry.anchor {
            work.quarantinedAnchors.insert(anchor)
            // A quarantined user the tenant already has keeps its memberships.
            if let existing = index.position(anchor: anchor), let dn = entry.normalizedDN { work.positionByDN[dn] = existing }
        }
        let kind: FindingKind = entry.reason == .duplicateUserPrincipalName ? .uniquenessViolation : .other
        plan.findings.append(Finding(kind: kind, userPrincipalName: entry.userPrincipalName ?? entry.dn, detail: "quarantined: \(entry.detail)"))
    }

    /// A user whose change would take a UPN another live user keeps (a restore, or a rename onto a cloud-only
    /// user's UPN) is quarantined: its change is dropped and it stays as it was. Returns the reverted users by id,
    /// with their state before (`nil` for a user that is new).
    /// `before` gives the state's version of the user at a position (`nil` for a user new in this plan).
    private func resolveUPNClashes(
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
                        detail: "quarantined: \(user.onPremisesDistinguishedName ?? user.id): userPrincipalName \(user.userPrincipalName) "
                            + "is held by user \(users[keeper].id)"))
            }
        }
        return reverted
    }

    /// Of several in-scope users with one UPN, the one the tenant already has keeps it; when none has it yet, the
    /// first by DN does. The others are quarantined: returns their positions in `users`.
    static func splitDuplicateUPNs(_ users: [DirectoryUser], index: UserIndex) -> (rejected: Set<Int>, quarantined: [QuarantinedEntry]) {
        var firstByUPN: [String: Int] = [:]
        firstByUPN.reserveCapacity(users.count)
        var duplicates: [(upn: String, positions: [Int])] = []
        var duplicateByUPN: [String: Int] = [:]
        for (position, user) in users.enumerated() {
            let upn = UserIndex.fold(user.userPrincipalName)
            guard let first = firstByUPN[upn] else {
                firstByUPN[upn] = position
                continue
            }
            if let duplicate = duplicateByUPN[upn] {
                duplicates[duplicate].positions.append(position)
            } else {
                duplicateByUPN[upn] = duplicates.count
                duplicates.append((upn, [first, position]))
            }
        }
        var rejected = Set<Int>()
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
