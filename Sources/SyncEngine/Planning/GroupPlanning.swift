import DirectoryMapping
import TenantModel

extension DirectoryPlanner {
    /// Matches groups by anchor, resolves member DNs and uids to tenant ids, and deletes groups that left the scope.
    func planGroups(
        _ sources: [DirectoryGroup], state: TenantState, members: MemberResolver, into plan: inout DirectoryPlan
    ) {
        let existingByAnchor = Dictionary(state.groups.map { ($0.onPremisesImmutableId, $0) }, uniquingKeysWith: { first, _ in first })
        var idByAnchor: [String: String] = [:]
        var groupIdByDN: [String: String] = [:]
        var unique: [DirectoryGroup] = []
        // Into a tenant without groups, ids come in ascending order, as for users (`UserWork.makeId`).
        let newIds = state.groups.isEmpty ? ObjectID.makeAscending(sources.count) : []
        var nextNewId = newIds.startIndex
        func makeId() -> String {
            guard nextNewId < newIds.endIndex else { return ObjectID.make() }
            defer { nextNewId += 1 }
            return newIds[nextNewId]
        }
        for source in sources where idByAnchor[source.anchor] == nil {
            let id = existingByAnchor[source.anchor]?.id ?? makeId()
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
            var memberUsers: [Int] = []
            memberUsers.reserveCapacity(source.memberDNs.count + source.memberUids.count)
            var memberGroups = Set<String>()
            let userIndexes = source.memberUserIndexes.count == source.memberDNs.count ? source.memberUserIndexes : []
            for (offset, dn) in source.memberDNs.enumerated() {
                if let rank = userIndexes.isEmpty ? members.rank(dn: dn) : members.rank(dn: dn, snapshotIndex: userIndexes[offset]) {
                    memberUsers.append(rank)
                } else if let groupId = groupIdByDN[dn], groupId != group.id {
                    memberGroups.insert(groupId)
                } else {
                    group.outOfScopeMemberCount += 1
                }
            }
            for uid in source.memberUids {
                if let rank = members.rank(uid: uid) { memberUsers.append(rank) } else { group.outOfScopeMemberCount += 1 }
            }
            let places: [Int32]
            (group.memberUserIds, places) = members.sortedIds(ranks: &memberUsers)
            group.memberGroupIds = memberGroups.sorted()
            // A merged snapshot's groups are not all mapped from their entries: none of them gets a digest.
            if recordsGroupDigests, let hash = source.contentHash { plan.changes.groupContentHashes[group.id] = hash }
            if let existing = existingByAnchor[source.anchor] {
                if existing != group {
                    plan.changes.upsertGroups.append(group)
                    plan.memberPlaces.append(places)
                    plan.groupCounts.updated += 1
                }
            } else {
                plan.changes.upsertGroups.append(group)
                plan.memberPlaces.append(places)
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

/// Resolves member DNs and uids to users, as ranks in the order of their ids: sorting a group's members is then a
/// sort of integers.
/// Positions by normalised DN. DNs match by their bytes (a `TextTable`), and a DN that is not ASCII also as
/// `String` compares: a member value may spell it in another Unicode normal form.
struct DNPositions {
    private var table: TextTable<Int>
    private var nonASCII: [String: Int] = [:]

    init(capacity: Int) {
        table = TextTable(minimumCapacity: capacity)
    }

    mutating func set(_ position: Int, for dn: String) {
        table.set(position, for: dn)
        if !dn.utf8.allSatisfy({ $0 < 0x80 }) { nonASCII[dn] = position }
    }

    subscript(dn: String) -> Int? {
        table[dn] ?? (nonASCII.isEmpty ? nil : nonASCII[dn])
    }
}

struct MemberResolver {
    private let positionByDN: DNPositions
    private let positionByUid: [String: Int]
    private let rankByPosition: [Int]
    private let idByRank: [String]
    /// The users noted by DN, and by index in the snapshot's users where each was noted (-1: not noted), for member
    /// values the read found to name a user it had read (`DirectoryGroup.memberUserIndexes`).
    private let noted: [(dn: String, position: Int)]
    private let notedBySnapshotIndex: [Int32]

    init(
        positionByDN: DNPositions, positionByUid: [String: Int], users: [TenantUser], noted: [(dn: String, position: Int)] = [],
        notedBySnapshotIndex: [Int32] = []
    ) {
        self.positionByDN = positionByDN
        self.positionByUid = positionByUid
        self.noted = noted
        self.notedBySnapshotIndex = notedBySnapshotIndex
        let order = Self.idOrder(of: users)
        var rankByPosition = [Int](repeating: 0, count: users.count)
        for (rank, position) in order.enumerated() { rankByPosition[position] = rank }
        self.rankByPosition = rankByPosition
        idByRank = order.map { users[$0].id }
    }

    /// Positions of `users` in the order of their ids. The tenant's users come in id order, new users after them:
    /// only the new ones are sorted, then merged in.
    static func idOrder(of users: [TenantUser]) -> [Int] {
        var sortedPrefix = users.isEmpty ? 0 : 1
        while sortedPrefix < users.count && users[sortedPrefix - 1].id < users[sortedPrefix].id { sortedPrefix += 1 }
        if sortedPrefix == users.count { return Array(users.indices) }
        let tail = users.indices[sortedPrefix...].sorted { users[$0].id < users[$1].id }
        var order: [Int] = []
        order.reserveCapacity(users.count)
        var head = 0
        var next = 0
        while head < sortedPrefix && next < tail.count {
            if users[tail[next]].id < users[head].id {
                order.append(tail[next])
                next += 1
            } else {
                order.append(head)
                head += 1
            }
        }
        order += head..<sortedPrefix
        order += tail[next...]
        return order
    }

    func rank(dn: String) -> Int? {
        positionByDN[dn].map { rankByPosition[$0] }
    }

    /// The rank of the user a member value names: the snapshot's user at `snapshotIndex` when the value was found to
    /// name it while reading and that user was noted under the same DN (the same string, compared at once), else
    /// by DN. The read's look-up spares this one a look-up in a table of every user's DN, which cost as much as the
    /// rest of the group pass (275,000 member values, a cache miss or two each).
    func rank(dn: String, snapshotIndex: Int32) -> Int? {
        if snapshotIndex >= 0 && Int(snapshotIndex) < notedBySnapshotIndex.count {
            let note = Int(notedBySnapshotIndex[Int(snapshotIndex)])
            if note >= 0 && noted[note].dn == dn { return rankByPosition[noted[note].position] }
        }
        return rank(dn: dn)
    }

    func rank(uid: String) -> Int? {
        positionByUid[uid].map { rankByPosition[$0] }
    }

    /// The ids of the given ranks, sorted and without repeats, with those ranks.
    func sortedIds(ranks: inout [Int]) -> (ids: [String], ranks: [Int32]) {
        ranks.sort()
        var ids: [String] = []
        ids.reserveCapacity(ranks.count)
        var kept: [Int32] = []
        kept.reserveCapacity(ranks.count)
        var last = -1
        for rank in ranks where rank != last {
            ids.append(idByRank[rank])
            kept.append(Int32(truncatingIfNeeded: rank))
            last = rank
        }
        return (ids, kept)
    }
}
