import DirectoryMapping
import TenantModel

extension DirectoryPlanner {
    /// Matches groups by anchor, resolves member DNs and uids to tenant ids, and deletes groups that left the scope.
    func planGroups(
        _ sources: [DirectoryGroup], state: TenantState, idByDN: [String: String], idByUid: [String: String],
        into plan: inout DirectoryPlan
    ) {
        let existingByAnchor = Dictionary(state.groups.map { ($0.onPremisesImmutableId, $0) }, uniquingKeysWith: { first, _ in first })
        var idByAnchor: [String: String] = [:]
        var groupIdByDN: [String: String] = [:]
        var unique: [DirectoryGroup] = []
        for source in sources where idByAnchor[source.anchor] == nil {
            let id = existingByAnchor[source.anchor]?.id ?? ObjectID.make()
            idByAnchor[source.anchor] = id
            groupIdByDN[source.normalizedDN] = id
            unique.append(source)
        }
        var groups: [TenantGroup] = []
        groups.reserveCapacity(unique.count)
        for source in unique {
            var group = TenantGroup(
                id: idByAnchor[source.anchor]!, displayName: source.name, onPremisesImmutableId: source.anchor,
                onPremisesDistinguishedName: source.dn)
            var memberUsers = Set<String>()
            var memberGroups = Set<String>()
            for dn in source.memberDNs {
                if let userId = idByDN[dn] {
                    memberUsers.insert(userId)
                } else if let groupId = groupIdByDN[dn], groupId != group.id {
                    memberGroups.insert(groupId)
                } else {
                    group.outOfScopeMemberCount += 1
                }
            }
            for uid in source.memberUids {
                if let userId = idByUid[uid] { memberUsers.insert(userId) } else { group.outOfScopeMemberCount += 1 }
            }
            group.memberUserIds = memberUsers.sorted()
            group.memberGroupIds = memberGroups.sorted()
            if let existing = existingByAnchor[source.anchor] {
                if existing != group {
                    plan.changes.upsertGroups.append(group)
                    plan.groupCounts.updated += 1
                }
            } else {
                plan.changes.upsertGroups.append(group)
                plan.groupCounts.added += 1
            }
            groups.append(group)
        }
        for old in state.groups where idByAnchor[old.onPremisesImmutableId] == nil {
            plan.changes.deleteGroupIds.append(old.id)
            plan.groupCounts.deleted += 1
        }
        plan.groups = groups
    }
}
