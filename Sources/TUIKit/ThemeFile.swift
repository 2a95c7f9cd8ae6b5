/// Reads theme files (`Themes/*.toml`): a small, documented TOML subset.
///
/// ```toml
/// name = "light"
/// inherits = "default"            # optional: start from another theme's styles
/// [palette]                       # optional: names for colours used below
/// ink = "#1d1f21"
/// [styles]                        # role = { fg = colour, bg = colour, attrs = [..] }
/// "header" = { fg = "ink", bg = "#d0e4ff", attrs = ["bold"] }
/// ```
/// A colour is a palette name, `#rrggbb`, an xterm index 0-255, `default`, or one of black, red,
/// green, yellow, blue, magenta, cyan, white, each also as `bright-…`. Attributes: bold, dim,
/// reverse, underline, italic. A `default` style with a foreground needs a background, and a
/// style with a foreground but no background gets the `default` style's.
public enum ThemeFile {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        /// The message quotes the file's own text, which may hold escape sequences.
        public var description: String { "line \(line): \(TerminalText.sanitized(message))" }
    }

    /// Parses a theme; `base` resolves `inherits` (by name) and defaults to the built-in theme.
    public static func parse(_ text: String, base: (String) -> Theme? = { _ in .standard }) throws -> Theme {
        var name = ""
        var inherits: String?
        var palette: [String: Color] = [:]
        var styles: [(role: String, line: Int, value: String)] = []
        var section = ""
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + 1
            let content = stripComment(String(rawLine)).trimmingSpaces()
            guard !content.isEmpty else { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]") else {
                    throw ParseError(line: line, message: "a section needs a closing ]")
                }
                section = String(content.dropFirst().dropLast()).trimmingSpaces()
                guard ["palette", "styles"].contains(section) else {
                    throw ParseError(line: line, message: "unknown section [\(section)] (known: [palette], [styles])")
                }
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                throw ParseError(line: line, message: "expected key = value")
            }
            let key = unquote(String(content[..<equals]).trimmingSpaces())
            let value = String(content[content.index(after: equals)...]).trimmingSpaces()
            switch section {
            case "":
                switch key {
                case "name": name = try string(value, line)
                case "inherits": inherits = try string(value, line)
                default: throw ParseError(line: line, message: "unknown key '\(key)' (known: name, inherits)")
                }
            case "palette":
                palette[key] = try color(try string(value, line), palette: [:], line: line)
            default:
                styles.append((key, line, value))
            }
        }
        guard !name.isEmpty else { throw ParseError(line: 1, message: "a theme needs a name") }
        var theme = Theme.standard
        if let inherits {
            guard let parent = base(inherits) else {
                throw ParseError(line: 1, message: "inherits '\(inherits)', which is not a known theme")
            }
            theme = parent
        }
        theme.name = name
        for (role, line, value) in styles { theme.styles[role] = try style(value, palette: palette, line: line) }
        return try withBaseBackground(theme, line: styles.last { $0.role == "default" }?.line ?? 1)
    }

    /// A colour is only readable against a known background: one that picks its own text colour
    /// for `default` must pick the background too, and any style with a foreground and no
    /// background is drawn on that base background, not on whatever the terminal's own is.
    static func withBaseBackground(_ theme: Theme, line: Int) throws -> Theme {
        let base = theme.styles["default"] ?? .plain
        if base.foreground != .default && base.background == .default {
            throw ParseError(
                line: line,
                message: "\"default\" sets a foreground but no background: add bg (the colour its text is read on)")
        }
        var result = theme
        for (role, style) in theme.styles where style.foreground != .default && style.background == .default {
            result.styles[role]?.background = base.background
        }
        return result
    }

    static func style(_ value: String, palette: [String: Color], line: Int) throws -> Style {
        guard value.hasPrefix("{") && value.hasSuffix("}") else {
            throw ParseError(line: line, message: "a style is written { fg = …, bg = …, attrs = […] }")
        }
        var style = Style()
        for field in splitTopLevel(String(value.dropFirst().dropLast())) where !field.trimmingSpaces().isEmpty {
            guard let equals = field.firstIndex(of: "=") else {
                throw ParseError(line: line, message: "expected key = value in '\(field.trimmingSpaces())'")
            }
            let key = String(field[..<equals]).trimmingSpaces()
            let raw = String(field[field.index(after: equals)...]).trimmingSpaces()
            switch key {
            case "fg": style.foreground = try color(try string(raw, line), palette: palette, line: line)
            case "bg": style.background = try color(try string(raw, line), palette: palette, line: line)
            case "attrs":
                guard raw.hasPrefix("[") && raw.hasSuffix("]") else {
                    throw ParseError(line: line, message: "attrs is a list, e.g. [\"bold\"]")
                }
                for item in String(raw.dropFirst().dropLast()).split(separator: ",") {
                    let attribute = try string(String(item).trimmingSpaces(), line)
                    guard let known = attributes[attribute] else {
                        throw ParseError(
                            line: line,
                            message:
                                "unknown attribute '\(attribute)' (known: \(attributes.keys.sorted().joined(separator: ", ")))"
                        )
                    }
                    style.attributes.insert(known)
                }
            default: throw ParseError(line: line, message: "unknown style key '\(key)' (known: fg, bg, attrs)")
            }
        }
        return style
    }

    static let attributes: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "reverse": .reverse, "underline": .underline, "italic": .italic,
    ]
    static let named = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func color(_ text: String, palette: [String: Color], line: Int) throws -> Color {
        if let color = palette[text] { return color }
        if text == "default" { return .default }
        if let index = named.firstIndex(of: text) { return .ansi(UInt8(index)) }
        if text.hasPrefix("bright-"), let index = named.firstIndex(of: String(text.dropFirst(7))) {
            return .ansi(UInt8(index + 8))
        }
        if let index = UInt8(text) { return .indexed(index) }
        if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }
        throw ParseError(
            line: line, message: "'\(text)' is not a colour (a palette name, #rrggbb, 0-255 or a colour name)")
    }

    static func string(_ value: String, _ line: Int) throws -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
            throw ParseError(line: line, message: "expected a quoted string, found \(value)")
        }
        return String(value.dropFirst().dropLast())
    }

    static func unquote(_ key: String) -> String {
        key.count >= 2 && key.hasPrefix("\"") && key.hasSuffix("\"") ? String(key.dropFirst().dropLast()) : key
    }

    /// Drops a `#` comment that is not inside a string.
    static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    /// Splits on commas outside quotes and brackets.
    static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        for character in text {
            if character == "\"" { inString.toggle() }
            if !inString && character == "[" { depth += 1 }
            if !inString && character == "]" { depth -= 1 }
            if character == "," && depth == 0 && !inString {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
