/// The test domain every Samba server of the tests serves, and the files that set it up.
///
/// Realm `CORP.EXAMPLE.TEST` (NetBIOS `CORP`), domain controller `DC1` on `127.0.0.2` only, LDAP the only
/// service, simple binds over plain `ldap://` allowed.
public enum SambaConfiguration {
    /// The loopback address the server binds to (Samba's ports are fixed, so it gets an address of its own).
    public static let address = "127.0.0.2"
    /// `CORP.EXAMPLE.TEST`.
    public static let realm = "CORP.EXAMPLE.TEST"
    /// `DC=corp,DC=example,DC=test`.
    public static let baseDN = "DC=corp,DC=example,DC=test"
    /// `CN=Users,DC=corp,DC=example,DC=test`, the default container for users.
    public static let usersContainerDN = "CN=Users,\(baseDN)"
    /// The administrator's DN.
    public static let adminDN = "CN=Administrator,\(usersContainerDN)"
    /// The administrator's bind name in UPN form, which Active Directory accepts as well.
    public static let adminBindName = "Administrator@corp.example.test"
    /// The administrator's password (meets the default complexity rules).
    public static let adminPassword = "Passw0rd!Test1"

    /// `samba-tool` arguments that provision the domain into `targetDirectory`.
    static func provisionArguments(targetDirectory: String) -> [String] {
        [
            "domain", "provision", "--targetdir=\(targetDirectory)", "--realm=\(realm)", "--domain=CORP",
            "--server-role=dc", "--dns-backend=NONE", "--host-name=DC1", "--host-ip=\(address)",
            "--adminpass=\(adminPassword)", "--use-rfc2307", "--option=interfaces=\(address)/8",
            "--option=bind interfaces only=yes",
        ]
    }

    /// The `smb.conf` for a copy of the provisioned domain in `directory`.
    ///
    /// Written fresh rather than edited, because the provisioned one holds absolute paths of the template.
    /// TLS is off: Samba would otherwise create a key and certificate on the first start of every copy.
    static func smbConf(directory: String) -> String {
        """
        [global]
        \tnetbios name = DC1
        \trealm = \(realm)
        \tworkgroup = CORP
        \tserver role = active directory domain controller
        \tserver services = ldap
        \tinterfaces = \(address)/8
        \tbind interfaces only = yes
        \tldap server require strong auth = no
        \ttls enabled = no
        \tidmap_ldb:use rfc2307 = yes
        \tprivate dir = \(directory)/private
        \tbinddns dir = \(directory)/bind-dns
        \tlock directory = \(directory)
        \tstate directory = \(directory)/state
        \tcache directory = \(directory)/cache
        \tpid directory = \(directory)/run
        \tncalrpc dir = \(directory)/run/ncalrpc
        \twinbindd socket directory = \(directory)/run/winbindd
        \tlogging = file
        \tlog file = \(directory)/log/log.%m

        """
    }
}
