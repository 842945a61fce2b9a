import TenantModel

/// `tenantsync users`: tenant users with their licenses and assignment paths.
///
/// Lists live users only (soft-deleted ones with `includeDeleted`), sorted by UPN.
public enum UsersView {
    /// The `users --json` array in Graph's shape; with `principalName`, only that user (matched case-insensitively),
    /// an empty array when there is none.
    public static func json(_ view: TenantView, principalName: String? = nil, includeDeleted: Bool = false) -> String {
        ViewJSON.array(
            view.users(principalName: principalName, includeDeleted: includeDeleted).map { userObject($0, view: view) }
        ).rendered()
    }

    /// A table with one line per user (UPN, display name, usage location, enabled, licenses with their paths),
    /// then a count line such as `users: 42, licensed: 30, in error: 3`.
    public static func text(
        _ view: TenantView, principalName: String? = nil, includeDeleted: Bool = false, colour: Bool
    ) -> String {
        let style = ViewStyle(colour: colour)
        let users = view.users(principalName: principalName, includeDeleted: includeDeleted)
        var table = ViewTable(header: ["USER", "DISPLAY NAME", "LOCATION", "ENABLED", "LICENSES"])
        var licensed = 0
        var inError = 0
        for user in users {
            let paths = view.paths(ofUser: user.id)
            if !view.heldLicenses(ofUser: user.id).isEmpty { licensed += 1 }
            if paths.contains(where: { $0.error != .none }) { inError += 1 }
            table.append([
                user.userPrincipalName,
                user.displayName ?? "-",
                user.usageLocation ?? "-",
                enabledLabel(user, style: style),
                paths.isEmpty ? "-" : paths.map { pathLabel($0, view: view, style: style) }.joined(separator: ", "),
            ])
        }
        let counts = "users: \(users.count), licensed: \(licensed), in error: \(inError)"
        return (table.lines(style: style) + [inError > 0 ? style.red(counts) : counts]).joined(separator: "\n")
    }

    private static func userObject(_ user: TenantUser, view: TenantView) -> ViewJSON {
        let lookup = view.lookup
        let held = view.heldLicenses(ofUser: user.id).map { license in
            ViewJSON.object([
                "skuId": .string(lookup.skuId(forPartNumber: license.skuPartNumber)),
                "skuPartNumber": .string(license.skuPartNumber),
                "disabledPlans": .strings(license.disabledPlans.map(lookup.graphPlanId)),
            ])
        }
        let states = view.paths(ofUser: user.id).map { path in
            ViewJSON.object([
                "skuId": .string(lookup.skuId(forPartNumber: path.skuPartNumber)),
                "skuPartNumber": .string(path.skuPartNumber),
                "assignedByGroup": .string(path.assignedByGroup),
                "assignedByGroupName": .string(view.groupName(path.assignedByGroup)),
                "state": .string(path.state.rawValue),
                "error": .string(path.error.rawValue),
                "disabledPlans": .strings(path.disabledPlans.map(lookup.graphPlanId)),
                "lastUpdatedDateTime": .date(path.lastUpdatedDateTime),
            ])
        }
        return .object([
            "id": .string(user.id),
            "userPrincipalName": .string(user.userPrincipalName),
            "displayName": .string(user.displayName),
            "mail": .string(user.mail),
            "usageLocation": .string(user.usageLocation),
            "accountEnabled": .bool(user.accountEnabled),
            "onPremisesImmutableId": .string(user.onPremisesImmutableId),
            "onPremisesSyncEnabled": .bool(user.onPremisesSyncEnabled),
            "onPremisesDistinguishedName": .string(user.onPremisesDistinguishedName),
            "deletedDateTime": .date(user.deletedDateTime),
            "assignedLicenses": .array(held),
            "licenseAssignmentStates": .array(states),
        ])
    }

    private static func enabledLabel(_ user: TenantUser, style: ViewStyle) -> String {
        if user.isDeleted { return style.dim("deleted") }
        return user.accountEnabled ? "yes" : style.yellow("no")
    }

    /// `SPE_E3 (direct)`, `INTUNE_A (group: Intune Users) ERROR CountViolation`.
    static func pathLabel(_ path: LicensePath, view: TenantView, style: ViewStyle) -> String {
        let origin = path.assignedByGroup.map { "group: " + (view.groupName($0) ?? $0) } ?? "direct"
        let label = "\(path.skuPartNumber) (\(origin))"
        let error = path.error == .none ? "" : " " + path.error.rawValue
        switch path.state {
        case .active: return error.isEmpty ? label : label + style.red(error)
        case .error: return label + " " + style.red("ERROR" + error)
        case .activeWithError: return label + " " + style.yellow("ActiveWithError" + error)
        case .disabled: return label + " " + style.dim("Disabled" + error)
        }
    }
}
