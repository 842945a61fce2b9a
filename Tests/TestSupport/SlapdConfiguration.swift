/// The `cn=config` LDIF for a private slapd: mdb database `dc=example,dc=org` with syncprov and memberof.
struct SlapdConfiguration {
    var directory: String
    var suffix: String
    var adminDN: String
    var adminPassword: String
    /// (CA certificate, server certificate, server key) when TLS is on.
    var tls: (caFile: String, certificateFile: String, keyFile: String)?

    var ldif: String {
        var global = """
            dn: cn=config
            objectClass: olcGlobal
            cn: config
            olcPidFile: \(directory)/slapd.pid

            """
        if let tls {
            global += """
                olcTLSCACertificateFile: \(tls.caFile)
                olcTLSCertificateFile: \(tls.certificateFile)
                olcTLSCertificateKeyFile: \(tls.keyFile)

                """
        }
        return global + """

            dn: cn=module{0},cn=config
            objectClass: olcModuleList
            cn: module{0}
            olcModulePath: /usr/lib/ldap
            olcModuleLoad: back_mdb
            olcModuleLoad: syncprov
            olcModuleLoad: memberof

            dn: cn=schema,cn=config
            objectClass: olcSchemaConfig
            cn: schema

            include: file:///etc/ldap/schema/core.ldif
            include: file:///etc/ldap/schema/cosine.ldif
            include: file:///etc/ldap/schema/inetorgperson.ldif
            include: file:///etc/ldap/schema/nis.ldif

            dn: olcDatabase={-1}frontend,cn=config
            objectClass: olcDatabaseConfig
            objectClass: olcFrontendConfig
            olcDatabase: {-1}frontend
            olcSizeLimit: unlimited

            dn: olcDatabase={0}config,cn=config
            objectClass: olcDatabaseConfig
            olcDatabase: {0}config
            olcRootDN: cn=admin,cn=config
            olcRootPW: \(adminPassword)

            dn: olcDatabase={1}mdb,cn=config
            objectClass: olcDatabaseConfig
            objectClass: olcMdbConfig
            olcDatabase: {1}mdb
            olcDbDirectory: \(directory)/db
            olcSuffix: \(suffix)
            olcRootDN: \(adminDN)
            olcRootPW: \(adminPassword)
            olcDbMaxSize: 1073741824
            olcDbNoSync: TRUE
            olcDbIndex: objectClass eq
            olcDbIndex: entryCSN eq
            olcDbIndex: entryUUID eq
            olcDbIndex: uid eq
            olcDbIndex: member eq
            olcSizeLimit: unlimited
            olcAccess: to * by * read

            dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config
            objectClass: olcOverlayConfig
            objectClass: olcSyncProvConfig
            olcOverlay: {0}syncprov
            olcSpCheckpoint: 100 10
            olcSpSessionlog: 100000

            dn: olcOverlay={1}memberof,olcDatabase={1}mdb,cn=config
            objectClass: olcOverlayConfig
            objectClass: olcMemberOf
            olcOverlay: {1}memberof
            olcMemberOfRefInt: TRUE
            olcMemberOfGroupOC: groupOfNames
            olcMemberOfMemberAD: member
            olcMemberOfMemberOfAD: memberOf

            """
    }
}
