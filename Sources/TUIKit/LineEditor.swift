/// One line of plain text being typed (a search, a note, a name, a command), the cursor at its end.
/// Control and bidi-override characters never enter it: what is typed is saved to files that people
/// and other tools read, and shown on terminals.
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: String

    public init(_ text: String = "") { self.text = text }

    /// C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.
    private static let refused: [ClosedRange<UInt32>] = [0...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069]

    public static func accepts(_ character: Character) -> Bool {
        !character.isNewline
            && character.unicodeScalars.allSatisfy { scalar in !refused.contains { $0.contains(scalar.value) } }
    }

    public mutating func insert(_ character: Character) {
        if Self.accepts(character) { text.append(character) }
    }

    /// Appends `completion` (the rest of a word the editor proposes), typed as if key by key.
    public mutating func insert(contentsOf completion: String) {
        for character in completion { insert(character) }
    }

    public mutating func deleteBackward() {
        if !text.isEmpty { text.removeLast() }
    }

    public mutating func clear() { text = "" }

    /// What fits in `width` cells with the cursor after it: the end of the text stays in sight and
    /// the start scrolls off sideways, marked with `…`.
    public func visibleTail(width: Int) -> String { Self.tail(of: text, width: width) }

    /// The same for any text: what is shown of a line being typed, after whatever changes it for the
    /// screen (a room's pseudonyms) has been applied to the whole of it.
    public static func tail(of text: String, width: Int) -> String {
        let room = max(1, width - 1)  // one cell for the cursor
        guard displayWidth(of: text) > room else { return text }
        var tail = ""
        var used = 1  // the ellipsis
        for character in text.reversed() {
            let cells = displayWidth(of: String(character))
            guard used + cells <= room else { break }
            tail.insert(character, at: tail.startIndex)
            used += cells
        }
        return "…" + tail
    }
}
