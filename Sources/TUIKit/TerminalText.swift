/// Text from logs is untrusted: it may carry escape sequences that would move the cursor, change
/// colours, set the window title or hide text. Everything drawn or printed passes through here.
public enum TerminalText {
    /// Removes ANSI/VT escape sequences and replaces other control and bidirectional-override
    /// characters with U+FFFD, so the text shows exactly what it contains and nothing more.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsReplacement) else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" || scalar == "\u{9B}" {
                skipEscapeSequence(startingWith: scalar, in: &scalars)
                result.append("\u{FFFD}")
            } else if needsReplacement(scalar) {
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func needsReplacement(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidi embeddings, overrides and isolates can reorder what a reviewer sees.
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    /// Consumes one escape sequence: CSI (`ESC [` … final byte), OSC/DCS/APC/PM/SOS strings (up to
    /// BEL or ST), or a single escaped character.
    private static func skipEscapeSequence(
        startingWith first: Unicode.Scalar, in scalars: inout String.UnicodeScalarView.Iterator
    ) {
        let introducer = first == "\u{9B}" ? "[" : scalars.next()
        if introducer == "[" {
            while let scalar = scalars.next() {
                if (0x40...0x7E).contains(scalar.value) { return }
            }
        } else if let kind = introducer, "]PX^_".unicodeScalars.contains(kind) {
            var previous: Unicode.Scalar? = nil
            while let scalar = scalars.next() {
                if scalar == "\u{07}" || scalar == "\u{9C}" || (previous == "\u{1B}" && scalar == "\\") { return }
                previous = scalar
            }
        }
    }
}
