/// Which directory attributes feed which tenant fields, for one schema preset plus the config's overrides.
public struct AttributeMap: Sendable, Hashable {
    public var preset: SchemaPreset
    /// Anchor attributes in order of preference; the first one present wins.
    public var anchor: [String]
    public var anchorEncoding: AnchorEncoding
    public var userPrincipalName: String
    public var mail: String
    /// Display name attributes in order of preference.
    public var displayName: [String]
    public var usageLocation: String
    public var accountEnabled: String
    public var accountFlagStyle: AccountFlagStyle
    /// The DN-valued member attributes of groups (`member`, `uniqueMember`).
    public var member: [String]
    /// The uid-valued member attribute of posix groups, matched against `uidAttribute` of users.
    public var memberUid: String?
    public var uidAttribute: String?
    public var groupAnchor: String
    public var groupName: String
    /// How many member values to ask for at a time (`member;range=0-1499`), or `nil` to ask for the plain
    /// attribute. Active Directory caps a plain read at its MaxValRange anyway (1,500 by default); asking for
    /// the window explicitly makes every server, Samba included, hand out large groups in parts the same way.
    public var memberValueWindow: Int? = nil

    /// The attribute keys the config's `directory.attributes` may override.
    public static let overridableKeys: [String] = [
        "anchor", "userPrincipalName", "mail", "displayName", "usageLocation", "accountEnabled", "member",
    ]

    private static func base(_ preset: SchemaPreset) -> AttributeMap {
        switch preset {
        case .openldap:
            AttributeMap(
                preset: preset, anchor: ["entryUUID"], anchorEncoding: .text, userPrincipalName: "mail", mail: "mail",
                displayName: ["displayName", "cn"], usageLocation: "c", accountEnabled: "pwdAccountLockedTime",
                accountFlagStyle: .lockedWhenPresent, member: ["member", "uniqueMember"], memberUid: "memberUid",
                uidAttribute: "uid", groupAnchor: "entryUUID", groupName: "cn"
            )
        case .activedirectory:
            AttributeMap(
                preset: preset, anchor: ["mS-DS-ConsistencyGuid", "objectGUID"], anchorEncoding: .base64,
                userPrincipalName: "userPrincipalName", mail: "mail", displayName: ["displayName", "cn"],
                usageLocation: "c", accountEnabled: "userAccountControl", accountFlagStyle: .userAccountControl,
                member: ["member"], memberUid: nil, uidAttribute: nil, groupAnchor: "objectGUID", groupName: "cn",
                memberValueWindow: 1500
            )
        case .freeipa:
            AttributeMap(
                preset: preset, anchor: ["ipaUniqueID"], anchorEncoding: .text, userPrincipalName: "mail", mail: "mail",
                displayName: ["displayName", "cn"], usageLocation: "c", accountEnabled: "nsAccountLock",
                accountFlagStyle: .lockFlag, member: ["member"], memberUid: "memberUid", uidAttribute: "uid",
                groupAnchor: "ipaUniqueID", groupName: "cn"
            )
        }
    }

    /// The attributes to request for user entries (operational ones such as `entryUUID` must be named).
    public var userAttributes: [String] {
        var names = anchor + [userPrincipalName, mail] + displayName + [usageLocation, accountEnabled]
        if let uidAttribute { names.append(uidAttribute) }
        return Self.unique(names)
    }

    /// The attributes to request for group entries; member attributes with a range option when `memberValueWindow`
    /// is set.
    public var groupAttributes: [String] {
        let members = member.map { name in memberValueWindow.map { "\(name);range=0-\($0 - 1)" } ?? name }
        var names = [groupAnchor, groupName] + members
        if let memberUid { names.append(memberUid) }
        return Self.unique(names)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0.lowercased()).inserted }
    }
}

extension AttributeMap {
    /// The preset's map, with the config's overrides applied (keys as in `overridableKeys`).
    public init(preset: SchemaPreset, overrides: [String: String] = [:]) {
        self = Self.base(preset)
        for (key, attribute) in overrides {
            switch key {
            case "anchor": anchor = [attribute]
            case "userPrincipalName": userPrincipalName = attribute
            case "mail": mail = attribute
            case "displayName": displayName = [attribute]
            case "usageLocation": usageLocation = attribute
            case "accountEnabled": accountEnabled = attribute
            case "member": member = [attribute]
            default: continue
            }
        }
    }
}
