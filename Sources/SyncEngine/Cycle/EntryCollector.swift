import DirectoryMapping
import LDAPClient

/// Maps entries as a read streams them in and keeps only what they map to: users, groups and quarantined entries.
/// Shared by the paged read and the RFC 4533 read.
struct EntryCollector {
    let mapper: EntryMapper
    let texts: StoredTexts
    let progress: @Sendable (Int) -> Void
    var users: [DirectoryUser] = []
    var groups: [DirectoryGroup] = []
    var quarantined: [QuarantinedEntry] = []
    /// Member values mostly name users just read, written the same way: their normalised DNs are reused.
    private var userDNs: [String: String] = [:]
    private var count = 0

    init(mapper: EntryMapper, texts: StoredTexts, progress: @escaping @Sendable (Int) -> Void) {
        self.mapper = mapper
        self.texts = texts
        self.progress = progress
    }

    mutating func addUser(_ entry: LDAPEntry) {
        switch mapper.mapUser(entry) {
        case .success(var user):
            texts.share(&user)
            userDNs[user.dn] = user.normalizedDN
            users.append(user)
        case .failure(let entry): quarantined.append(entry)
        }
        tick()
    }

    /// Maps a group entry; a quarantined group is kept here and `nil` returned. The caller completes ranged member
    /// lists before appending the group to `groups`.
    mutating func mapGroup(_ entry: LDAPEntry) -> DirectoryGroup? {
        tick()
        switch mapper.mapGroup(entry, knownDNs: userDNs) {
        case .success(let group): return group
        case .failure(let entry):
            quarantined.append(entry)
            return nil
        }
    }

    var snapshot: DirectorySnapshot { DirectorySnapshot(users: users, groups: groups, quarantined: quarantined) }

    private mutating func tick() {
        count += 1
        if count % 10_000 == 0 { progress(count) }
    }
}
