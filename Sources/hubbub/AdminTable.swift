/// A plain-text table for terminals: a header row, then rows, columns padded to the
/// widest cell and separated by two spaces.
struct AdminTable {
    private let headers: [String]
    private var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The table as lines, each prefixed with `indent`, without a final newline.
    func render(indent: String = "") -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { cells in
            let padded = cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(to: widths[column])
            }
            return indent + padded.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
