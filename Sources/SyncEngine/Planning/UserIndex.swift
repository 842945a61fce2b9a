import TenantModel

/// The tenant's users indexed for matching: by anchor, by live UPN, and cloud-only users by mail. Lookups give
/// positions in `all`, so a user is stored once and changed in place.
struct UserIndex: Sendable {
    private var users: [TenantUser] = []
    private var positionByAnchor: [String: Int] = [:]
    private var livePositionByUPN: [String: Int] = [:]
    private var cloudPositionByMail: [String: Int] = [:]

    /// - Parameter expectedCount: how many users the index will hold in the end, to size it once.
    init(_ users: [TenantUser], expectedCount: Int = 0) {
        let capacity = max(users.count, expectedCount)
        self.users.reserveCapacity(capacity)
        positionByAnchor.reserveCapacity(capacity)
        livePositionByUPN.reserveCapacity(capacity)
        for user in users { insert(user) }
    }

    var all: [TenantUser] { users }

    subscript(position: Int) -> TenantUser { users[position] }

    func position(anchor: String) -> Int? {
        positionByAnchor[anchor]
    }

    func byAnchor(_ anchor: String) -> TenantUser? {
        positionByAnchor[anchor].map { users[$0] }
    }

    func live(upn: String) -> TenantUser? {
        livePosition(foldedUPN: Self.fold(upn)).map { users[$0] }
    }

    /// The live user holding a UPN already case-folded with `fold`.
    func livePosition(foldedUPN: String) -> Int? {
        livePositionByUPN[foldedUPN]
    }

    /// A live cloud-only user with this UPN, or else with this mail (case-insensitive).
    func cloudOnlyPosition(upn: String, mail: String?) -> Int? {
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
        removeKeys(users[position], at: position)
        users[position] = user
        addKeys(user, at: position)
    }

    /// Lower case for UPN and mail comparison; an ASCII string without capitals comes back as it is.
    static func fold(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5a) } ? text : text.lowercased()
    }

    private mutating func addKeys(_ user: TenantUser, at position: Int) {
        if let anchor = user.onPremisesImmutableId { positionByAnchor[anchor] = position }
        if !user.isDeleted { livePositionByUPN[Self.fold(user.userPrincipalName)] = position }
        if !user.onPremisesSyncEnabled, let mail = user.mail { cloudPositionByMail[Self.fold(mail)] = position }
    }

    private mutating func removeKeys(_ user: TenantUser, at position: Int) {
        if let anchor = user.onPremisesImmutableId, positionByAnchor[anchor] == position { positionByAnchor[anchor] = nil }
        let upn = Self.fold(user.userPrincipalName)
        if livePositionByUPN[upn] == position { livePositionByUPN[upn] = nil }
        if let mail = user.mail.map(Self.fold), cloudPositionByMail[mail] == position { cloudPositionByMail[mail] = nil }
    }
}
