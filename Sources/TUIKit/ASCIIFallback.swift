/// What a character is drawn as where the locale is not UTF-8 (LANG=C): one ASCII character of
/// like meaning, so that lines, bars, arrows and text keep their columns. Views already choose
/// ASCII boxes and bars there (`BoxCharacters.ascii`); this covers everything else they draw.
public func asciiFallback(for character: Character) -> Character {
    guard !character.isASCII, let scalar = character.unicodeScalars.first else { return character }
    switch scalar.value {
    case 0x2500...0x257F: return boxDrawingFallback(scalar.value)
    case 0x258F, 0x2595: return "|"  // the thin left and right blocks: meter ends, the text cursor
    case 0x2591: return "."
    case 0x2592: return ":"
    case 0x2580...0x259F: return "#"
    case 0x2190, 0x21D0: return "<"
    case 0x2191: return "^"
    case 0x2192, 0x21D2: return ">"
    case 0x2193: return "v"
    case 0x00B7, 0x2219: return "."
    case 0x2022: return "*"
    case 0x2026: return "~"  // a cut: not a full stop
    case 0x2010...0x2015, 0x2212: return "-"
    case 0x2018, 0x2019: return "'"
    case 0x201C, 0x201D: return "\""
    case 0x00D7: return "x"
    case 0x00B1: return "+"
    case 0x2264: return "<"
    case 0x2265: return ">"
    case 0x2691, 0x2690: return "!"  // the open-item flag
    case 0x00A0, 0x2000...0x200A, 0x202F: return " "
    default: return "?"
    }
}

/// Lines along become `-`, lines across `|`, corners, tees and crossings `+`.
private func boxDrawingFallback(_ value: UInt32) -> Character {
    let horizontal: Set<UInt32> = [
        0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550, 0x2574, 0x2576, 0x2578, 0x257A,
        0x257C, 0x257E,
    ]
    let vertical: Set<UInt32> = [
        0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551, 0x2575, 0x2577, 0x2579, 0x257B,
        0x257D, 0x257F,
    ]
    return horizontal.contains(value) ? "-" : vertical.contains(value) ? "|" : "+"
}
