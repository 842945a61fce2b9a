import TestSupport

/// The scopes the Active Directory tests read: users in `CN=Users` and `OU=Staff`, groups in `OU=Groups`.
enum ActiveDirectoryScopes {
    static let users = SambaConfiguration.usersContainerDN
    static let staff = ActiveDirectoryLDIF.ouDN("Staff")
    static let groups = ActiveDirectoryLDIF.ouDN("Groups")
    static let userFilter = "(&(objectCategory=person)(objectClass=user)(userPrincipalName=*))"
    /// The `directory` lines of the configuration.
    static let config = """
        users:
          - { base: "\(users)", filter: "\(userFilter)" }
          - { base: "\(staff)", filter: "\(userFilter)" }
        groups: [ { base: "\(groups)", filter: "(objectClass=group)" } ]
        """
}
