/// The directory flavours tenantsync knows: each decides which attributes hold the anchor, names and flags.
public enum SchemaPreset: String, Sendable, Hashable, CaseIterable {
    case openldap
    case activedirectory
    case freeipa
}

/// How an account's enabled flag is written in the directory.
public enum AccountFlagStyle: Sendable, Hashable {
    /// Active Directory `userAccountControl`: the account is disabled when bit 0x2 is set.
    case userAccountControl
    /// FreeIPA / 389-DS `nsAccountLock`: `TRUE` means disabled.
    case lockFlag
    /// OpenLDAP ppolicy `pwdAccountLockedTime`: present means locked.
    case lockedWhenPresent
}

/// How an anchor value is turned into the tenant's `onPremisesImmutableId`.
public enum AnchorEncoding: Sendable, Hashable {
    /// A text value used as it is (`entryUUID`, `ipaUniqueID`).
    case text
    /// Raw bytes written as Base64 (`objectGUID`, `mS-DS-ConsistencyGuid`), as Entra does.
    case base64
}
