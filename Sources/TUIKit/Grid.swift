/// One terminal cell. A wide character occupies its cell and the next, which is a continuation.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: Style
    public var isContinuation: Bool

    public static let blank = Cell(character: " ", style: .plain, isContinuation: false)
}

/// An in-memory screen: views draw into it, the backend copies it to the terminal, tests compare it.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(
            repeating: Cell(character: " ", style: fill, isContinuation: false), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` from (x, y), clipped to `clip` (default: the whole grid); control characters and
    /// escape sequences are neutralised first. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y && y < area.maxY else { return 0 }
        var column = x
        if text.utf8.allSatisfy(isPrintableASCII) {
            // Most of a frame: a cell a byte, with nothing to sanitise and no graphemes to find.
            for byte in text.utf8 {
                if column + 1 > area.maxX { break }
                place(Character(Unicode.Scalar(byte)), width: 1, at: &column, y: y, style: style, from: area.x)
            }
            return column - x
        }
        // A character is drawn whole or not at all: its parts never straddle the clip.
        for character in TerminalText.sanitized(text) {
            let width = displayWidth(of: character)
            if width == 0 { continue }
            if column + width > area.maxX { break }
            // Nearly every character is drawn as itself: no parts to allocate for it.
            guard isDrawnInParts(character) else {
                place(character, width: width, at: &column, y: y, style: style, from: area.x)
                continue
            }
            for part in displayParts(of: character) {
                let partWidth = displayWidth(of: part)
                if partWidth > 0 { place(part, width: partWidth, at: &column, y: y, style: style, from: area.x) }
            }
        }
        return column - x
    }

    /// One cell (two for a wide character), where the clip begins at `left` or before.
    private mutating func place(
        _ character: Character, width: Int, at column: inout Int, y: Int, style: Style, from left: Int
    ) {
        if column >= left {
            self[column, y] = Cell(character: character, style: style, isContinuation: false)
            if width == 2 { self[column + 1, y] = Cell(character: " ", style: style, isContinuation: true) }
        }
        column += width
    }

    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { self[x, y] = Cell(character: character, style: style, isContinuation: false) }
        }
    }

    /// Changes the style of cells without touching their text (selection bars, highlights).
    public mutating func restyle(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { self[x, y].style = style }
        }
    }

    /// The text of each row, trailing spaces removed.
    public var textLines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line.append(self[x, y].character) }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
