import DirectoryMapping
import TenantModel

/// Lets mapped users share the texts of the stored users they equal, once the stored users are at hand (they load
/// while the directory is read): an unchanged user's texts are then held once, not once per copy. Values never
/// change, only which storage holds them. Used by one reader at a time; not thread-safe.
final class StoredTexts {
    /// How many users are mapped between two looks at whether the stored users have loaded.
    static let lookEvery = 1_000

    private let source: @Sendable () -> [TenantUser]?
    private var users: [TenantUser] = []
    private var positionByAnchor: [String: Int]?
    private var untilNextLook = 0

    /// - Parameter source: the stored users if they are loaded, `nil` while they are not (it must not wait).
    init(source: @escaping @Sendable () -> [TenantUser]?) {
        self.source = source
    }

    /// Replaces the user's texts by the equal texts of the stored user with its anchor, if there is one.
    func share(_ user: inout DirectoryUser) {
        guard let positions = positionByAnchor ?? lookForStoredUsers(), let position = positions[user.anchor] else { return }
        let stored = users[position]
        user.anchor = stored.onPremisesImmutableId ?? user.anchor
        if let dn = stored.onPremisesDistinguishedName, dn == user.dn {
            if user.normalizedDN == user.dn { user.normalizedDN = dn }
            user.dn = dn
        }
        if stored.userPrincipalName == user.userPrincipalName { user.userPrincipalName = stored.userPrincipalName }
        if let mail = stored.mail, mail == user.mail { user.mail = mail }
        if let name = stored.displayName, name == user.displayName { user.displayName = name }
    }

    private func lookForStoredUsers() -> [String: Int]? {
        guard untilNextLook == 0 else {
            untilNextLook -= 1
            return nil
        }
        untilNextLook = Self.lookEvery
        guard let loaded = source() else { return nil }
        users = loaded
        var positions: [String: Int] = [:]
        positions.reserveCapacity(users.count)
        for (position, user) in users.enumerated() where !user.isDeleted {
            if let anchor = user.onPremisesImmutableId { positions[anchor] = position }
        }
        positionByAnchor = positions
        return positions
    }
}
