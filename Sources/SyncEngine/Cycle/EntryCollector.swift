import DirectoryMapping
import LDAPClient
import TenantStore

/// Maps entries as a read streams them in and keeps only what they map to: users, groups and quarantined entries.
/// Shared by the paged read and the RFC 4533 read.
///
/// With `digests`, every mapped user and group carries its entry's content digest; given the digests the store
/// holds (`known`), an entry whose digest is unchanged is not mapped at all, only counted: the read then brings only
/// what changed, as a delta does.
struct EntryCollector {
    let mapper: EntryMapper
    let texts: StoredTexts
    let progress: @Sendable (Int) -> Void
    private let hasher: ContentHasher?
    /// The stored digests by anchor (`nil` without stored digests); an anchor come across is marked `seen`.
    private var knownUsers: [String: Int64]?
    private var knownGroups: [String: Int64]?
    /// Marks a stored anchor the read came across (no digest has this value).
    private static let seen = StoredContentHashes.seen
    /// Called once, when `changesBeforeNotice` entries had to be mapped.
    private var onChanges: (@Sendable () -> Void)?
    private var changesBeforeNotice: Int
    var users: [DirectoryUser] = []
    var groups: [DirectoryGroup] = []
    var quarantined: [QuarantinedEntry] = []
    /// With `known`: how many entries had an unchanged digest.
    private(set) var unchangedCount = 0
    /// The member attributes in which the group entries read have values, unchanged entries included.
    private(set) var memberAttributes = Set<String>()
    /// Whether a group entry has `memberUid` values (those name users by uid, which the tenant does not keep).
    var groupsUseMemberUid: Bool { mapper.map.memberUid.map(memberAttributes.contains) ?? false }
    /// Whether a group entry was quarantined.
    private(set) var quarantinedGroups = false
    /// Member values mostly name users just read, written the same way: their normalised DNs are reused.
    private var userDNs = KnownDNs()
    private var count = 0

    /// - Parameters:
    ///   - digests: whether entries get content digests (`known` implies it).
    ///   - known: the stored digests; taken over, so that the collector is their only owner.
    ///   - onChanges: called once: at the first mapped entry without `known`; with it, at the first quarantined
    ///     entry or once a fiftieth of the known entries (at least 1,000, at most `noticeLimit`) had to be mapped
    ///     (a read that changes little may not need the whole state).
    init(
        mapper: EntryMapper, texts: StoredTexts, digests: Bool = false, known: consuming StoredContentHashes? = nil,
        onChanges: (@Sendable () -> Void)? = nil, progress: @escaping @Sendable (Int) -> Void
    ) {
        self.mapper = mapper
        self.texts = texts
        self.progress = progress
        self.hasher = digests || known != nil ? ContentHasher(map: mapper.map) : nil
        let knownCount = (known?.users.count ?? 0) + (known?.groups.count ?? 0)
        self.changesBeforeNotice = known == nil ? 1 : min(Self.noticeLimit, max(1_000, knownCount / 50))
        self.knownUsers = known?.users
        self.knownGroups = known?.groups
        _ = consume known
        self.onChanges = onChanges
    }

    mutating func addUser(_ entry: LDAPEntry) {
        tick()
        let hash = hasher?.hash(entry)
        if knownUsers != nil, let hash, let anchor = mapper.userAnchor(of: entry) {
            let stored = knownUsers?.updateValue(Self.seen, forKey: anchor)
            // A later entry with an anchor seen before is left out, as the planner leaves it out of a full read.
            if stored == Self.seen { return }
            if stored == hash {
                unchangedCount += 1
                return
            }
        }
        noteChange()
        switch mapper.mapUser(entry) {
        case .success(var user):
            texts.share(&user)
            user.contentHash = hash
            userDNs.insert(user.dn, normalized: user.normalizedDN, userIndex: users.count)
            users.append(user)
        case .failure(let entry):
            quarantined.append(entry)
            // A quarantined entry needs the whole state: no narrow delta plans it.
            noteChange(now: true)
        }
    }

    /// Maps a group entry; a quarantined group is kept here and `nil` returned, and so is nothing for a group whose
    /// digest is unchanged. The caller completes ranged member lists before appending the group to `groups`.
    mutating func mapGroup(_ entry: LDAPEntry) -> DirectoryGroup? {
        tick()
        // A ranged member list is only part of the group: its digest would not cover the rest.
        let complete = !entry.attributes.keys.contains {
            $0.utf8.contains(UInt8(ascii: ";")) && RangedAttribute(description: $0) != nil
        }
        let hash = complete ? hasher?.hash(entry) : nil
        memberAttributes.formUnion(mapper.memberAttributes(of: entry))
        if knownGroups != nil, let anchor = mapper.groupAnchor(of: entry) {
            let stored = knownGroups?.updateValue(Self.seen, forKey: anchor)
            if stored == Self.seen { return nil }
            if let hash, stored == hash {
                unchangedCount += 1
                return nil
            }
        }
        noteChange()
        switch mapper.mapGroup(entry, knownDNs: userDNs) {
        case .success(var group):
            group.contentHash = hash
            return group
        case .failure(let entry):
            quarantined.append(entry)
            quarantinedGroups = true
            return nil
        }
    }

    var snapshot: DirectorySnapshot { DirectorySnapshot(users: users, groups: groups, quarantined: quarantined) }

    /// With `known`: the anchors of the stored users and groups the read did not come across.
    var missingAnchors: Set<String> {
        var missing = Set<String>()
        for (anchor, hash) in knownUsers ?? [:] where hash != Self.seen { missing.insert(anchor) }
        for (anchor, hash) in knownGroups ?? [:] where hash != Self.seen { missing.insert(anchor) }
        return missing
    }

    /// With `known`: whether a stored group was not come across.
    var missingGroups: Bool { (knownGroups ?? [:]).values.contains { $0 != Self.seen } }

    /// The most changed entries before `onChanges` is called: a narrow delta takes no more.
    static let noticeLimit = 10_000

    private mutating func noteChange(now: Bool = false) {
        guard let onChanges else { return }
        changesBeforeNotice -= 1
        guard now || changesBeforeNotice <= 0 else { return }
        self.onChanges = nil
        onChanges()
    }

    private mutating func tick() {
        count += 1
        if count % 10_000 == 0 { progress(count) }
    }
}
