import TestSupport

/// Changes the delta and full-read suites apply to their test directory (users `user01`…`user20`, groups Mobile and
/// Field).
enum SampleChanges {
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
