/// `directory`: the LDAP server, the bind, the schema preset and the scopes to read.
public struct DirectoryConfig: Sendable, Equatable {
    /// `url`: `ldap://host[:port]`, `ldaps://host[:port]` or `ldapi://[socket]`. Required.
    public var url: LDAPServerURL
    /// `startTLS`: upgrade an `ldap://` connection with StartTLS. Default false; an error with `ldaps://`.
    public var startTLS: Bool
    /// `tls`: certificate checks for `ldaps://` and StartTLS.
    public var tls: TLSConfig
    /// `bind`: the simple bind; nil binds anonymously.
    public var bind: BindConfig?
    /// `schema`: the preset that names anchors, UPN, membership and account-state attributes. Required.
    public var schema: DirectorySchema
    /// `users`: where users are read. At least one scope is required.
    public var users: [SearchScopeConfig]
    /// `groups`: where groups are read. May be empty.
    public var groups: [SearchScopeConfig]
    /// `attributes`: overrides of the preset's attribute names.
    public var attributes: AttributeOverrides
    /// `pageSize`: entries per page of a paged read. Default 1000.
    public var pageSize: Int
    /// `timeout`: network and operation timeout. Default 30 seconds.
    public var timeout: Duration

    /// The default `pageSize`.
    public static let defaultPageSize = 1000
    /// The default `timeout`.
    public static let defaultTimeout = Duration.seconds(30)

    /// Creates the section; optional keys have their documented defaults.
    public init(
        url: LDAPServerURL,
        startTLS: Bool = false,
        tls: TLSConfig = TLSConfig(),
        bind: BindConfig? = nil,
        schema: DirectorySchema,
        users: [SearchScopeConfig],
        groups: [SearchScopeConfig] = [],
        attributes: AttributeOverrides = AttributeOverrides(),
        pageSize: Int = defaultPageSize,
        timeout: Duration = defaultTimeout
    ) {
        self.url = url
        self.startTLS = startTLS
        self.tls = tls
        self.bind = bind
        self.schema = schema
        self.users = users
        self.groups = groups
        self.attributes = attributes
        self.pageSize = pageSize
        self.timeout = timeout
    }
}

/// `directory.tls`.
public struct TLSConfig: Sendable, Equatable {
    /// `caFile`: PEM file of the CA(s) to trust; nil uses the system trust store.
    public var caFile: String?
    /// `verify`: check the server certificate and name. Default true.
    public var verify: Bool

    /// Creates the section with the defaults.
    public init(caFile: String? = nil, verify: Bool = true) {
        self.caFile = caFile
        self.verify = verify
    }
}

/// `directory.bind`: a simple bind with a DN and a password that lives outside the configuration.
public struct BindConfig: Sendable, Equatable {
    /// `dn`: the bind DN.
    public var dn: String
    /// `passwordFile` or `credential`: where the password is read from.
    public var password: BindPasswordSource

    /// Creates the section.
    public init(dn: String, password: BindPasswordSource) {
        self.dn = dn
        self.password = password
    }
}

/// `directory.schema`: the directory flavour whose attribute preset is used.
public enum DirectorySchema: String, Sendable, Equatable, CaseIterable {
    /// OpenLDAP: anchor `entryUUID`.
    case openldap
    /// Active Directory (also Samba AD): anchor `mS-DS-ConsistencyGuid`, else `objectGUID`.
    case activedirectory
    /// FreeIPA / 389-DS: anchor `ipaUniqueID`.
    case freeipa
}

/// One entry of `directory.users` or `directory.groups`: a subtree search.
public struct SearchScopeConfig: Sendable, Equatable {
    /// `base`: the search base DN. Required.
    public var base: String
    /// `filter`: an LDAP filter in parentheses. Required: the preset does not guess which objects are
    /// users or groups.
    public var filter: String

    /// Creates a scope.
    public init(base: String, filter: String) {
        self.base = base
        self.filter = filter
    }
}

/// `directory.attributes`: attribute names that replace the schema preset's; nil keeps the preset's.
public struct AttributeOverrides: Sendable, Equatable {
    /// `anchor`: the immutable source anchor.
    public var anchor: String?
    /// `userPrincipalName`.
    public var userPrincipalName: String?
    /// `mail`.
    public var mail: String?
    /// `displayName`.
    public var displayName: String?
    /// `usageLocation`: a two-letter country code attribute (e.g. `c`).
    public var usageLocation: String?
    /// `accountEnabled`: the attribute the account state is derived from.
    public var accountEnabled: String?
    /// `member`: the group membership attribute.
    public var member: String?

    /// The allowed keys, in documentation order.
    public static let keys = [
        "anchor", "userPrincipalName", "mail", "displayName", "usageLocation", "accountEnabled", "member",
    ]

    /// Creates overrides; all nil keeps the preset.
    public init(
        anchor: String? = nil, userPrincipalName: String? = nil, mail: String? = nil,
        displayName: String? = nil, usageLocation: String? = nil, accountEnabled: String? = nil,
        member: String? = nil
    ) {
        self.anchor = anchor
        self.userPrincipalName = userPrincipalName
        self.mail = mail
        self.displayName = displayName
        self.usageLocation = usageLocation
        self.accountEnabled = accountEnabled
        self.member = member
    }
}
