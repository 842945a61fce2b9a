import DirectoryMapping
import TenantModel

/// The tenant's users indexed for matching: by anchor, by live UPN, and cloud-only users by mail. Lookups give
/// positions in `all`, so a user is stored once and changed in place.
///
/// Live UPNs are looked up only to find cloud-only users (soft match) and the holders of duplicate UPNs, so the UPN
/// table is kept only while the index has cloud-only users; otherwise the rare holder lookup walks the users.
struct UserIndex: Sendable {
    private var users: [TenantUser] = []
    /// `nil` for an anchor whose user took another anchor since (the table does not remove keys).
    private var positionByAnchor = TextTable<Int?>()
    /// Kept while `tracksUPNs`.
    private var livePositionByUPN: [String: Int] = [:]
    private var tracksUPNs = false
    private var cloudPositionByMail: [String: Int] = [:]
    /// How many users the index started with.
    private var initialCount = 0
    /// The users the index started with that were replaced since, as they were, by position.
    private(set) var originals: [Int: TenantUser] = [:]

    /// - Parameter expectedCount: how many users the index will hold in the end, to size it once.
    init(_ users: [TenantUser], expectedCount: Int = 0) {
        self.init(taking: users, expectedCount: expectedCount)
    }

    /// Takes over `users` without copying them (when the caller gave up its reference) and indexes them; the
    /// first version of each user replaced later is kept in `originals`.
    init(taking users: consuming [TenantUser], expectedCount: Int) {
        let count = users.count
        // Room for a few new users: growing the array later would copy it at the plan's busiest moment.
        let capacity = max(count + count / 64 + 16, expectedCount)
        self.users = consume users
        self.users.reserveCapacity(capacity)
        positionByAnchor = TextTable(minimumCapacity: capacity)
        initialCount = count
        tracksUPNs = self.users.contains { !$0.onPremisesSyncEnabled }
        if tracksUPNs { livePositionByUPN.reserveCapacity(capacity) }
        for position in 0..<count { addKeys(self.users[position], at: position) }
    }

    var all: [TenantUser] { users }

    subscript(position: Int) -> TenantUser { users[position] }

    /// The id of the user at `position`, without a copy of the whole user.
    func id(at position: Int) -> String { users[position].id }

    func position(anchor: String) -> Int? {
        positionByAnchor[anchor] ?? nil
    }

    func byAnchor(_ anchor: String) -> TenantUser? {
        position(anchor: anchor).map { users[$0] }
    }

    func live(upn: String) -> TenantUser? {
        livePosition(foldedUPN: Self.fold(upn)).map { users[$0] }
    }

    /// The live user holding a UPN already case-folded with `fold` (the last one, when several do).
    func livePosition(foldedUPN: String) -> Int? {
        if tracksUPNs { return livePositionByUPN[foldedUPN] }
        return users.indices.last { !users[$0].isDeleted && Self.fold(users[$0].userPrincipalName) == foldedUPN }
    }

    /// Whether the user at `position` is live and already has every value the directory entry gives it (the
    /// fields `DirectoryPlanner.apply` sets): matching the entry would change nothing. Compared in place.
    func isLive(at position: Int, as source: DirectoryUser) -> Bool {
        users[position].deletedDateTime == nil
            && users[position].onPremisesImmutableId == source.anchor
            && users[position].onPremisesDistinguishedName == source.dn
            && users[position].userPrincipalName == source.userPrincipalName
            && users[position].displayName == source.displayName
            && users[position].mail == source.mail
            && users[position].accountEnabled == source.accountEnabled
            && (source.usageLocation == nil || users[position].usageLocation == source.usageLocation)
    }

    /// A live cloud-only user with this UPN, or else with this mail (case-insensitive).
    func cloudOnlyPosition(upn: String, mail: String?) -> Int? {
        guard tracksUPNs else { return nil }
        if let position = livePositionByUPN[Self.fold(upn)], !users[position].onPremisesSyncEnabled { return position }
        guard let mail, !cloudPositionByMail.isEmpty, let position = cloudPositionByMail[Self.fold(mail)] else { return nil }
        let user = users[position]
        return !user.onPremisesSyncEnabled && !user.isDeleted ? position : nil
    }

    @discardableResult
    mutating func insert(_ user: TenantUser) -> Int {
        let position = users.count
        users.append(user)
        addKeys(user, at: position)
        return position
    }

    mutating func replace(at position: Int, with user: TenantUser) {
        if position < initialCount && originals[position] == nil { originals[position] = users[position] }
        removeKeys(users[position], at: position)
        users[position] = user
        addKeys(user, at: position)
    }

    /// Lower case for UPN and mail comparison; an ASCII string without capitals comes back as it is.
    static func fold(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5a) } ? text : text.lowercased()
    }

    /// Builds the UPN table the first time a cloud-only user comes in.
    private mutating func trackUPNs() {
        tracksUPNs = true
        for (position, user) in users.enumerated() where !user.isDeleted {
            livePositionByUPN[Self.fold(user.userPrincipalName)] = position
        }
    }

    private mutating func addKeys(_ user: TenantUser, at position: Int) {
        if let anchor = user.onPremisesImmutableId { positionByAnchor.set(position, for: anchor) }
        if !tracksUPNs && !user.onPremisesSyncEnabled { trackUPNs() }
        if tracksUPNs && !user.isDeleted { livePositionByUPN[Self.fold(user.userPrincipalName)] = position }
        if !user.onPremisesSyncEnabled, let mail = user.mail { cloudPositionByMail[Self.fold(mail)] = position }
    }

    private mutating func removeKeys(_ user: TenantUser, at position: Int) {
        if let anchor = user.onPremisesImmutableId, self.position(anchor: anchor) == position {
            positionByAnchor.set(nil, for: anchor)
        }
        if tracksUPNs {
            let upn = Self.fold(user.userPrincipalName)
            if livePositionByUPN[upn] == position { livePositionByUPN[upn] = nil }
        }
        if let mail = user.mail.map(Self.fold), cloudPositionByMail[mail] == position { cloudPositionByMail[mail] = nil }
    }
}
