extension Grid {
    /// A golden-file form of the grid: the text rows, then one letter per column naming each cell's
    /// style, then the legend. Wide characters keep the style layer aligned with the text.
    public func styledSnapshot() -> String {
        var legend: [Style: Character] = [Style.plain: "."]
        var order: [Style] = [.plain]
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var styleRows: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let style = self[x, y].style
                if legend[style] == nil {
                    legend[style] = order.count - 1 < letters.count ? letters[order.count - 1] : "?"
                    order.append(style)
                }
                row.append(legend[style]!)
            }
            styleRows.append(row)
        }
        var lines = textLines.map { $0 + "\n" }.joined()
        lines += "--- styles ---\n" + styleRows.map { $0 + "\n" }.joined()
        for style in order.dropFirst() { lines += "\(legend[style]!): \(describe(style))\n" }
        return lines
    }

    private func describe(_ style: Style) -> String {
        var parts: [String] = []
        if style.foreground != .default { parts.append("fg=\(describe(style.foreground))") }
        if style.background != .default { parts.append("bg=\(describe(style.background))") }
        let names: [(TextAttributes, String)] = [
            (.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"), (.underline, "underline"), (.italic, "italic"),
        ]
        parts += names.filter { style.attributes.contains($0.0) }.map(\.1)
        return parts.joined(separator: " ")
    }

    private func describe(_ color: Color) -> String {
        switch color {
        case .default: return "default"
        case .ansi(let index): return "ansi\(index)"
        case .indexed(let index): return "idx\(index)"
        case .rgb(let r, let g, let b):
            let hex = [r, g, b].map { byte -> String in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }
            return "#" + hex.joined()
        }
    }
}
