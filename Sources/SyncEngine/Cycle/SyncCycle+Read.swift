import DirectoryMapping
import Foundation
import LDAPClient
import TenantModel
import TenantStore

/// Where the read step gets the stored state from (it loads on another thread meanwhile).
struct StateSource: Sendable {
    /// Waits for the state; throws `StateLoadFailure`.
    var wait: @Sendable () async throws -> TenantState
    /// The stored users if they are loaded already, without waiting.
    var usersIfLoaded: @Sendable () -> [TenantUser]? = { nil }
    /// Starts loading the state, if it has not started, without waiting.
    var start: @Sendable () -> Void = {}
}

/// The stored state could not be loaded; the cycle reports it as a store failure, not as a read failure.
struct StateLoadFailure: Error {
    var underlying: any Error
}

/// What the read step hands on: the whole directory as a snapshot, how it was read, and the position to save with
/// the changes it covers.
struct DirectoryRead: Sendable {
    var snapshot: DirectorySnapshot
    var mode: SyncMode
    /// The position to save; `nil` with `clearPosition` when the read cannot continue from one.
    var position: SyncPosition?
    var clearPosition = false
    /// For a delta: the DNs of the entries it brought or read again (their earlier quarantine findings are
    /// replaced).
    var changedDNs: Set<String> = []
    /// For a delta: the last applied run's quarantines, which stand unless their entry is in `changedDNs`.
    var earlierQuarantines: [Finding] = []
    /// A delta the planner takes as it is (`DirectoryPlanner.canPlanDelta`); `snapshot` is then empty.
    var delta: SyncRead?
    /// With `delta`: the part of the tenant it is planned on, when the whole state is not needed.
    var narrow: NarrowDelta?
    /// Whether `snapshot` was merged from the state and a delta: its groups were not all mapped from their entries.
    var merged = false
}

extension SyncCycle {
    /// Whether this run will try a delta read: an OpenLDAP or Active Directory directory, a saved position of this
    /// server (for Active Directory checked once connected), no `--full`, and the last full read younger than
    /// `sync.fullSyncEvery`.
    func plannedMode(position: SyncPosition?, options: RunOptions, now: Date) -> SyncMode {
        switch context.config.directory.schema {
        case .activedirectory: savedUSNPosition(position, options: options, now: now) == nil ? .full : .delta
        default: savedCookies(position, options: options, now: now) == nil ? .full : .delta
        }
    }

    /// `plannedMode(position:options:now:)` for the position of `state`.
    func plannedMode(state: TenantState, options: RunOptions, now: Date) -> SyncMode {
        plannedMode(position: state.position, options: options, now: now)
    }

    /// The scope keys of the configuration, users first.
    var scopeKeys: [String] {
        let directory = context.config.directory
        return directory.users.map { SyncCookies.scopeKey(kind: "users", base: $0.base, filter: $0.filter) }
            + directory.groups.map { SyncCookies.scopeKey(kind: "groups", base: $0.base, filter: $0.filter) }
    }

    private func savedCookies(_ position: SyncPosition?, options: RunOptions, now: Date) -> SyncCookies? {
        let directory = context.config.directory
        guard directory.schema == .openldap, !options.full, let saved = SyncCookies(position, server: directory.url.string)
        else { return nil }
        guard saved.covers(scopeKeys) else { return nil }
        let age = now.timeIntervalSince(saved.fullSyncAt)
        let limit = Double(context.config.sync.fullSyncEvery.components.seconds)
        return age < limit ? saved : nil
    }

    /// Reads the directory: RFC 4533 from the saved cookies when it can (a delta), else everything.
    ///
    /// A delta that the server cannot serve (e-syncRefreshRequired, a rejected cookie) or that comes back as a present
    /// set (after a server restart) falls back to a full read, whose absent objects the planner deletes — through the
    /// guard. A server without the sync overlay, or one that limits a sync search, is read with paged searches.
    ///
    /// Only a delta needs the stored state (to merge the changes into); `state` is awaited then, so a full read runs
    /// while the state loads. Its errors come back as `StateLoadFailure`.
    func readDirectory(position: SyncPosition?, state: StateSource, options: RunOptions, now: Date) async throws -> DirectoryRead {
        let reader = DirectoryReader(directory: context.config.directory, password: context.password, storedUsers: state.usersIfLoaded)
        let progress = self.progress
        let report: @Sendable (Int) -> Void = { count in progress("read \(count) entries") }
        if context.config.directory.schema == .activedirectory {
            return try await readActiveDirectory(position: position, state: state, options: options, now: now, reader: reader, report: report)
        }
        guard context.config.directory.schema == .openldap else {
            return DirectoryRead(snapshot: try await LDAPWorker.run { try reader.readAll(progress: report) }, mode: .full)
        }
        let server = context.config.directory.url.string
        if let saved = savedCookies(position, options: options, now: now) {
            do {
                // A delta of user changes needs the groups from the store and the rules resolved against them, and
                // the users a narrow state always loads; every delta needs the last run's quarantines: all are read
                // while the server answers.
                let store = self.store
                let licenses = context.config.licenses
                let purgeBefore = Self.narrowPurgeBefore(now: now)
                // One after the other on one thread: at the same time, they would take two of the store's
                // connections, and opening the second costs more than the read.
                let ahead = Task { () -> (groups: GroupsAhead?, quarantines: [Finding]?) in
                    let read = try? await LDAPWorker.run {
                        (try? store.loadNarrowGroups(purgeBefore: purgeBefore), try? store.lastAppliedQuarantines())
                    }
                    let (groups, quarantines) = read ?? (nil, nil)
                    let resolved = groups.map { GroupsAhead(groups: $0, rules: RuleResolution(rules: licenses).resolve(against: $0.groups)) }
                    return (resolved, quarantines)
                }
                let connection = self.connection
                let changes = try await LDAPWorker.run { try reader.readChanges(since: saved, opened: connection?.take(), progress: report) }
                if !changes.needsFullRead {
                    // The member attributes in use: the last full read's and those of the groups the deltas brought.
                    let memberAttributes = saved.memberAttributes.map { Set($0).union(changes.memberAttributes) }
                    let position = SyncCookies(cookies: changes.cookies, fullSyncAt: saved.fullSyncAt, memberAttributes: memberAttributes)
                        .position(server: server)
                    let (groupsAhead, earlier) = await ahead.value
                    return try await planAsChanges(
                        changes, position: position, memberAttributes: memberAttributes, state: state, reader: reader,
                        groupsAhead: groupsAhead, earlierQuarantines: earlier, now: now)
                }
                progress("the server could not continue from the saved position; reading everything")
            } catch let error as LDAPError where error.resultCode > 0 {
                progress("the saved position was refused (\(error.resultName)); reading everything")
            }
        }
        do {
            if let read = try await readSkippingUnchanged(options: options, state: state, reader: reader, now: now, report: report) {
                return read
            }
            // Only a read that maps every entry plans what the one that skipped found as a full read must.
            progress("reading every entry again to plan the changes whole")
            state.start()
            let again = try await LDAPWorker.run { try reader.readChanges(since: nil, progress: report) }
            return DirectoryRead(
                snapshot: again.snapshot, mode: .full,
                position: SyncCookies(cookies: again.cookies, fullSyncAt: now, memberAttributes: again.memberAttributes).position(server: server))
        } catch let error as LDAPError where error.resultCode == 12 || error.isTruncation {
            // No sync overlay (unavailableCriticalExtension), or a limit on unpaged searches: paged reads, no delta.
            let snapshot = try await LDAPWorker.run { try reader.readAll(progress: report) }
            return DirectoryRead(snapshot: snapshot, mode: .full, clearPosition: true)
        }
    }

    /// Reads everything, mapping only the entries whose content digest differs from the stored one, and returns the
    /// read as the planner takes it; `nil` when what it found must be planned from every entry (see
    /// `planSkippingRead`), which the caller then reads again. A read that skipped nothing is a full read as it is.
    private func readSkippingUnchanged(
        options: RunOptions, state: StateSource, reader: DirectoryReader, now: Date, report: @escaping @Sendable (Int) -> Void
    ) async throws -> DirectoryRead? {
        let store = self.store
        let trust = options.trustContentHashes
        let connection = self.connection
        let everything = try await LDAPWorker.run { () throws -> SyncRead in
            try reader.readChanges(
                since: nil, opened: connection?.take(),
                known: {
                    guard trust else { return nil }
                    do {
                        let known = try store.loadContentHashes()
                        return known.isEmpty ? nil : known
                    } catch {
                        throw StateLoadFailure(underlying: error)
                    }
                }, onChanges: state.start, progress: report)
        }
        let position = SyncCookies(cookies: everything.cookies, fullSyncAt: now, memberAttributes: everything.memberAttributes)
            .position(server: context.config.directory.url.string)
        guard everything.unchangedCount > 0 else { return DirectoryRead(snapshot: everything.snapshot, mode: .full, position: position) }
        let changed = everything.users.count + everything.groups.count + everything.quarantined.count
        if changed > 0 || !everything.deletedAnchors.isEmpty {
            progress("full read: \(everything.unchangedCount) entries unchanged, \(changed) changed, \(everything.deletedAnchors.count) gone")
        }
        return try await planSkippingRead(everything, position: position, state: state, reader: reader, now: now)
    }

    /// A full read that skipped the entries whose digest was unchanged, planned as a delta where that is exactly
    /// what mapping every entry gives: when only users changed, came or left (and no group names users by
    /// `memberUid` while they do), and the delta needs neither the groups read again nor a merged snapshot, whose
    /// shortcuts only a full read may correct. `nil` otherwise.
    private func planSkippingRead(
        _ read: SyncRead, position: SyncPosition?, state: StateSource, reader: DirectoryReader, now: Date
    ) async throws -> DirectoryRead? {
        guard !read.groupsChanged, !(read.groupsUseMemberUid && !(read.users.isEmpty && read.quarantined.isEmpty)) else { return nil }
        let changedDNs = Set(read.users.map(\.dn) + read.quarantined.map(\.dn))
        if let narrow = try await narrowDelta(for: read, now: now, reader: reader, memberAttributes: read.memberAttributes) {
            return DirectoryRead(
                snapshot: DirectorySnapshot(), mode: .full, position: position, changedDNs: changedDNs, delta: read, narrow: narrow)
        }
        let state = try await state.wait()
        guard !DeltaSnapshot.groupsNeedReading(read, state: state), DirectoryPlanner.canPlanDelta(read, state: state, quarantinesPlanned: true),
            Self.quarantinesKeepMemberships(read.quarantined, state: state)
        else { return nil }
        return DirectoryRead(snapshot: DirectorySnapshot(), mode: .full, position: position, changedDNs: changedDNs, delta: read)
    }

    /// Whether planning these quarantined entries leaves every group's members as they are: a full read resolves a
    /// member value naming a quarantined entry to the user the tenant has for it, so an entry under another DN than
    /// its user's, or one whose user is soft-deleted, changes memberships a delta keeps.
    private static func quarantinesKeepMemberships(_ quarantined: [QuarantinedEntry], state: TenantState) -> Bool {
        let anchors = Set(quarantined.compactMap(\.anchor))
        guard !anchors.isEmpty else { return true }
        var users: [String: TenantUser] = [:]
        for user in state.users { if let anchor = user.onPremisesImmutableId, anchors.contains(anchor) { users[anchor] = user } }
        return quarantined.allSatisfy { entry in
            guard let anchor = entry.anchor, let user = users[anchor] else { return true }
            guard !user.isDeleted, let dn = user.onPremisesDistinguishedName else { return false }
            return ((try? DistinguishedName.normalize(dn)) ?? dn.lowercased()) == entry.normalizedDN
        }
    }

    /// Turns a delta into what the planner takes: a narrow state when one will do, else the changes over the whole
    /// state, else a snapshot merged from the state and the changes, with the groups read again when users came or
    /// moved. The entries the last applied run quarantined are read again first.
    private func planAsChanges(
        _ read: SyncRead, position: SyncPosition?, memberAttributes: Set<String>?, state: StateSource, reader: DirectoryReader,
        groupsAhead: GroupsAhead?, earlierQuarantines: [Finding]?, now: Date
    ) async throws -> DirectoryRead {
        let mode = SyncMode.delta
        var changes = read
        // The store tells who holds a UPN: the quarantines are judged before it is known whether the whole state
        // is needed.
        let store = self.store
        let (earlier, rechecked) = try await recheckQuarantines(&changes, reader: reader, earlier: earlierQuarantines) { wanted in
            do {
                return try await LDAPWorker.run { try store.liveHolders(ofUPNs: wanted) }
            } catch {
                throw StateLoadFailure(underlying: error)
            }
        }
        if let narrow = try await narrowDelta(
            for: changes, now: now, reader: reader, memberAttributes: memberAttributes, groupsAhead: groupsAhead)
        {
            return DirectoryRead(
                snapshot: DirectorySnapshot(), mode: mode, position: position,
                changedDNs: Set(changes.users.map(\.dn)).union(rechecked), earlierQuarantines: earlier, delta: changes, narrow: narrow)
        }
        let state = try await state.wait()
        let needsGroups = DeltaSnapshot.groupsNeedReading(changes, state: state)
        if !needsGroups && DirectoryPlanner.canPlanDelta(changes, state: state) {
            let changed = Set(changes.users.map(\.dn)).union(rechecked)
            return DirectoryRead(
                snapshot: DirectorySnapshot(), mode: mode, position: position, changedDNs: changed,
                earlierQuarantines: earlier, delta: changes)
        }
        var snapshot = DeltaSnapshot.merge(changes, into: state)
        if needsGroups {
            // Member values that named no user before may name one now: read the groups whole.
            changes.groups = try await LDAPWorker.run { try reader.readGroups() }
            snapshot.groups = changes.groups
        }
        let changed = Set(changes.users.map(\.dn) + changes.groups.map(\.dn) + changes.quarantined.map(\.dn))
            .union(rechecked)
        return DirectoryRead(
            snapshot: snapshot, mode: mode, position: position, changedDNs: changed, earlierQuarantines: earlier, merged: true)
    }
}

extension SyncCycle {
    /// Reads the entries the last applied run quarantined again, unless the delta brought them, and adds them to
    /// `read` as changes: a full read would judge them afresh (the UPN they wanted may be free now; they may be
    /// gone). Returns those quarantines and the DNs whose earlier findings are not to be carried.
    ///
    /// An entry whose verdict cannot have changed is left out, so the delta can still be planned as it is: one
    /// quarantined again for the same reason, and a duplicate whose UPN the same tenant user still holds and the
    /// delta leaves alone.
    ///
    /// `holders` gives the live tenant users holding UPNs (folded with `UserIndex.fold`), as anchors by UPN; one it
    /// leaves out counts as having no holder, so the entry wanting it is judged afresh. `earlier` are the last
    /// applied run's quarantines when read already (`TenantStore.lastAppliedQuarantines`).
    func recheckQuarantines(
        _ read: inout SyncRead, reader: DirectoryReader, earlier: [Finding]? = nil,
        holders: @Sendable (Set<String>) async throws -> [String: String]
    ) async throws -> (earlier: [Finding], rechecked: Set<String>) {
        let earlier = try earlier ?? store.lastAppliedQuarantines()
        let brought = Set((read.users.map(\.dn) + read.groups.map(\.dn) + read.quarantined.map(\.dn)).map(Self.comparable))
        let dns = Set(earlier.compactMap(\.quarantinedDN)).filter { !brought.contains(Self.comparable($0)) }.sorted()
        guard !dns.isEmpty else { return (earlier, []) }
        let again = try await LDAPWorker.run { try reader.readEntries(dns: dns) }

        let broughtAnchors = Set(read.users.map(\.anchor) + read.groups.map(\.anchor) + read.quarantined.compactMap(\.anchor))
        let earlierDetails = Set(earlier.map(\.detail))
        var unchanged = Set(again.read.quarantined.filter { earlierDetails.contains(Finding.quarantinePrefix + $0.detail) }.map(\.dn))
        let duplicates = Set(earlier.filter { $0.kind == .uniquenessViolation }.compactMap(\.quarantinedDN))
        let wantingUPNs = again.read.users.filter { duplicates.contains($0.dn) }
        if !wantingUPNs.isEmpty {
            let holders = try await holders(Set(wantingUPNs.map { UserIndex.fold($0.userPrincipalName) }))
            for user in wantingUPNs {
                guard let holder = holders[UserIndex.fold(user.userPrincipalName)], holder != user.anchor,
                    !broughtAnchors.contains(holder), !read.deletedAnchors.contains(holder)
                else { continue }
                unchanged.insert(user.dn)
            }
        }
        // What the delta brought already (under a DN in another case, say) is not taken twice.
        read.users += again.read.users.filter { !unchanged.contains($0.dn) && !broughtAnchors.contains($0.anchor) }
        read.groups += again.read.groups.filter { !broughtAnchors.contains($0.anchor) }
        read.quarantined += again.read.quarantined.filter { entry in
            !unchanged.contains(entry.dn) && !(entry.anchor.map(broughtAnchors.contains) ?? false)
        }
        return (earlier, again.lookedUp.subtracting(unchanged))
    }

    /// The live users of `state` holding these folded UPNs, as anchors by UPN.
    static func holders(of wanted: Set<String>, in state: TenantState) -> [String: String] {
        var holders: [String: String] = [:]
        for user in state.users where !user.isDeleted {
            let upn = UserIndex.fold(user.userPrincipalName)
            if wanted.contains(upn), let anchor = user.onPremisesImmutableId { holders[upn] = anchor }
        }
        return holders
    }

    /// A DN as the server compares it, for telling whether two spellings name the same entry.
    private static func comparable(_ dn: String) -> String {
        (try? DistinguishedName.normalize(dn)) ?? dn.lowercased()
    }
}
