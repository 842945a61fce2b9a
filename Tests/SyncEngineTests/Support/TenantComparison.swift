import TenantModel

/// A store's content in terms that do not depend on the store's own object ids, so two stores filled from the same
/// directory by different routes (full reads, deltas) can be compared.
struct TenantFingerprint: Equatable, CustomStringConvertible {
    var users: [String: String]
    var groups: [String: String]
    var paths: Set<String>

    init(_ state: TenantState) {
        let anchorById = Dictionary(
            state.users.compactMap { user in user.onPremisesImmutableId.map { (user.id, $0) } } + state.groups.map { ($0.id, $0.onPremisesImmutableId) },
            uniquingKeysWith: { first, _ in first })
        users = Dictionary(
            state.users.compactMap { user in
                user.onPremisesImmutableId.map { anchor in
                    (anchor, "\(user.userPrincipalName)|\(user.displayName ?? "")|\(user.mail ?? "")|\(user.usageLocation ?? "")|"
                        + "\(user.accountEnabled)|\(user.onPremisesDistinguishedName ?? "")|deleted=\(user.isDeleted)")
                }
            }, uniquingKeysWith: { first, _ in first })
        groups = Dictionary(
            state.groups.map { group in
                let members = (group.memberUserIds + group.memberGroupIds).compactMap { anchorById[$0] }.sorted()
                return (group.onPremisesImmutableId, "\(group.displayName)|\(group.onPremisesDistinguishedName)|\(members)|out=\(group.outOfScopeMemberCount)")
            }, uniquingKeysWith: { first, _ in first })
        paths = Set(
            state.groupPaths.map { path in
                "\(anchorById[path.userId] ?? path.userId)|\(path.skuPartNumber)|\(path.assignedByGroup.flatMap { anchorById[$0] } ?? "-")|\(path.state.rawValue)|\(path.error.rawValue)"
            })
    }

    var description: String { "users: \(users.count), groups: \(groups.count), paths: \(paths.count)" }

    /// The first differences, for a readable failure.
    func differences(from other: TenantFingerprint) -> [String] {
        var lines: [String] = []
        for (anchor, value) in users where other.users[anchor] != value { lines.append("user \(anchor): \(value) vs \(other.users[anchor] ?? "absent")") }
        for anchor in other.users.keys where users[anchor] == nil { lines.append("user \(anchor) only in the other") }
        for (anchor, value) in groups where other.groups[anchor] != value { lines.append("group \(anchor): \(value) vs \(other.groups[anchor] ?? "absent")") }
        for anchor in other.groups.keys where groups[anchor] == nil { lines.append("group \(anchor) only in the other") }
        lines += paths.subtracting(other.paths).map { "path only here: \($0)" }
        lines += other.paths.subtracting(paths).map { "path only in the other: \($0)" }
        return Array(lines.prefix(10))
    }
}
