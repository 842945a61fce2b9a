import DirectoryMapping
import Foundation
import LDAPClient
import TenantModel

extension DirectoryPlanner {
    /// Whether `planDelta` plans this delta read as planning the whole merged snapshot (`DeltaSnapshot.merge`)
    /// would: no group changed, no entry was quarantined by the read, no changed user shares its UPN with a user the
    /// delta leaves unchanged, and no changed user took the DN of a user deleted by it. Other deltas are planned
    /// through the merged snapshot.
    ///
    /// With `quarantinesPlanned`, entries the read quarantined are planned too (as a full read plans them: the user
    /// the tenant has for one stays as it is); a delta's are planned with the earlier quarantines instead.
    static func canPlanDelta(_ read: SyncRead, state: TenantState, quarantinesPlanned: Bool = false) -> Bool {
        guard read.groups.isEmpty, quarantinesPlanned || read.quarantined.isEmpty else { return false }
        guard !read.users.isEmpty else { return true }
        let changed = Set(read.users.map(\.anchor))
        let changedUPNs = Set(read.users.map { UserIndex.fold($0.userPrincipalName) })
        let changedDNs = Set(read.users.map(\.normalizedDN))
        for user in state.users where !user.isDeleted {
            guard let anchor = user.onPremisesImmutableId, !changed.contains(anchor) else { continue }
            if read.deletedAnchors.contains(anchor) {
                guard let dn = user.onPremisesDistinguishedName else { continue }
                if changedDNs.contains((try? DistinguishedName.normalize(dn)) ?? dn.lowercased()) { return false }
            } else if changedUPNs.contains(UserIndex.fold(user.userPrincipalName)) {
                return false
            }
        }
        return true
    }

    /// Plans a delta read that `canPlanDelta` accepts, in time proportional to the changes plus one pass over the
    /// users: the users and groups the delta does not name are taken from the state as they are (an unchanged user
    /// would plan to itself), only changed users are matched, deleted users and groups removed, and the groups that
    /// listed a deleted member lose it (it counts as out of scope, as a full read would count its member value).
    ///
    /// Returns the plan and how many users the merged snapshot would have held (for the guard).
    func planDelta(_ read: consuming SyncRead, users stateUsers: consuming [TenantUser], state: TenantState) -> (plan: DirectoryPlan, readUserCount: Int) {
        let stateUserCount = stateUsers.count
        let readCount = read.users.count
        var index = UserIndex(taking: consume stateUsers, expectedCount: stateUserCount + readCount)
        var plan = DirectoryPlan(users: [], groups: [])
        var work = UserWork(expectedCount: readCount)
        let changed = Set(read.users.map(\.anchor))

        let quarantinedOnce = Self.once(read.quarantined)
        for entry in quarantinedOnce { quarantine(entry, into: &plan, work: &work, index: index) }
        let (rejected, duplicates) = Self.splitDuplicateUPNs(read.users, index: index)
        for entry in duplicates { quarantine(entry, into: &plan, work: &work, index: index) }
        // Handed over, so that matching releases each entry instead of copying them all.
        let sources = read.users
        read.users = []
        matchUsers(consume sources, rejected: rejected, keepUids: false, index: &index, plan: &plan, work: &work)

        // The users the merged snapshot would list unchanged: live, synced, named neither as changed nor as deleted
        // (an entry quarantined again leaves the user the tenant has for it as it is).
        let quarantined = Set(read.quarantined.compactMap(\.anchor))
        var unchanged = 0
        for position in 0..<stateUserCount {
            let user = index[position]
            guard !user.isDeleted, let anchor = user.onPremisesImmutableId, user.onPremisesDistinguishedName != nil,
                !changed.contains(anchor), !read.deletedAnchors.contains(anchor)
            else { continue }
            work.markSeen(position)
            // Counted once, as the quarantined entry.
            if quarantined.isEmpty || !quarantined.contains(anchor) { unchanged += 1 }
        }
        _ = closeUserPass(index: index, stateUserCount: stateUserCount, plan: &plan, work: &work)
        planUnchangedGroups(state.groups, deletedAnchors: read.deletedAnchors, deletedUserIds: plan.deletedUserIds, into: &plan)
        return (plan, unchanged + readCount + quarantinedOnce.count)
    }

    /// The state's groups as they are, less those deleted; a group listing a user or group deleted now loses that
    /// member and counts it out of scope.
    private func planUnchangedGroups(
        _ groups: [TenantGroup], deletedAnchors: Set<String>, deletedUserIds: Set<String>, into plan: inout DirectoryPlan
    ) {
        // By index: a loop over the groups themselves copies each one, and a delta's state holds them all.
        let deletedGroupIds = deletedAnchors.isEmpty
            ? [] : Set(groups.indices.filter { deletedAnchors.contains(groups[$0].onPremisesImmutableId) }.map { groups[$0].id })
        let changes = groups.indices.filter { index in
            (!deletedUserIds.isEmpty && groups[index].memberUserIds.contains(where: deletedUserIds.contains))
                || (!deletedGroupIds.isEmpty
                    && (deletedGroupIds.contains(groups[index].id) || groups[index].memberGroupIds.contains(where: deletedGroupIds.contains)))
        }
        // Shared until the first group changes, then copied once; deleted groups are taken out at the end.
        plan.groups = groups
        var deleted: [Int] = []
        for index in changes {
            let group = groups[index]
            if deletedGroupIds.contains(group.id) {
                plan.changes.deleteGroupIds.append(group.id)
                plan.groupCounts.deleted += 1
                deleted.append(index)
                continue
            }
            let losesUsers = !deletedUserIds.isEmpty && group.memberUserIds.contains(where: deletedUserIds.contains)
            var kept = group
            kept.memberUserIds.removeAll(where: deletedUserIds.contains)
            if losesUsers { plan.changes.removedMemberUserIds[group.id] = group.memberUserIds.filter(deletedUserIds.contains) }
            kept.memberGroupIds.removeAll(where: deletedGroupIds.contains)
            kept.outOfScopeMemberCount += group.memberUserIds.count + group.memberGroupIds.count
                - kept.memberUserIds.count - kept.memberGroupIds.count
            plan.changes.upsertGroups.append(kept)
            plan.groupCounts.updated += 1
            plan.groups[index] = kept
        }
        for index in deleted.reversed() { plan.groups.remove(at: index) }
    }
}
