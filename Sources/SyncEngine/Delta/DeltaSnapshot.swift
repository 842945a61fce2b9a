import DirectoryMapping
import LDAPClient
import TenantModel

/// Rebuilds the whole directory as a snapshot from the tenant's synced objects plus the changes a delta read brought,
/// so one planner serves full and delta runs alike. Pure.
enum DeltaSnapshot {
    static func merge(_ read: SyncRead, into state: TenantState) -> DirectorySnapshot {
        let changedUsers = Set(read.users.map(\.anchor)).union(read.quarantined.compactMap(\.anchor))
        let changedGroups = Set(read.groups.map(\.anchor))
        var snapshot = read.snapshot

        var dnById: [String: String] = [:]
        for user in state.users where !user.isDeleted {
            guard let anchor = user.onPremisesImmutableId, let dn = user.onPremisesDistinguishedName else { continue }
            let normalizedDN = try? DistinguishedName.normalize(dn)
            dnById[user.id] = normalizedDN ?? dn.lowercased()
            guard !changedUsers.contains(anchor) && !read.deletedAnchors.contains(anchor) else { continue }
            snapshot.users.append(directoryUser(user, anchor: anchor, dn: dn, normalizedDN: normalizedDN))
        }
        // A changed user may have a new DN: members of unchanged groups follow it by id.
        let anchorToId = Dictionary(state.users.compactMap { user in user.onPremisesImmutableId.map { ($0, user.id) } }, uniquingKeysWith: { first, _ in first })
        for user in read.users { if let id = anchorToId[user.anchor] { dnById[id] = user.normalizedDN } }
        var groupIdByAnchor: [String: String] = [:]
        for group in state.groups {
            dnById[group.id] = normalized(group.onPremisesDistinguishedName)
            groupIdByAnchor[group.onPremisesImmutableId] = group.id
        }
        for group in read.groups { if let id = groupIdByAnchor[group.anchor] { dnById[id] = group.normalizedDN } }

        for group in state.groups where !changedGroups.contains(group.onPremisesImmutableId) && !read.deletedAnchors.contains(group.onPremisesImmutableId) {
            var members = (group.memberUserIds + group.memberGroupIds).compactMap { dnById[$0] }
            // Members that resolved to nothing before stay counted as out of scope.
            members += Array(repeating: "", count: group.outOfScopeMemberCount)
            snapshot.groups.append(
                DirectoryGroup(
                    anchor: group.onPremisesImmutableId, dn: group.onPremisesDistinguishedName,
                    normalizedDN: normalized(group.onPremisesDistinguishedName), name: group.displayName, memberDNs: members))
        }
        return snapshot
    }

    /// Whether a delta brought users the tenant did not have live, or users under a new DN: group member values
    /// that resolved to nothing before may resolve now.
    static func usersMovedOrReturned(_ read: SyncRead, state: TenantState) -> Bool {
        guard !read.users.isEmpty else { return false }
        // Only the delta's anchors are looked up: one pass over the users, no table of them all.
        var changedDNs: [String: [String]] = [:]
        for user in read.users { changedDNs[user.anchor, default: []].append(user.dn) }
        var liveDN: [String: String] = [:]
        for user in state.users where !user.isDeleted {
            if let anchor = user.onPremisesImmutableId, changedDNs[anchor] != nil { liveDN[anchor] = user.onPremisesDistinguishedName ?? "" }
        }
        return read.users.contains { user in liveDN[user.anchor].map { $0 != user.dn } ?? true }
    }

    /// Whether the groups the delta did not bring must be read again, because a full read could resolve their
    /// member values differently from the tenant: a user new, returned or under a new DN (a newcomer) may be named
    /// by a member value that named nothing before — such a group counts out-of-scope members — and an unchanged
    /// group listing a moved user still names its old DN.
    static func groupsNeedReading(_ read: SyncRead, state: TenantState) -> Bool {
        groupReading(read, state: state) != nil
    }

    /// Why the groups may need reading again (see `groupsNeedReading`); `nil` when they do not.
    enum GroupReading: Equatable {
        /// An unchanged group lists a user the delta moved.
        case movedUserListed
        /// Unchanged groups count members that named nobody, and these users came, came back or moved: whether a
        /// group names one of them only the directory can tell.
        case newcomersMayBeNamed([DirectoryUser])
    }

    static func groupReading(_ read: SyncRead, state: TenantState) -> GroupReading? {
        guard usersMovedOrReturned(read, state: state) else { return nil }
        let changedGroups = Set(read.groups.map(\.anchor))
        // Walked by index, not copied: a delta's state holds every group, and a loop over the groups themselves
        // copies each one.
        let groups = state.groups
        func isUnchanged(_ index: Int) -> Bool {
            (changedGroups.isEmpty || !changedGroups.contains(groups[index].onPremisesImmutableId))
                && (read.deletedAnchors.isEmpty || !read.deletedAnchors.contains(groups[index].onPremisesImmutableId))
        }
        var liveByAnchor: [String: TenantUser] = [:]
        for user in state.users where !user.isDeleted {
            if let anchor = user.onPremisesImmutableId { liveByAnchor[anchor] = user }
        }
        let movedIds = Set(read.users.compactMap { user in
            liveByAnchor[user.anchor].flatMap { $0.onPremisesDistinguishedName != user.dn ? $0.id : nil }
        })
        // The cheap test first: most groups list no moved user and count no member out of scope.
        if !movedIds.isEmpty
            && groups.indices.contains(where: { groups[$0].memberUserIds.contains(where: movedIds.contains) && isUnchanged($0) })
        {
            return .movedUserListed
        }
        guard groups.indices.contains(where: { groups[$0].outOfScopeMemberCount > 0 && isUnchanged($0) }) else { return nil }
        return .newcomersMayBeNamed(read.users.filter { user in liveByAnchor[user.anchor]?.onPremisesDistinguishedName != user.dn })
    }

    private static func directoryUser(_ user: TenantUser, anchor: String, dn: String, normalizedDN: String?) -> DirectoryUser {
        let first = normalizedDN == nil ? nil : try? DistinguishedName.leafAttribute(dn)
        return DirectoryUser(
            anchor: anchor, dn: dn, normalizedDN: normalizedDN ?? dn.lowercased(), userPrincipalName: user.userPrincipalName,
            displayName: user.displayName, mail: user.mail, usageLocation: user.usageLocation, accountEnabled: user.accountEnabled,
            uid: first?.type.lowercased() == "uid" ? first?.value : nil)
    }

    private static func normalized(_ dn: String) -> String {
        (try? DistinguishedName.normalize(dn)) ?? dn.lowercased()
    }
}
