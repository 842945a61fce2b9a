import DirectoryMapping
import LDAPClient
import TenantStore

/// Maps entries as a read streams them in and keeps only what they map to: users, groups and quarantined entries.
/// Shared by the paged read and the RFC 4533 read.
///
/// Every mapped user and group carries its entry's content digest. Given the digests the store holds (`known`), an
/// entry whose digest is unchanged is not mapped at all, only counted as seen: the read then brings only what
/// changed, as a delta does.
struct EntryCollector {
    let mapper: EntryMapper
    let texts: StoredTexts
    let progress: @Sendable (Int) -> Void
    private let hasher: ContentHasher
    /// The stored digests not come across yet, by anchor (`nil` without stored digests).
    private var knownUsers: [String: Int64]?
    private var knownGroups: [String: Int64]?
    /// Called once, at the first entry that has to be mapped while `known` is given.
    private var onFirstChange: (@Sendable () -> Void)?
    var users: [DirectoryUser] = []
    var groups: [DirectoryGroup] = []
    var quarantined: [QuarantinedEntry] = []
    /// With `known`: how many entries had an unchanged digest.
    private(set) var unchangedCount = 0
    /// Member values mostly name users just read, written the same way: their normalised DNs are reused.
    private var userDNs: [String: String] = [:]
    private var count = 0

    init(
        mapper: EntryMapper, texts: StoredTexts, known: StoredContentHashes? = nil, onFirstChange: (@Sendable () -> Void)? = nil,
        progress: @escaping @Sendable (Int) -> Void
    ) {
        self.mapper = mapper
        self.texts = texts
        self.progress = progress
        self.hasher = ContentHasher(map: mapper.map)
        self.knownUsers = known?.users
        self.knownGroups = known?.groups
        self.onFirstChange = onFirstChange
    }

    mutating func addUser(_ entry: LDAPEntry) {
        tick()
        let hash = hasher.hash(entry)
        if knownUsers != nil, let anchor = mapper.userAnchor(of: entry), knownUsers?.removeValue(forKey: anchor) == hash {
            unchangedCount += 1
            return
        }
        noteChange()
        switch mapper.mapUser(entry) {
        case .success(var user):
            texts.share(&user)
            user.contentHash = hash
            userDNs[user.dn] = user.normalizedDN
            users.append(user)
        case .failure(let entry): quarantined.append(entry)
        }
    }

    /// Maps a group entry; a quarantined group is kept here and `nil` returned, and so is nothing for a group whose
    /// digest is unchanged. The caller completes ranged member lists before appending the group to `groups`.
    mutating func mapGroup(_ entry: LDAPEntry) -> DirectoryGroup? {
        tick()
        // A ranged member list is only part of the group: its digest would not cover the rest.
        let complete = !entry.attributes.keys.contains { $0.contains(";range=") }
        let hash = complete ? hasher.hash(entry) : nil
        if knownGroups != nil, let anchor = mapper.groupAnchor(of: entry), knownGroups?.removeValue(forKey: anchor) == hash, hash != nil {
            unchangedCount += 1
            return nil
        }
        noteChange()
        switch mapper.mapGroup(entry, knownDNs: userDNs) {
        case .success(var group):
            group.contentHash = hash
            return group
        case .failure(let entry):
            quarantined.append(entry)
            return nil
        }
    }

    var snapshot: DirectorySnapshot { DirectorySnapshot(users: users, groups: groups, quarantined: quarantined) }

    /// With `known`: the anchors of the stored users and groups the read did not come across.
    var missingAnchors: Set<String> {
        Set((knownUsers ?? [:]).keys).union((knownGroups ?? [:]).keys)
    }

    private mutating func noteChange() {
        guard let onFirstChange else { return }
        self.onFirstChange = nil
        onFirstChange()
    }

    private mutating func tick() {
        count += 1
        if count % 10_000 == 0 { progress(count) }
    }
}
