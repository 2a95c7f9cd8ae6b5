/// Line-drawing characters, with an ASCII set for terminals whose locale is not UTF-8.
public struct BoxCharacters: Sendable, Hashable {
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character

    public static let unicode = BoxCharacters(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
    public static let ascii = BoxCharacters(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
}

extension Grid {
    /// Draws a frame around `rect` with a title in its top edge; returns the area inside.
    @discardableResult
    public mutating func box(_ rect: Rect, title: String, style: Style, titleStyle: Style, characters: BoxCharacters)
        -> Rect
    {
        guard rect.width >= 2 && rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let line = String(characters.horizontal)
        for x in rect.x + 1..<rect.maxX - 1 {
            put(line, x: x, y: rect.y, style: style)
            put(line, x: x, y: rect.maxY - 1, style: style)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            put(String(characters.vertical), x: rect.x, y: y, style: style)
            put(String(characters.vertical), x: rect.maxX - 1, y: y, style: style)
        }
        put(String(characters.topLeft), x: rect.x, y: rect.y, style: style)
        put(String(characters.topRight), x: rect.maxX - 1, y: rect.y, style: style)
        put(String(characters.bottomLeft), x: rect.x, y: rect.maxY - 1, style: style)
        put(String(characters.bottomRight), x: rect.maxX - 1, y: rect.maxY - 1, style: style)
        if !title.isEmpty && rect.width > 6 {
            put(" " + title.truncated(toWidth: rect.width - 6) + " ", x: rect.x + 2, y: rect.y, style: titleStyle)
        }
        return rect.inset(by: 1)
    }
}
