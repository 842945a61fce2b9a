import TenantModel

/// `tenantsync conflicts`: current license errors and pre-existing-license findings.
public enum ConflictsView {
    /// The `conflicts --json` array, in the order the findings were given.
    public static func json(_ view: TenantView) -> String {
        ViewJSON.array(view.findings.map { finding in
            ViewJSON.object([
                "kind": .string(finding.kind.rawValue),
                "userPrincipalName": .string(finding.userPrincipalName),
                "skuPartNumber": .string(finding.skuPartNumber),
                "group": .string(finding.group),
                "detail": .string(finding.detail),
            ])
        }).rendered()
    }

    /// The findings grouped by kind (errors first, in the order of the conflict names), each group under a
    /// `Kind (n)` heading, in one table whose columns line up across groups; then a count line such as
    /// `conflicts: 4, errors: 3, findings: 1`, where errors are the licence errors that make the exit code 2, and
    /// other problems (rules naming no group, entries quarantined for an unusable attribute) are counted apart.
    public static func text(_ view: TenantView, colour: Bool) -> String {
        let style = ViewStyle(colour: colour)
        var table = ViewTable(header: ["  USER", "SKU", "GROUP", "DETAIL"])
        let byKind = Dictionary(grouping: view.findings, by: \.kind)
        for kind in FindingKind.allCases {
            guard let findings = byKind[kind], !findings.isEmpty else { continue }
            let heading = "\(kind.rawValue) (\(findings.count))"
            table.appendHeading(kind.isError ? style.red(heading) : style.yellow(heading))
            for finding in findings {
                table.append([
                    "  " + finding.userPrincipalName, finding.skuPartNumber ?? "-", finding.group ?? "-", finding.detail,
                ])
            }
        }
        // "errors" are what makes the exit code 2; problems about rules, groups or unusable entries are listed apart.
        let errors = view.findings.count(where: \.isLicenseError)
        let problems = view.findings.count { $0.kind.isError && !$0.isLicenseError }
        let advice = view.findings.count - errors - problems
        let counts = "conflicts: \(view.findings.count), errors: \(errors), "
            + (problems > 0 ? "other problems: \(problems), " : "") + "findings: \(advice)"
        return (table.lines(style: style) + [counts]).joined(separator: "\n")
    }
}
