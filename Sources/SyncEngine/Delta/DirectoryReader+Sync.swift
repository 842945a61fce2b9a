import DirectoryMapping
import LDAPClient
import TenantStore

/// What an RFC 4533 read of every scope produced: changed entries (or all of them, without cookies), deletions,
/// and the new cookies.
struct SyncRead: Sendable {
    var users: [DirectoryUser] = []
    var groups: [DirectoryGroup] = []
    var quarantined: [QuarantinedEntry] = []
    /// Anchors the server reported deleted.
    var deletedAnchors: Set<String> = []
    /// The server answered with a present set (after a restart) instead of deletions, or ignored the cookie and
    /// sent everything again: only a full read can tell what is gone.
    var needsFullRead = false
    var cookies: [String: [UInt8]] = [:]
    /// A full read given the stored content digests: how many entries it found unchanged (not mapped).
    var unchangedCount = 0
    /// Whether a group entry read has `memberUid` values.
    var groupsUseMemberUid = false
    /// The member attributes in which the group entries read have values (`EntryMapper.memberAttributes`).
    var memberAttributes = Set<String>()
    /// A full read given the stored digests: whether a group changed or was not come across.
    var groupsChanged = false

    var snapshot: DirectorySnapshot { DirectorySnapshot(users: users, groups: groups, quarantined: quarantined) }
}

extension DirectoryReader {
    /// Reads every scope with an RFC 4533 refreshOnly search, from the given cookies (all entries without one).
    /// Sync is never combined with paging. Blocking: call it through `LDAPWorker.run`.
    ///
    /// A full read's mapped entries carry their content digests. With `known` (the stored digests), entries whose
    /// digest is unchanged are only counted (`SyncRead.unchangedCount`) and the stored objects not come across are
    /// reported deleted; `onChanges` is called once the read has mapped a few entries (see `EntryCollector`).
    /// `known` is asked for once the first request is on its way: the stored digests load while the server starts
    /// answering, and the read then finds the server ahead of it (an unchanged re-sync of 100,000 users: 0.77 s when
    /// they were loaded before connecting, 0.52 s so).
    ///
    /// `opened` is a connection opened ahead (`LDAPConnectionOpening`); `nil` opens one.
    func readChanges(
        since cookies: SyncCookies?, opened: LDAPConnection? = nil, known: () throws -> StoredContentHashes? = { nil },
        onChanges: (@Sendable () -> Void)? = nil, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> SyncRead {
        let connection = try opened ?? LDAPConnection.open(options)
        defer { connection.close() }
        var read = SyncRead()
        let requests = directory.users.map { scope in
            (isGroups: false, request: syncRequest(scope, kind: "users", attributes: mapper.map.userAttributes, from: cookies))
        } + directory.groups.map { scope in
            (isGroups: true, request: syncRequest(scope, kind: "groups", attributes: mapper.map.groupAttributes, from: cookies))
        }
        // A delta's answers are small: all its requests go out at once and the server works on them together (its
        // search of the groups for changes took as long as the users'). A full read's are not: libldap would hold
        // the groups in memory while the users are read, so only the first goes out before the digests are taken.
        let started = try (cookies == nil ? Array(requests.prefix(1)) : requests).map { try connection.startSync($0.request.sync) }
        let stored = try known()
        let skipsUnchanged = stored != nil
        // Only full reads give rows digests: a delta's rows are planned with a delta's shortcuts, which the next
        // full read must look at again.
        var collector = EntryCollector(
            mapper: mapper, texts: StoredTexts(source: storedUsers), digests: cookies == nil, known: consume stored,
            onChanges: onChanges, progress: progress)
        for (index, part) in requests.enumerated() {
            let pending = index < started.count ? started[index] : try connection.startSync(part.request.sync)
            let scope = try finishSync(pending, part.request.sync, on: connection) { entry in
                if !part.isGroups {
                    collector.addUser(entry)
                } else if let group = collector.mapGroup(entry) {
                    collector.groups.append(group)
                }
            }
            read.merge(scope, key: part.request.key)
        }
        read.users = collector.users
        read.groups = collector.groups
        read.quarantined = collector.quarantined
        read.groupsUseMemberUid = collector.groupsUseMemberUid
        read.memberAttributes = collector.memberAttributes
        if skipsUnchanged {
            read.unchangedCount = collector.unchangedCount
            // The stored objects it did not come across left the directory or the scope.
            read.deletedAnchors.formUnion(collector.missingAnchors)
            read.groupsChanged = !read.groups.isEmpty || collector.missingGroups || collector.quarantinedGroups
        }
        return read
    }

    /// What one scope's refresh ended with.
    struct ScopeSync {
        var cookie: [UInt8]?
        var deletedAnchors: [String]
        var needsFullRead: Bool
    }

    /// A scope's refresh request, from its saved cookie when there is one, and the key its cookie is saved under.
    private func syncRequest(
        _ scope: SearchScopeConfig, kind: String, attributes: [String], from cookies: SyncCookies?
    ) -> (sync: LDAPSyncRequest, key: String) {
        let key = SyncCookies.scopeKey(kind: kind, base: scope.base, filter: scope.filter)
        return (LDAPSyncRequest(base: scope.base, filter: scope.filter, attributes: attributes, cookie: cookies?.cookie(for: key)), key)
    }

    /// Reads the answer to a scope's refresh request, handing on the entries added or modified.
    private func finishSync(
        _ pending: LDAPPendingSync, _ request: LDAPSyncRequest, on connection: LDAPConnection, onEntry: (LDAPEntry) -> Void
    ) throws -> ScopeSync {
        var deleted: [[UInt8]] = []
        var sawPresent = false
        let summary = try connection.finishSync(pending) { event in
            switch event {
            case .entry(let entry, let uuid, let state):
                switch state {
                case .add, .modify: onEntry(entry)
                case .delete: deleted.append(uuid)
                case .present: sawPresent = true
                }
            case .deleted(let uuids): deleted += uuids
            case .present: sawPresent = true
            }
        }
        return ScopeSync(
            cookie: summary.cookie, deletedAnchors: deleted.map(EntryUUID.text),
            // refreshDeletes FALSE is the present phase: whatever was not sent is gone, which only a full read shows.
            needsFullRead: request.cookie != nil && (sawPresent || !summary.refreshDeletes || (summary.cookie ?? []).isEmpty))
    }
}

extension DirectoryReader {
    /// Whether a group in scope names one of `users` as a member: by DN in a member attribute, or by uid in
    /// `memberUid`. The server matches DNs as DNs, whatever their spelling in the group; OpenLDAP (the only server
    /// deltas are read from) matches a `uniqueMember` value carrying a `#'…'B` UID by its DN alone, as the planner
    /// does. Blocking: call it through `LDAPWorker.run`.
    ///
    /// `attributes`, when known, are the member attributes the groups have values in (`SyncCookies.memberAttributes`):
    /// only those are asked about. A server may index `member` and not `uniqueMember` or `memberUid`, and then
    /// looks at every group for a filter that names them (20–30 ms of slapd at 10,000 groups).
    func groupsName(_ users: [DirectoryUser], attributes: Set<String>? = nil) throws -> Bool {
        func asked(_ attribute: String) -> Bool { attributes.map { $0.contains(attribute) } ?? true }
        var terms: [String] = []
        for attribute in mapper.map.member where asked(attribute) {
            terms += users.map { "(\(attribute)=\(LDAPFilter.escape($0.dn)))" }
        }
        if let memberUid = mapper.map.memberUid, asked(memberUid) {
            terms += users.compactMap(\.uid).map { "(\(memberUid)=\(LDAPFilter.escape($0)))" }
        }
        guard !terms.isEmpty else { return false }
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        for scope in directory.groups {
            var named = false
            let request = LDAPSearchRequest(
                base: scope.base, scope: .subtree, filter: "(&\(scope.filter)(|\(terms.joined())))", attributes: ["1.1"],
                pageSize: directory.pageSize)
            _ = try connection.search(request) { _ in named = true }
            if named { return true }
        }
        return false
    }

    /// Reads every group scope with paged searches (a delta whose users moved or came back needs the groups whole).
    func readGroups() throws -> [DirectoryGroup] {
        let connection = try LDAPConnection.open(options)
        defer { connection.close() }
        var groups: [DirectoryGroup] = []
        for scope in directory.groups {
            let request = LDAPSearchRequest(
                base: scope.base, scope: .subtree, filter: scope.filter, attributes: mapper.map.groupAttributes, pageSize: directory.pageSize)
            _ = try connection.search(request) { entry in
                guard case .success(var group) = mapper.mapGroup(entry) else { return }
                if group.pendingRange != nil { try readRemainingMembers(of: &group, connection: connection) }
                groups.append(group)
            }
        }
        return groups
    }
}

extension SyncRead {
    mutating func merge(_ part: DirectoryReader.ScopeSync, key: String) {
        cookies[key] = part.cookie
        deletedAnchors.formUnion(part.deletedAnchors)
        needsFullRead = needsFullRead || part.needsFullRead
    }
}
