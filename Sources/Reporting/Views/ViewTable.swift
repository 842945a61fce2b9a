/// A text table whose columns line up: a header, rows of cells, and optional heading lines between rows.
///
/// Cells may carry ANSI colour; widths are measured on the visible text. The last column is not padded,
/// so lines carry no trailing spaces.
struct ViewTable: Sendable {
    enum Alignment: Sendable { case left, right }

    enum Row: Sendable {
        case cells([String])
        /// A line printed as it is, outside the columns (a section title); it does not widen any column.
        case heading(String)
    }

    let header: [String]
    let alignments: [Alignment]
    private(set) var rows: [Row] = []

    init(header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? Array(repeating: .left, count: header.count)
    }

    mutating func append(_ cells: [String]) { rows.append(.cells(cells)) }

    mutating func appendHeading(_ line: String) { rows.append(.heading(line)) }

    /// The table's lines, the header first (bold when colour is on).
    func lines(style: ViewStyle) -> [String] {
        let widths = columnWidths()
        var output = [style.bold(format(header, widths: widths))]
        for row in rows {
            switch row {
            case .cells(let cells): output.append(format(cells, widths: widths))
            case .heading(let line): output.append(line)
            }
        }
        return output
    }

    private func columnWidths() -> [Int] {
        var widths = header.map { ViewStyle.visible($0).count }
        for case .cells(let cells) in rows {
            for (index, cell) in cells.enumerated() where index < widths.count {
                widths[index] = max(widths[index], ViewStyle.visible(cell).count)
            }
        }
        return widths
    }

    private func format(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (index, width) in widths.enumerated() {
            let cell = index < cells.count ? cells[index] : ""
            let gap = String(repeating: " ", count: width - ViewStyle.visible(cell).count)
            let isLast = index == widths.count - 1
            switch alignments[index] {
            case .right: parts.append(gap + cell)
            case .left: parts.append(isLast ? cell : cell + gap)
            }
        }
        return parts.joined(separator: "  ")
    }
}
