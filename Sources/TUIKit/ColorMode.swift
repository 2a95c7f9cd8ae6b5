/// What a terminal can show, decided once at start-up by the backend.
public enum ColorMode: Sendable, Hashable {
    case monochrome, ansi8, ansi16, xterm256, truecolor
}

extension Color {
    /// The terminal colour number for `mode`: -1 for the terminal's own default colour. Truecolor
    /// gives 0xRRGGBB (for a direct-colour terminfo entry).
    public func terminalIndex(for mode: ColorMode) -> Int {
        switch (self, mode) {
        case (.default, _), (_, .monochrome): return -1
        case (.ansi(let index), .ansi8):
            // Bright black would become black on black: map it to white, the other brights to their base.
            return index == 8 ? 7 : Int(index % 8)
        case (.ansi(let index), _): return Int(index)
        case (.indexed(let index), .xterm256), (.indexed(let index), .truecolor): return Int(index)
        case (.indexed(let index), _): return Color.nearestANSI(Color.rgbOfXterm(index), count: mode == .ansi8 ? 8 : 16)
        case (.rgb(let r, let g, let b), .truecolor): return Int(r) << 16 | Int(g) << 8 | Int(b)
        case (.rgb(let r, let g, let b), .xterm256): return Color.nearestXterm((r, g, b))
        case (.rgb(let r, let g, let b), _): return Color.nearestANSI((r, g, b), count: mode == .ansi8 ? 8 : 16)
        }
    }

    typealias RGB = (UInt8, UInt8, UInt8)

    /// xterm's default values for the 16 ANSI colours.
    static let ansiPalette: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func rgbOfXterm(_ index: UInt8) -> RGB {
        switch index {
        case 0..<16: return ansiPalette[Int(index)]
        case 16..<232:
            let cube = Int(index) - 16
            return (UInt8(cubeLevels[cube / 36]), UInt8(cubeLevels[cube / 6 % 6]), UInt8(cubeLevels[cube % 6]))
        default:
            let grey = UInt8(8 + 10 * (Int(index) - 232))
            return (grey, grey, grey)
        }
    }

    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }

    static func nearestANSI(_ rgb: RGB, count: Int) -> Int {
        (0..<count).min { distance(ansiPalette[$0], rgb) < distance(ansiPalette[$1], rgb) }!
    }

    /// The closest of the 6x6x6 cube and the 24 greys (never the 16 themeable ANSI entries).
    static func nearestXterm(_ rgb: RGB) -> Int {
        func level(_ value: UInt8) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - Int(value)) < abs(cubeLevels[$1] - Int(value)) }!
        }
        let cube = 16 + 36 * level(rgb.0) + 6 * level(rgb.1) + level(rgb.2)
        let average = (Int(rgb.0) + Int(rgb.1) + Int(rgb.2)) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgbOfXterm(UInt8(grey)), rgb) < distance(rgbOfXterm(UInt8(cube)), rgb) ? grey : cube
    }
}
