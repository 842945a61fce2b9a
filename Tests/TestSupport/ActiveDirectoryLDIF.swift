/// Builds Active Directory entries for `SambaServer`: organizational units, users (`objectClass: user`) and
/// global security groups, under `DC=corp,DC=example,DC=test`.
public enum ActiveDirectoryLDIF {
    /// `userAccountControl` of an enabled normal account that needs no password (the offline load sets none).
    public static let enabledAccount = 544
    /// `userAccountControl` of a disabled normal account.
    public static let disabledAccount = 514
    /// `groupType` of a global security group.
    public static let globalSecurityGroup = -2_147_483_646
    /// The UPN suffix of the realm.
    public static let upnSuffix = "corp.example.test"

    /// The DN of `OU=name` directly under the domain.
    public static func ouDN(_ name: String) -> String { "OU=\(name),\(SambaConfiguration.baseDN)" }

    /// An organizational unit directly under the domain.
    public static func organizationalUnit(_ name: String) -> LDIFEntry {
        LDIFEntry(dn: ouDN(name), attributes: [.init("objectClass", "organizationalUnit"), .init("ou", .text(name))])
    }

    /// A user `CN=name` in `container` (a DN) with `sAMAccountName` and `userPrincipalName` `name@corp.example.test`
    /// unless given.
    public static func user(
        _ name: String, in container: String = SambaConfiguration.usersContainerDN, upn: String? = nil,
        userAccountControl: Int = enabledAccount, extra: [LDIFEntry.Attribute] = []
    ) -> LDIFEntry {
        LDIFEntry(
            dn: "CN=\(name),\(container)",
            attributes: [
                .init("objectClass", "user"), .init("sAMAccountName", .text(name)),
                .init("userPrincipalName", .text(upn ?? "\(name)@\(upnSuffix)")),
                .init("userAccountControl", .text(String(userAccountControl))),
            ] + extra)
    }

    /// A global security group `CN=name` in `container` with the given member DNs.
    public static func group(_ name: String, in container: String, memberDNs: [String]) -> LDIFEntry {
        var attributes: [LDIFEntry.Attribute] = [
            .init("objectClass", "group"), .init("sAMAccountName", .text(name)),
            .init("groupType", .text(String(globalSecurityGroup))),
        ]
        attributes += memberDNs.map { .init("member", .text($0)) }
        return LDIFEntry(dn: "CN=\(name),\(container)", attributes: attributes)
    }
}
