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
    /// For each group of `changes.upsertGroups` a whole read planned, its member users' places among all users in
    /// id order, as `memberUserIds` lists them: a first sync's writer, whose keys follow that order, takes them for
    /// keys (`PendingBulkLoad.writeGroups`). Empty for other plans.
    var memberPlaces: [[Int32]] = []
}

/// Matches a directory snapshot to the tenant: hard match on the anchor, soft match of cloud-only users, quarantine
/// of duplicates, soft delete with restore and purge. Pure.
struct DirectoryPlanner: Sendable {
    /// How long a soft-deleted user can come back before it is purged.
    static let restoreWindow: TimeInterval = 30 * 24 * 3600

    var softMatch: Bool
    var runId: Int64
    var now: Date
    /// Whether groups planned from a snapshot keep the digests of their entries: not for a snapshot merged from the
    /// tenant and a delta, whose groups may be planned with a delta's shortcuts.
    var recordsGroupDigests = true

    /// Plans a whole read of the directory against the tenant's state.
    func plan(snapshot: DirectorySnapshot, state: TenantState) -> DirectoryPlan {
        var rest = state
        let users = rest.users
        rest.users = []
        return plan(snapshot: snapshot, users: users, state: rest)
    }

    /// `plan(snapshot:state:)` with the state's users handed over apart (`state.users` is not read): the planner
    /// changes them in place, so a caller that gives up its own reference saves a copy of every user. The snapshot
    /// is consumed; its users are released once matched.
    ///
    /// `usersPlanned` is called with the plan once its users are final (`changes.upsertUsers` and the users' digests
    /// included), before the groups are planned. Into a tenant without users, `newUser` is called with each user as
    /// it is made, with the digest of its entry: those users, in that order, are the final `changes.upsertUsers`,
    /// and their digests are not in `changes.userContentHashes` (they went with the users).
    func plan(
        snapshot: consuming DirectorySnapshot, users stateUsers: consuming [TenantUser], state: TenantState,
        usersPlanned: (DirectoryPlan) -> Void = { _ in }, newUser: ((TenantUser, Int64?) -> Void)? = nil
    ) -> DirectoryPlan {
        let stateUserCount = stateUsers.count
        var index = UserIndex(taking: consume stateUsers, expectedCount: max(stateUserCount, snapshot.users.count))
        var plan = DirectoryPlan(users: [], groups: [])
        var work = UserWork(expectedCount: snapshot.users.count)
        // Into an empty tenant every entry brings a new user: their ids are made at once, in ascending order, and
        // for many users while the duplicate UPNs are looked for (13 and 30 ms at 100,000 users).
        let count = snapshot.users.count
        var newIds: Meanwhile<[String]>?
        if stateUserCount == 0 {
            newIds = count < Self.idsMadeMeanwhile ? .done(ObjectID.makeAscending(count)) : Meanwhile { ObjectID.makeAscending(count) }
        }
        plan.changes.userContentHashes.reserveCapacity(snapshot.users.count)

        for entry in Self.once(snapshot.quarantined) { quarantine(entry, into: &plan, work: &work, index: index) }

        let (rejected, duplicates) = Self.splitDuplicateUPNs(snapshot.users, index: index)
        if let newIds { work.newIds = newIds.value() }
        for entry in duplicates { quarantine(entry, into: &plan, work: &work, index: index) }

        // Users by posix uid are needed only for `memberUid` members.
        let keepUids = snapshot.groups.contains { !$0.memberUids.isEmpty }
        matchUsers(
            snapshot.users, rejected: rejected, keepUids: keepUids, index: &index, plan: &plan, work: &work,
            newUser: stateUserCount == 0 ? newUser : nil)
        snapshot.users = []
        snapshot.quarantined = []
        let all = closeUserPass(index: index, stateUserCount: stateUserCount, plan: &plan, work: &work)
        usersPlanned(plan)
        let members = MemberResolver(
            positionByDN: work.positionByDN(), positionByUid: work.positionByUid, users: all, noted: work.dnPositions,
            notedBySnapshotIndex: work.notedBySnapshotIndex)
        work = UserWork(expectedCount: 0)
        planGroups(snapshot.groups, state: state, members: members, into: &plan)
        return plan
    }

    /// From how many new users their ids are made on a thread of their own.
    static let idsMadeMeanwhile = 10_000

    /// Matches the snapshot's users (less the rejected offsets) in order; each entry is released once matched.
    /// Their positions are noted by DN, and by uid when `keepUids`.
    func matchUsers(
        _ sources: consuming [DirectoryUser], rejected: Set<Int>, keepUids: Bool, index: inout UserIndex, plan: inout DirectoryPlan,
        work: inout UserWork, newUser: ((TenantUser, Int64?) -> Void)? = nil
    ) {
        let released = DirectoryUser(anchor: "", dn: "", normalizedDN: "", userPrincipalName: "")
        for offset in sources.indices where rejected.isEmpty || !rejected.contains(offset) {
            let source = sources[offset]
            sources[offset] = released
            // An anchor seen before, in the snapshot, is skipped.
            let known = index.position(anchor: source.anchor)
            if let known {
                if work.isSeen(known) { continue }
                // Most users of a full read have not changed: compared in place, no new value is built.
                if index.isLive(at: known, as: source) {
                    if let hash = source.contentHash { plan.changes.userContentHashes[index.id(at: known)] = hash }
                    work.markSeen(known)
                    work.note(known, dn: source.normalizedDN, snapshotIndex: offset)
                    if keepUids, let uid = source.uid { work.positionByUid[uid] = known }
                    continue
                }
            } else if !work.unmatchedAnchors.isEmpty && work.unmatchedAnchors.contains(source.anchor) {
                continue
            }
            guard let position = match(source, at: known, index: &index, plan: &plan, work: &work) else {
                work.unmatchedAnchors.insert(source.anchor)
                continue
            }
            if let newUser {
                // The digest goes with the user (see `plan`).
                newUser(index[position], source.contentHash)
            } else if let hash = source.contentHash {
                plan.changes.userContentHashes[index.id(at: position)] = hash
            }
            work.markSeen(position)
            work.note(position, dn: source.normalizedDN, snapshotIndex: offset)
            if keepUids, let uid = source.uid { work.positionByUid[uid] = position }
        }
    }

    /// Soft-deletes (or purges) the state's synced users no entry was seen for, undoes changes that would take a
    /// UPN another live user keeps, and sets `plan.users` and the user upserts. Returns every user, as planned
    /// before the undoing (positions as in the index).
    func closeUserPass(index: consuming UserIndex, stateUserCount: Int, plan: inout DirectoryPlan, work: inout UserWork) -> [TenantUser] {
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
        _ = consume index
        // Into an empty tenant only the snapshot's users come, and `splitDuplicateUPNs` left them one UPN each.
        let reverted = stateUserCount == 0 ? [:] : resolveUPNClashes(in: all, plan: &plan) { position in
            position < stateUserCount ? originals[position] ?? all[position] : nil
        }
        // A change undone was not made from its entry: the user keeps the digest it had.
        for id in reverted.keys { plan.changes.userContentHashes[id] = nil }
        Self.finishUsers(all, changed: work.changed, reverted: reverted, into: &plan)
        return all
    }

    /// What the user pass keeps while it walks the snapshot.
    struct UserWork {
        /// By position in the index: whether a snapshot entry matched the user there (its anchor is seen).
        private var seen: [Bool] = []
        /// Anchors of entries quarantined while matching (seen, but in no position).
        var unmatchedAnchors = Set<String>()
        var quarantinedAnchors = Set<String>()
        /// Users by normalised DN as positions in the index, in the order noted; the table is built only once the
        /// users are planned (`positionByDN()`), after a first sync has begun writing them.
        private(set) var dnPositions: [(dn: String, position: Int)] = []
        /// By index in the snapshot's users: where in `dnPositions` the user of that entry was noted, -1 if not.
        private(set) var notedBySnapshotIndex: [Int32] = []
        /// Users by posix uid, as positions in the index.
        var positionByUid: [String: Int] = [:]
        /// Positions in the index of the users this plan creates or changes, in the order of the changes.
        var changed: [Int] = []
        /// Ids for new users, taken in order; once used up, ids are made one by one.
        var newIds: [String] = []
        private var nextNewId = 0

        init(expectedCount: Int) {
            seen.reserveCapacity(expectedCount)
            dnPositions.reserveCapacity(expectedCount)
            notedBySnapshotIndex.reserveCapacity(expectedCount)
        }

        /// Notes the user at `position` under `dn`, and as the user of the snapshot's entry `snapshotIndex` if given.
        mutating func note(_ position: Int, dn: String, snapshotIndex: Int? = nil) {
            guard let snapshotIndex else {
                dnPositions.append((dn, position))
                return
            }
            if snapshotIndex >= notedBySnapshotIndex.count {
                notedBySnapshotIndex += repeatElement(-1, count: snapshotIndex + 1 - notedBySnapshotIndex.count)
            }
            notedBySnapshotIndex[snapshotIndex] = Int32(truncatingIfNeeded: dnPositions.count)
            dnPositions.append((dn, position))
        }

        /// The users by normalised DN; a DN noted twice keeps the later position.
        func positionByDN() -> DNPositions {
            var positions = DNPositions(capacity: dnPositions.count)
            for (dn, position) in dnPositions { positions.set(position, for: dn) }
            return positions
        }

        func isSeen(_ position: Int) -> Bool {
            position < seen.count && seen[position]
        }

        /// The id of the next new user.
        mutating func makeId() -> String {
            guard nextNewId < newIds.count else { return ObjectID.make() }
            defer { nextNewId += 1 }
            return newIds[nextNewId]
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
    /// `known` is the position of the user with the source's anchor, as the caller found it.
    private func match(_ source: DirectoryUser, at known: Int?, index: inout UserIndex, plan: inout DirectoryPlan, work: inout UserWork) -> Int? {
        if let position = known {
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
        let created = apply(source, to: TenantUser(id: work.makeId(), userPrincipalName: source.userPrincipalName, enteredRun: runId))
        plan.userCounts.added += 1
        let position = index.insert(created)
        work.changed.append(position)
        return position
    }

    /// Sets what the directory owns; `UserIndex.isLive(at:as:)` must compare exactly these fields.
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

    /// The entries less those read again (scopes that overlap): the same anchor, or without one the same DN.
    static func once(_ entries: [QuarantinedEntry]) -> [QuarantinedEntry] {
        var seen = Set<String>()
        return entries.filter { entry in
            seen.insert(entry.anchor.map { "anchor:" + $0 } ?? "dn:" + (entry.normalizedDN ?? entry.dn)).inserted
        }
    }

    func quarantine(_ entry: QuarantinedEntry, into plan: inout DirectoryPlan, work: inout UserWork, index: UserIndex) {
        plan.userCounts.quarantined += 1
        if let anchor = entry.anchor {
            work.quarantinedAnchors.insert(anchor)
            // A quarantined user the tenant already has keeps its memberships.
            if let existing = index.position(anchor: anchor), let dn = entry.normalizedDN { work.note(existing, dn: dn) }
        }
        let kind: FindingKind = entry.reason == .duplicateUserPrincipalName ? .uniquenessViolation : .other
        plan.findings.append(Finding(kind: kind, userPrincipalName: entry.userPrincipalName ?? entry.dn, detail: Finding.quarantinePrefix + "\(entry.detail)"))
    }
}
