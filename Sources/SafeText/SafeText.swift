/// The one rule for text that comes from logs and other files we do not control: which characters
/// may pass. Such text may carry terminal escape sequences (to move the cursor, set the window title,
/// hide text), line breaks that YAML and editors see but reviewers do not, and bidirectional
/// controls that reorder what a reviewer reads. Core applies it where log text enters; the
/// terminal layer applies it again to everything it draws or prints.
public enum SafeText {
    /// Replaces each escape sequence, and each other character that is not safe, with U+FFFD, so the
    /// text shows what it contains and nothing more.
    public static func cleaned(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" || scalar == "\u{9B}" {
                skipEscapeSequence(startingWith: scalar, in: &scalars)
                result.append(replacement)
            } else if isUnsafe(scalar) {
                result.append(replacement)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    public static let replacement: Unicode.Scalar = "\u{FFFD}"

    /// Control characters (C0, DEL, C1 with U+0085), the line and paragraph separators, bidirectional
    /// embeddings, overrides, isolates and marks, the byte-order mark, and the noncharacters YAML cannot carry.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        case 0xFEFF, 0xFFFE, 0xFFFF: return true
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
