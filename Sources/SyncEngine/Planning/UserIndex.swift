import TenantModel

/// The tenant's users indexed for matching: by anchor, by live UPN, and cloud-only users by mail.
struct UserIndex: Sendable {
    private var users: [TenantUser] = []
    private var positionById: [String: Int] = [:]
    private var idByAnchor: [String: String] = [:]
    private var liveIdByUPN: [String: String] = [:]
    private var cloudIdByMail: [String: String] = [:]

    init(_ users: [TenantUser]) {
        self.users.reserveCapacity(users.count)
        for user in users { insert(user) }
    }

    var all: [TenantUser] { users }

    func byAnchor(_ anchor: String) -> TenantUser? {
        idByAnchor[anchor].flatMap(user(id:))
    }

    func live(upn: String) -> TenantUser? {
        liveIdByUPN[upn.lowercased()].flatMap(user(id:))
    }

    /// A live cloud-only user with this UPN, or else with this mail (case-insensitive).
    func cloudOnly(upn: String, mail: String?) -> TenantUser? {
        if let user = live(upn: upn), !user.onPremisesSyncEnabled { return user }
        if let mail, let user = cloudIdByMail[mail.lowercased()].flatMap(user(id:)), !user.onPremisesSyncEnabled, !user.isDeleted {
            return user
        }
        return nil
    }

    func user(id: String) -> TenantUser? {
        positionById[id].map { users[$0] }
    }

    mutating func insert(_ user: TenantUser) {
        positionById[user.id] = users.count
        users.append(user)
        addKeys(user)
    }

    mutating func replace(_ user: TenantUser) {
        guard let position = positionById[user.id] else { return insert(user) }
        removeKeys(users[position])
        users[position] = user
        addKeys(user)
    }

    private mutating func addKeys(_ user: TenantUser) {
        if let anchor = user.onPremisesImmutableId { idByAnchor[anchor] = user.id }
        if !user.isDeleted { liveIdByUPN[user.userPrincipalName.lowercased()] = user.id }
        if !user.onPremisesSyncEnabled, let mail = user.mail { cloudIdByMail[mail.lowercased()] = user.id }
    }

    private mutating func removeKeys(_ user: TenantUser) {
        if let anchor = user.onPremisesImmutableId, idByAnchor[anchor] == user.id { idByAnchor[anchor] = nil }
        let upn = user.userPrincipalName.lowercased()
        if liveIdByUPN[upn] == user.id { liveIdByUPN[upn] = nil }
        if let mail = user.mail?.lowercased(), cloudIdByMail[mail] == user.id { cloudIdByMail[mail] = nil }
    }
}
