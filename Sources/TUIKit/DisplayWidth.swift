/// How many terminal columns a character takes, agreeing with wcwidth for the text we show:
/// 0 for combining marks, 2 for East Asian wide and emoji-presentation characters, else 1. An emoji
/// ZWJ sequence is as wide as its parts: terminals disagree on joining them (tmux does not), so
/// they are drawn apart (`displayParts`) and every terminal agrees on the width.
public func displayWidth(of character: Character) -> Int {
    if let byte = character.asciiValue, isPrintableASCII(byte) { return 1 }
    guard isDrawnInParts(character) else { return partWidth(character) }
    return displayParts(of: character).reduce(0) { $0 + partWidth($1) }
}

/// Whether a character is drawn as several cells' worth of parts rather than as itself.
public func isDrawnInParts(_ character: Character) -> Bool {
    let scalars = character.unicodeScalars
    return scalars.count > 5 || scalars.contains("\u{200D}")
}

/// The cells a character is drawn in: itself, or the parts of an emoji ZWJ sequence without the
/// joiners (👩‍💻 as 👩 and 💻). A part keeps at most 5 scalars, all a terminal cell holds
/// (ncurses' CCHARW_MAX): a base and four marks; marks stacked beyond that are dropped.
public func displayParts(of character: Character) -> [Character] {
    guard isDrawnInParts(character) else { return [character] }
    return character.unicodeScalars.split(separator: "\u{200D}").map { part in
        var text = String.UnicodeScalarView()
        text.append(contentsOf: part.prefix(5))
        return Character(String(text))
    }
}

/// The width of one part: a cell's worth of scalars.
private func partWidth(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    if character.unicodeScalars.count == 1 {
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
    }
    if first.properties.isEmojiPresentation { return 2 }
    return wideRanges.contains { $0.contains(first.value) } ? 2 : 1
}

public func displayWidth(of text: some StringProtocol) -> Int {
    // Nearly all text on screen is printable ASCII: a column a byte, no Unicode properties to look up.
    if text.utf8.allSatisfy(isPrintableASCII) { return text.utf8.count }
    return text.reduce(0) { $0 + displayWidth(of: $1) }
}

/// A space to a tilde: one column, nothing to sanitise.
@inline(__always) func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

/// East Asian Wide and Fullwidth blocks (Unicode 15 EastAsianWidth.txt, W and F, condensed).
private let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
    0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
    0x20000...0x2FFFD, 0x30000...0x3FFFD,
]

extension String {
    /// Cut to at most `width` columns, ending in "…" when something was cut.
    public func truncated(toWidth width: Int) -> String {
        guard width > 0 else { return "" }
        guard displayWidth(of: self) > width else { return self }
        var result = ""
        var used = 0
        for character in self {
            let next = displayWidth(of: character)
            if used + next > width - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }
}

extension String {
    /// The longest start of the text that fits in `width` cells, cut after a space where one is
    /// (else anywhere), and the rest: one line of a wrapped paragraph.
    public func splitForWrapping(width: Int) -> (line: String, rest: String) {
        var used = 0
        var cut = startIndex
        var lastSpace: String.Index?
        for index in indices {
            let cells = displayWidth(of: String(self[index]))
            guard used + cells <= width else { break }
            used += cells
            cut = self.index(after: index)
            if self[index] == " " { lastSpace = cut }
        }
        guard cut < endIndex else { return (self, "") }
        let end = lastSpace ?? cut
        return (String(self[..<end]).trimmingTrailingSpaces, String(self[end...]))
    }

    private var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
