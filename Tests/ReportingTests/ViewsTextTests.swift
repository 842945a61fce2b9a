import Foundation
import Reporting
import TenantModel
import Testing

@Suite("Text views")
struct ViewsTextTests {
    private static let escape: Character = "\u{1B}"

    /// Where each cell of a table line starts: column 0 and every non-space after a run of two or more spaces.
    private func cellStarts(_ line: String) -> [Int] {
        let characters = Array(line)
        var starts: [Int] = []
        for index in characters.indices where characters[index] != " " {
            if index == 0 || (index >= 2 && characters[index - 1] == " " && characters[index - 2] == " ") {
                starts.append(index)
            }
        }
        return starts
    }

    /// Where each cell of a table line ends: the last non-space before a run of two or more spaces or the line's end.
    private func cellEnds(_ line: String) -> [Int] {
        let characters = Array(line)
        var ends: [Int] = []
        for index in characters.indices where characters[index] != " " {
            let atEnd = index == characters.count - 1
            if atEnd || (index + 2 < characters.count && characters[index + 1] == " " && characters[index + 2] == " ") {
                ends.append(index)
            }
        }
        return ends
    }

    /// Removes ANSI escape sequences, as a terminal would show the text.
    private func visible(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }

    @Test("users text: one aligned line per user with path labels, then the counts")
    func usersTable() throws {
        let text = UsersView.text(ViewsFixture.view(), colour: false)
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 5)
        #expect(lines[0].hasPrefix("USER "))
        #expect(lines.last == "users: 3, licensed: 2, in error: 1")

        let headerStarts = cellStarts(lines[0])
        #expect(headerStarts.count == 5)
        for line in lines[1...3] {
            #expect(Array(cellStarts(line).prefix(5)) == headerStarts, "misaligned: \(line)")
        }
        let bob = try #require(lines.first { $0.hasPrefix("Bob@Example.org") })
        #expect(bob.contains("SPE_E3 (direct)"))
        #expect(bob.contains("INTUNE_A (group: Intune Users) ERROR CountViolation"))
        #expect(bob.contains("SPE_E3 (group: E3 Staff) ActiveWithError MutuallyExclusiveViolation"))
        let carol = try #require(lines.first { $0.hasPrefix("carol@example.org") })
        #expect(carol.split(separator: " ", omittingEmptySubsequences: true) == ["carol@example.org", "-", "-", "yes", "-"])
        #expect(!text.contains(Self.escape))
        #expect(!text.contains("dave@example.org"))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    @Test("users text: colour only when asked, the same table once the colour is stripped")
    func colourOnlyWhenAsked() {
        let view = ViewsFixture.view()
        let plain = UsersView.text(view, colour: false)
        let coloured = UsersView.text(view, colour: true)
        #expect(coloured.contains("\u{1B}[31mERROR CountViolation\u{1B}[0m"))
        #expect(visible(coloured) == plain)
    }

    @Test("users text with --user shows one user and counts only that user")
    func usersTextFilter() {
        let text = UsersView.text(ViewsFixture.view(), principalName: "ALICE@example.org", colour: false)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("alice@example.org"))
        #expect(lines.last == "users: 1, licensed: 1, in error: 0")
    }

    @Test("groups text: members and errors right-aligned, licenses listed, then the counts")
    func groupsTable() throws {
        let text = GroupsView.text(ViewsFixture.view(), licenses: ViewsFixture.groupLicenses, colour: false)
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 5)
        #expect(lines.last == "groups: 3, licensing: 2, members in error: 1")
        // GROUP is left-aligned, MEMBERS and ERRORS right-aligned, LICENSES left-aligned.
        let headerEnds = Array(cellEnds(lines[0]).prefix(3).dropFirst())
        let licensesStart = try #require(cellStarts(lines[0]).last)
        for line in lines[1...3] {
            #expect(Array(cellEnds(line).prefix(3).dropFirst()) == headerEnds, "misaligned: \(line)")
            #expect(cellStarts(line)[3] == licensesStart, "misaligned: \(line)")
        }
        let e3 = try #require(lines.first { $0.hasPrefix("E3 Staff") })
        #expect(e3.split(separator: " ", omittingEmptySubsequences: true).suffix(6) == ["3", "1", "SPE_E3", "(1", "plan", "disabled)"])
    }

    @Test("skus text: seats, consumed, free and plan count right-aligned, then totals")
    func skusTable() throws {
        let text = SkusView.text(ViewsFixture.view(), colour: false)
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(lines.last == "skus: 2, seats: 11, consumed: 3, free: 8")
        let headerEnds = cellEnds(lines[0])
        #expect(headerEnds.count == 5)
        // SKU is left-aligned, the numbers right-aligned.
        for line in lines[1...2] {
            #expect(Array(cellEnds(line).dropFirst()) == Array(headerEnds.dropFirst()), "misaligned: \(line)")
            #expect(line.count == lines[0].count)
        }
        #expect(lines[1].split(separator: " ", omittingEmptySubsequences: true) == ["INTUNE_A", "1", "1", "0", "1"])
        #expect(lines[2].split(separator: " ", omittingEmptySubsequences: true) == ["SPE_E3", "10", "2", "8", "3"])
    }

    @Test("conflicts text: grouped under one heading per kind, errors first, columns aligned across groups")
    func conflictsGroupedByKind() throws {
        let text = ConflictsView.text(ViewsFixture.view(), colour: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.last == "conflicts: 3, errors: 2, findings: 1")
        let headings = lines.filter { !$0.hasPrefix(" ") && !$0.hasPrefix("conflicts:") }
        #expect(headings == ["CountViolation (1)", "UniquenessViolation (1)", "RedundantDirectAssignment (1)"])

        let countIndex = try #require(lines.firstIndex(of: "CountViolation (1)"))
        #expect(lines[countIndex + 1].contains("Bob@Example.org"))
        let redundantIndex = try #require(lines.firstIndex(of: "RedundantDirectAssignment (1)"))
        #expect(lines[redundantIndex + 1].contains("the group path enables every plan"))

        let rows = lines.filter { $0.hasPrefix("  ") }
        try #require(rows.count == 4)  // the header and three findings
        let headerStarts = cellStarts(String(rows[0].dropFirst(2)))
        #expect(headerStarts.count == 4)
        for row in rows {
            #expect(cellStarts(String(row.dropFirst(2))) == headerStarts, "misaligned: \(row)")
        }
    }

    @Test("conflicts text counts as errors only what makes the exit code 2; rule problems are other problems")
    func conflictsCountsMatchTheExitCode() {
        let base = ViewsFixture.view()
        let ruleProblem = Finding(
            kind: .other, userPrincipalName: "", skuPartNumber: "INTUNE_A", group: "Intune Users",
            detail: "licenses[0] (group 'Intune Users', INTUNE_A): no group has this name or DN")
        let view = TenantView(state: TenantState(), directPaths: [], findings: base.findings + [ruleProblem], lookup: SkuLookup(catalog: []))
        let text = ConflictsView.text(view, colour: false)
        #expect(text.hasSuffix("conflicts: 4, errors: 2, other problems: 1, findings: 1"), "\(text)")
    }

    @Test("conflicts text colours error headings red and finding headings yellow")
    func conflictsColour() {
        let text = ConflictsView.text(ViewsFixture.view(), colour: true)
        #expect(text.contains("\u{1B}[31mCountViolation (1)\u{1B}[0m"))
        #expect(text.contains("\u{1B}[33mRedundantDirectAssignment (1)\u{1B}[0m"))
        #expect(visible(text) == ConflictsView.text(ViewsFixture.view(), colour: false))
    }

    @Test("empty tenant text: headers and zero counts")
    func emptyTenantText() {
        let view = TenantView(state: TenantState(), directPaths: [], findings: [], lookup: SkuLookup(catalog: []))
        #expect(UsersView.text(view, colour: false) == "USER  DISPLAY NAME  LOCATION  ENABLED  LICENSES\nusers: 0, licensed: 0, in error: 0")
        #expect(ConflictsView.text(view, colour: false).hasSuffix("conflicts: 0, errors: 0, findings: 0"))
    }
}
