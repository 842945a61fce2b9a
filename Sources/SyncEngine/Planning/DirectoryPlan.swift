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
        var index = UserIndex(state.users)
        var plan = DirectoryPlan(users: [], groups: [])
        var quarantinedAnchors = Set<String>()
        var idByDN: [String: String] = [:]
        var idByUid: [String: String] = [:]
        var seenAnchors = Set<String>()

        for entry in snapshot.quarantined { quarantine(entry, into: &plan, anchors: &quarantinedAnchors, index: index, idByDN: &idByDN) }

        let (accepted, duplicates) = Self.splitDuplicateUPNs(snapshot.users, index: index)
        for entry in duplicates { quarantine(entry, into: &plan, anchors: &quarantinedAnchors, index: index, idByDN: &idByDN) }

        for source in accepted {
            guard seenAnchors.insert(source.anchor).inserted else { continue }
            guard let user = match(source, index: &index, plan: &plan, quarantinedAnchors: &quarantinedAnchors, idByDN: &idByDN) else { continue }
            idByDN[source.normalizedDN] = user.id
            if let uid = source.uid { idByUid[uid] = user.id }
        }

        for old in state.users where old.onPremisesSyncEnabled {
            let anchor = old.onPremisesImmutableId!
            if seenAnchors.contains(anchor) || quarantinedAnchors.contains(anchor) { continue }
            if let deleted = old.deletedDateTime {
                if now.timeIntervalSince(deleted) > Self.restoreWindow { plan.changes.purgeUserIds.append(old.id) }
                continue
            }
            var gone = old
            gone.deletedDateTime = now
            index.replace(gone)
            plan.changes.upsertUsers.append(gone)
            plan.deletedUserIds.insert(old.id)
            plan.userCounts.deleted += 1
        }
        let purged = Set(plan.changes.purgeUserIds)
        plan.users = index.all.filter { !purged.contains($0.id) }
        resolveUPNClashes(in: &plan, before: state)
        planGroups(snapshot.groups, state: state, idByDN: idByDN, idByUid: idByUid, into: &plan)
        return plan
    }

    // MARK: - Users

    private func match(
        _ source: DirectoryUser, index: inout UserIndex, plan: inout DirectoryPlan, quarantinedAnchors: inout Set<String>,
        idByDN: inout [String: String]
    ) -> TenantUser? {
        if let existing = index.byAnchor(source.anchor) {
            let updated = apply(source, to: existing)
            if existing.isDeleted {
                plan.userCounts.added += 1
            } else if updated != existing {
                plan.userCounts.updated += 1
            }
            if updated != existing {
                plan.changes.upsertUsers.append(updated)
                index.replace(updated)
            }
            return updated
        }
        if let cloud = index.cloudOnly(upn: source.userPrincipalName, mail: softMatch ? source.mail : nil) {
            guard softMatch else {
                let entry = QuarantinedEntry(
                    dn: source.dn, normalizedDN: source.normalizedDN, anchor: source.anchor, userPrincipalName: source.userPrincipalName,
                    reason: .duplicateUserPrincipalName,
                    detail: "\(source.dn): userPrincipalName \(source.userPrincipalName) belongs to cloud-only user \(cloud.id) and sync.softMatch is off")
                quarantine(entry, into: &plan, anchors: &quarantinedAnchors, index: index, idByDN: &idByDN)
                return nil
            }
            let matched = apply(source, to: cloud)
            plan.changes.upsertUsers.append(matched)
            plan.userCounts.updated += 1
            index.replace(matched)
            return matched
        }
        let created = apply(source, to: TenantUser(id: ObjectID.make(), userPrincipalName: source.userPrincipalName, enteredRun: runId))
        plan.changes.upsertUsers.append(created)
        plan.userCounts.added += 1
        index.insert(created)
        return created
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

    private func quarantine(
        _ entry: QuarantinedEntry, into plan: inout DirectoryPlan, anchors: inout Set<String>, index: UserIndex,
        idByDN: inout [String: String]
    ) {
        plan.userCounts.quarantined += 1
        if let anchor = entry.anchor {
            anchors.insert(anchor)
            // A quarantined user the tenant already has keeps its memberships.
            if let existing = index.byAnchor(anchor), let dn = entry.normalizedDN { idByDN[dn] = existing.id }
        }
        let kind: FindingKind = entry.reason == .duplicateUserPrincipalName ? .uniquenessViolation : .other
        plan.findings.append(Finding(kind: kind, userPrincipalName: entry.userPrincipalName ?? entry.dn, detail: "quarantined: \(entry.detail)"))
    }

    /// A user whose change would take a UPN another live user keeps (a restore, or a rename onto a cloud-only
    /// user's UPN) is quarantined: its change is dropped and it stays as it was.
    private func resolveUPNClashes(in plan: inout DirectoryPlan, before state: TenantState) {
        var holders: [String: [Int]] = [:]
        for (position, user) in plan.users.enumerated() where !user.isDeleted {
            holders[user.userPrincipalName.lowercased(), default: []].append(position)
        }
        let clashes = holders.filter { $0.value.count > 1 }
        guard !clashes.isEmpty else { return }
        let previous = Dictionary(state.users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reverted: [String: TenantUser?] = [:]
        for (upn, positions) in clashes {
            let keeper = positions.first { position in
                let old = previous[plan.users[position].id]
                return old.map { !$0.isDeleted && $0.userPrincipalName.lowercased() == upn } ?? false
            } ?? positions[0]
            for position in positions where position != keeper {
                let user = plan.users[position]
                reverted[user.id] = previous[user.id]
                if let old = previous[user.id], !old.isDeleted { plan.userCounts.updated -= 1 } else { plan.userCounts.added -= 1 }
                plan.userCounts.quarantined += 1
                plan.findings.append(
                    Finding(
                        kind: .uniquenessViolation, userPrincipalName: user.userPrincipalName,
                        detail: "quarantined: \(user.onPremisesDistinguishedName ?? user.id): userPrincipalName \(user.userPrincipalName) "
                            + "is held by user \(plan.users[keeper].id)"))
            }
        }
        plan.users = plan.users.compactMap { user in reverted.keys.contains(user.id) ? reverted[user.id]! : user }
        plan.changes.upsertUsers.removeAll { reverted.keys.contains($0.id) }
    }

    /// Of several in-scope users with one UPN, the one the tenant already has keeps it; when none has it yet, the
    /// first by DN does. The others are quarantined.
    static func splitDuplicateUPNs(_ users: [DirectoryUser], index: UserIndex) -> ([DirectoryUser], [QuarantinedEntry]) {
        var byUPN: [String: [Int]] = [:]
        for (position, user) in users.enumerated() { byUPN[user.userPrincipalName.lowercased(), default: []].append(position) }
        var rejected = Set<Int>()
        var quarantined: [QuarantinedEntry] = []
        for (upn, positions) in byUPN where positions.count > 1 {
            let holder = index.live(upn: upn).flatMap { holder in positions.first { users[$0].anchor == holder.onPremisesImmutableId } }
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
        let accepted = users.enumerated().filter { !rejected.contains($0.offset) }.map(\.element)
        return (accepted, quarantined.sorted { $0.dn < $1.dn })
    }
}
