/// A group of the tenant, synced from the directory, with its direct members.
///
/// Members are tenant object ids. Nested groups are kept as members of their own kind; expanding them
/// (or not) is the licensing evaluation's choice.
public struct TenantGroup: Sendable, Hashable, Codable {
    public var id: String
    public var displayName: String
    public var onPremisesImmutableId: String
    public var onPremisesDistinguishedName: String
    public var memberUserIds: [String]
    public var memberGroupIds: [String]
    /// Member values that named no in-scope object: counted, never guessed.
    public var outOfScopeMemberCount: Int

    public init(
        id: String, displayName: String, onPremisesImmutableId: String, onPremisesDistinguishedName: String,
        memberUserIds: [String] = [], memberGroupIds: [String] = [], outOfScopeMemberCount: Int = 0
    ) {
        self.id = id
        self.displayName = displayName
        self.onPremisesImmutableId = onPremisesImmutableId
        self.onPremisesDistinguishedName = onPremisesDistinguishedName
        self.memberUserIds = memberUserIds
        self.memberGroupIds = memberGroupIds
        self.outOfScopeMemberCount = outOfScopeMemberCount
    }
}
