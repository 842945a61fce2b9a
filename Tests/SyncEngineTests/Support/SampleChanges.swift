import TestSupport

/// The directory the delta and full-read suites start from: users `user01`…`user20` (country DE), Field holding
/// user13…user16, Mobile holding user01…user10 and Field, and an empty `ou=elsewhere` to move users out of scope.
enum SampleDirectory {
    /// Two rules on INTUNE_A with 8 seats: 14 users claim it, 6 wait.
    static let rules = """
        subscriptions: { INTUNE_A: 8 }
        licenses: [ { group: Mobile, sku: INTUNE_A }, { group: Field, sku: INTUNE_A } ]
        """

    /// The directory as LDIF; `mobileAlsoNames` are further member values of Mobile (entries that may not exist).
    static func ldif(mobileAlsoNames extra: [String] = []) -> String {
        var entries = LDIFBuilder.baseEntries()
        entries.append(LDIFEntry(
            dn: "ou=elsewhere,dc=example,dc=org", attributes: [.init("objectClass", "organizationalUnit"), .init("ou", "elsewhere")]))
        let uids = LDIFBuilder.numberedUIDs(count: 20)
        entries += uids.map { LDIFBuilder.user(uid: $0, country: "DE") }
        entries.append(LDIFBuilder.group(cn: "Field", memberDNs: uids[12..<16].map(LDIFBuilder.userDN)))
        entries.append(LDIFBuilder.group(
            cn: "Mobile", memberDNs: uids[0..<10].map(LDIFBuilder.userDN) + [LDIFBuilder.groupDN("Field")] + extra))
        return LDIFBuilder.render(entries)
    }
}

/// Changes the delta and full-read suites apply to the `SampleDirectory`.
enum SampleChanges {
    /// user08 takes user09's UPN as its mail, and an entry without mail (so without a UPN) is added: both are
    /// quarantined.
    static let duplicateUPNAndMissingMail = """
        dn: \(LDIFBuilder.userDN("user08"))
        changetype: modify
        replace: mail
        mail: user09@example.org

        dn: uid=nomail,ou=people,dc=example,dc=org
        changetype: add
        objectClass: inetOrgPerson
        uid: nomail
        cn: No Mail
        sn: Mail
        """

    /// user05 renamed to user05b, user07 deleted, user18 added to Mobile and user01 taken out of it.
    static let renameDeleteAndRegroup = """
        dn: \(LDIFBuilder.userDN("user05"))
        changetype: modrdn
        newrdn: uid=user05b
        deleteoldrdn: 1

        dn: \(LDIFBuilder.userDN("user07"))
        changetype: delete

        dn: \(LDIFBuilder.groupDN("Mobile"))
        changetype: modify
        add: member
        member: \(LDIFBuilder.userDN("user18"))
        -
        delete: member
        member: \(LDIFBuilder.userDN("user01"))
        """
}
