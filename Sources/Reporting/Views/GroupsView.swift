import TenantModel

/// A license a group carries: one rule that targets the group, with the plans it switches off (plan names).
public struct GroupLicense: Sendable, Hashable {
    public var skuPartNumber: String
    public var disabledPlans: [String]

    public init(skuPartNumber: String, disabledPlans: [String] = []) {
        self.skuPartNumber = skuPartNumber
        self.disabledPlans = disabledPlans
    }
}

/// `tenantsync groups`: tenant groups with member counts and the licenses they carry.
///
/// Groups are sorted by display name. `memberCount` counts direct members (users and groups);
/// `membersWithLicenseErrors` counts distinct live users with a failed path assigned by the group.
public enum GroupsView {
    /// The `groups --json` array; `licenses` maps a group id to the licenses its rules carry.
    public static func json(_ view: TenantView, licenses: [String: [GroupLicense]]) -> String {
        let lookup = view.lookup
        return ViewJSON.array(sortedGroups(view).map { group in
            let carried = (licenses[group.id] ?? []).map { license in
                ViewJSON.object([
                    "skuId": .string(lookup.skuId(forPartNumber: license.skuPartNumber)),
                    "skuPartNumber": .string(license.skuPartNumber),
                    "disabledPlans": .strings(license.disabledPlans.map(lookup.graphPlanId)),
                ])
            }
            return ViewJSON.object([
                "id": .string(group.id),
                "displayName": .string(group.displayName),
                "onPremisesImmutableId": .string(group.onPremisesImmutableId),
                "onPremisesDistinguishedName": .string(group.onPremisesDistinguishedName),
                "memberCount": .int(memberCount(group)),
                "assignedLicenses": .array(carried),
                "membersWithLicenseErrors": .int(usersInError(view, groupId: group.id).count),
            ])
        }).rendered()
    }

    /// A table with one line per group (name, members, licenses, members in error), then a count line such as
    /// `groups: 12, licensing: 3, members in error: 2`.
    public static func text(_ view: TenantView, licenses: [String: [GroupLicense]], colour: Bool) -> String {
        let style = ViewStyle(colour: colour)
        let groups = sortedGroups(view)
        var table = ViewTable(
            header: ["GROUP", "MEMBERS", "ERRORS", "LICENSES"], alignments: [.left, .right, .right, .left]
        )
        var allInError: Set<String> = []
        for group in groups {
            let inError = usersInError(view, groupId: group.id)
            allInError.formUnion(inError)
            let carried = (licenses[group.id] ?? []).map { license in
                let count = license.disabledPlans.count
                return license.skuPartNumber + (count == 0 ? "" : " (\(count) plan\(count == 1 ? "" : "s") disabled)")
            }
            table.append([
                group.displayName,
                String(memberCount(group)),
                inError.isEmpty ? "0" : style.red(String(inError.count)),
                carried.isEmpty ? "-" : carried.joined(separator: ", "),
            ])
        }
        let licensing = groups.filter { !(licenses[$0.id] ?? []).isEmpty }.count
        let counts = "groups: \(groups.count), licensing: \(licensing), members in error: \(allInError.count)"
        return (table.lines(style: style) + [allInError.isEmpty ? counts : style.red(counts)]).joined(separator: "\n")
    }

    private static func sortedGroups(_ view: TenantView) -> [TenantGroup] {
        view.state.groups.sorted { ($0.displayName.lowercased(), $0.id) < ($1.displayName.lowercased(), $1.id) }
    }

    private static func memberCount(_ group: TenantGroup) -> Int {
        group.memberUserIds.count + group.memberGroupIds.count
    }

    private static func usersInError(_ view: TenantView, groupId: String) -> Set<String> {
        Set(view.state.groupPaths
            .filter { $0.assignedByGroup == groupId && $0.error != .none && view.isLive($0.userId) }
            .map(\.userId))
    }
}
