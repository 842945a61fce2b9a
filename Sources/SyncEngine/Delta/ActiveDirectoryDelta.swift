import LDAPClient
import TenantModel

/// Turns the domain-wide changed objects of a `uSNChanged` delta into the tenant objects it removes. Pure.
///
/// A delta sees only objects that changed. An object that was deleted, moved out of every scope or no longer
/// matches its scope's filter still changed, so the domain-wide search shows it, but the scope searches do not:
/// every tenant object known by one of its anchors is gone from the directory as the sync sees it.
enum ActiveDirectoryDelta {
    /// Anchors of live tenant users and groups that changed in the domain but are not among the in-scope entries.
    ///
    /// A tombstone keeps `objectGUID` but not `mS-DS-ConsistencyGuid`: a deleted user anchored by the consistency
    /// GUID is found by its DN before the deletion (name and `lastKnownParent`) instead. Such a match is only a
    /// candidate (anchor → stored DN): another object may have been deleted under that DN, so the caller checks
    /// that the DN no longer holds the anchor.
    static func removedAnchors(
        _ changed: [ChangedObject], inScope read: SyncRead, state: TenantState
    ) -> (removed: Set<String>, candidates: [String: String]) {
        let inScope = Set(read.users.map(\.anchor) + read.groups.map(\.anchor) + read.quarantined.compactMap(\.anchor))
        var known = Set(state.groups.map(\.onPremisesImmutableId))
        var userAnchorByDN: [String: String] = [:]
        var storedDN: [String: String] = [:]
        for user in state.users where !user.isDeleted {
            guard let anchor = user.onPremisesImmutableId else { continue }
            known.insert(anchor)
            guard let dn = user.onPremisesDistinguishedName else { continue }
            userAnchorByDN[normalized(dn)] = anchor
            storedDN[anchor] = dn
        }
        var removed = Set<String>()
        var candidates: [String: String] = [:]
        for object in changed {
            let matches = object.anchors.intersection(known)
            if !matches.isEmpty {
                removed.formUnion(matches.subtracting(inScope))
            } else if object.isDeleted, let lastDN = object.lastDN, let anchor = userAnchorByDN[normalized(lastDN)],
                !inScope.contains(anchor)
            {
                candidates[anchor] = storedDN[anchor]
            }
        }
        return (removed, candidates.filter { !removed.contains($0.key) })
    }

    /// Whether a removed user or group was a member of a stored group. The directory drops the member values of a
    /// deleted object without changing the groups' `uSNChanged`, so the groups must be read whole.
    static func removedObjectsWereMembers(_ removed: Set<String>, state: TenantState) -> Bool {
        guard !removed.isEmpty else { return false }
        var removedIds = Set<String>()
        for user in state.users where user.onPremisesImmutableId.map(removed.contains) == true { removedIds.insert(user.id) }
        for group in state.groups where removed.contains(group.onPremisesImmutableId) { removedIds.insert(group.id) }
        return state.groups.contains { group in
            group.memberUserIds.contains(where: removedIds.contains) || group.memberGroupIds.contains(where: removedIds.contains)
        }
    }

    private static func normalized(_ dn: String) -> String {
        (try? DistinguishedName(dn).normalized) ?? dn.lowercased()
    }
}
