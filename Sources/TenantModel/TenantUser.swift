import Foundation

/// A user of the tenant: synced from the directory (it has an `onPremisesImmutableId`) or cloud-only.
///
/// Field names follow Microsoft Graph's `user` resource so the JSON output reads the same.
public struct TenantUser: Sendable, Hashable, Codable {
    /// The tenant's object id (a UUID string), stable for the life of the object.
    public var id: String
    public var userPrincipalName: String
    public var displayName: String?
    public var mail: String?
    /// ISO 3166 alpha-2 country code; licences need one.
    public var usageLocation: String?
    public var accountEnabled: Bool
    /// The source anchor (Entra's `onPremisesImmutableId`); `nil` for a cloud-only user.
    public var onPremisesImmutableId: String?
    public var onPremisesDistinguishedName: String?
    /// When the user left the directory's scope; `nil` while it is live.
    public var deletedDateTime: Date?
    /// The run in which the user entered the tenant; earlier entrants are served first when seats run short.
    public var enteredRun: Int64

    public init(
        id: String, userPrincipalName: String, displayName: String? = nil, mail: String? = nil,
        usageLocation: String? = nil, accountEnabled: Bool = true, onPremisesImmutableId: String? = nil,
        onPremisesDistinguishedName: String? = nil, deletedDateTime: Date? = nil, enteredRun: Int64 = 0
    ) {
        self.id = id
        self.userPrincipalName = userPrincipalName
        self.displayName = displayName
        self.mail = mail
        self.usageLocation = usageLocation
        self.accountEnabled = accountEnabled
        self.onPremisesImmutableId = onPremisesImmutableId
        self.onPremisesDistinguishedName = onPremisesDistinguishedName
        self.deletedDateTime = deletedDateTime
        self.enteredRun = enteredRun
    }

    /// Synced users are owned by the directory; cloud-only users are never touched by a sync.
    public var onPremisesSyncEnabled: Bool { onPremisesImmutableId != nil }

    public var isDeleted: Bool { deletedDateTime != nil }
}
