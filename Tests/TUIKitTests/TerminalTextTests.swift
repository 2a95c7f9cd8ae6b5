import Testing

@testable import TUIKit

@Suite struct TerminalTextTests {
    @Test func escapeSequencesAreRemovedNotInterpreted() {
        #expect(TerminalText.sanitized("alice\u{1b}[31mred\u{1b}[0m") == "alice\u{FFFD}red\u{FFFD}")
        #expect(TerminalText.sanitized("x\u{1b}]0;pwned title\u{07}y") == "x\u{FFFD}y")
        #expect(TerminalText.sanitized("x\u{1b}]8;;http://evil\u{1b}\\link") == "x\u{FFFD}link")
        #expect(TerminalText.sanitized("\u{9b}2Jcleared") == "\u{FFFD}cleared")
        #expect(TerminalText.sanitized("unterminated\u{1b}[") == "unterminated\u{FFFD}")
    }

    @Test func controlAndBidiOverrideCharactersAreReplaced() {
        #expect(TerminalText.sanitized("a\tb\nc\rd\u{7f}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}")
        #expect(TerminalText.sanitized("admin\u{202E}txt.exe") == "admin\u{FFFD}txt.exe")
    }

    @Test func ordinaryTextIsUnchanged() {
        #expect(TerminalText.sanitized("s3:GetObject — 日本語 🍎 é") == "s3:GetObject — 日本語 🍎 é")
    }
}

@Suite struct GridTests {
    @Test func textIsClippedToTheGridAndTheClipRectangle() {
        var grid = Grid(width: 8, height: 2)
        #expect(grid.put("hello world", x: 2, y: 0, style: .plain) == 6)
        grid.put("abcdef", x: 0, y: 1, style: .plain, clip: Rect(x: 1, y: 1, width: 3, height: 1))
        #expect(grid.textLines == ["  hello", " bcd"])
    }

    @Test func printableASCIIIsDrawnAndMeasuredAsTheGeneralPathDoesIt() {
        let ascii = String(decoding: (0x20..<0x7F).map { UInt8($0) }, as: UTF8.self)
        for clip in [nil, Rect(x: 3, y: 0, width: 40, height: 1)] {
            var fast = Grid(width: 120, height: 1)
            var general = Grid(width: 120, height: 1)
            let used = fast.put(ascii, x: -2, y: 0, style: .plain, clip: clip)
            // One character past ASCII sends the same bytes before it through the general path.
            let usedInGeneral = general.put(ascii + "é", x: -2, y: 0, style: .plain, clip: clip)
            #expect(used == (clip == nil ? 95 : 45) && usedInGeneral == (clip == nil ? 96 : 45))
            #expect(Array(fast.cells[..<93]) == Array(general.cells[..<93]))
        }
        #expect(displayWidth(of: ascii) == 95)
        #expect(displayWidth(of: ascii) == ascii.reduce(0) { $0 + displayWidth(of: $1) })
        #expect(displayWidth(of: "a\r\nb") == 3)  // CR LF is one character
    }

    @Test func emojiZWJSequencesAreDrawnAsTheirPartsAndMeasuredAlike() {
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"  // 7 scalars: more than a terminal cell holds
        for text in ["a👩\u{200D}💻b", "x\(family)y", "🏳\u{FE0F}\u{200D}🌈!"] {
            var grid = Grid(width: 20, height: 1)
            let used = grid.put(text, x: 0, y: 0, style: .plain)
            #expect(used == displayWidth(of: text), "\(text)")
            #expect(grid.cells.allSatisfy { $0.character.unicodeScalars.count <= 5 }, "\(text)")
            #expect(!grid.cells.contains { $0.character.unicodeScalars.contains("\u{200D}") }, "\(text)")
        }
        #expect(displayWidth(of: "a👩\u{200D}💻b") == 6)
        #expect(displayWidth(of: "x\(family)y") == 10)
        // Cut whole: a sequence that does not fit is left out, never drawn in part.
        var narrow = Grid(width: 6, height: 1)
        narrow.put("ab\(family)", x: 0, y: 0, style: .plain)
        #expect(narrow.textLines == ["ab"])
        #expect("ab\(family)cd".truncated(toWidth: 6) == "ab…")
    }

    @Test func wideCharactersTakeTwoCellsAndNeverHalfOne() {
        var grid = Grid(width: 5, height: 1)
        grid.put("日本語", x: 0, y: 0, style: .plain)
        #expect(grid.textLines == ["日本"])
        #expect(grid[1, 0].isContinuation)
        #expect(!grid[4, 0].isContinuation && grid[4, 0].character == " ")
    }

    @Test func untrustedTextCannotReachTheTerminalRaw() {
        var grid = Grid(width: 12, height: 1)
        grid.put("a\u{1b}[2Jb", x: 0, y: 0, style: .plain)
        #expect(grid.textLines == ["a\u{FFFD}b"])
        #expect(grid.cells.allSatisfy { !$0.character.unicodeScalars.contains { $0.value < 0x20 } })
    }

    @Test func widthsFollowWcwidth() {
        #expect(displayWidth(of: "abc") == 3)
        #expect(displayWidth(of: "日本") == 4)
        #expect(displayWidth(of: "🍎") == 2)
        #expect(displayWidth(of: "e\u{301}") == 1)
        #expect("abcdef".truncated(toWidth: 4) == "abc…")
        #expect("abc".truncated(toWidth: 4) == "abc")
    }

    @Test func rectanglesSplitIntoPartsThatAddUp() {
        let parts = Rect(x: 0, y: 0, width: 100, height: 10).columns([.length(10), .percent(25), .fill, .fill])
        #expect(parts.map(\.width) == [10, 25, 32, 33])
        #expect(parts.map(\.x) == [0, 10, 35, 67])
        let tooSmall = Rect(x: 0, y: 0, width: 10, height: 3).rows([.length(2), .length(2), .fill])
        #expect(tooSmall.map(\.height) == [2, 1, 0])
    }

    @Test func boxesFallBackToASCII() {
        var grid = Grid(width: 10, height: 3)
        let inner = grid.box(
            grid.bounds, title: "T", style: .plain, titleStyle: .plain, characters: .ascii)
        #expect(grid.textLines == ["+- T ----+", "|        |", "+--------+"])
        #expect(inner == Rect(x: 1, y: 1, width: 8, height: 1))
    }
}

@Suite struct ColorTests {
    @Test func rgbDegradesToTheNearestPaletteEntry() {
        #expect(Color.rgb(255, 0, 0).terminalIndex(for: .xterm256) == 196)
        #expect(Color.rgb(128, 128, 128).terminalIndex(for: .xterm256) == 244)
        #expect(Color.rgb(0x8b, 0xe9, 0xfd).terminalIndex(for: .xterm256) == 117)
        #expect(Color.rgb(250, 10, 10).terminalIndex(for: .ansi16) == 9)
        #expect(Color.rgb(250, 10, 10).terminalIndex(for: .ansi8) == 1)
        #expect(Color.rgb(1, 2, 3).terminalIndex(for: .truecolor) == 0x010203)
    }

    @Test func eightColourTerminalsNeverGetBlackOnBlack() {
        #expect(Color.ansi(8).terminalIndex(for: .ansi8) == 7)
        #expect(Color.ansi(11).terminalIndex(for: .ansi8) == 3)
        #expect(Color.ansi(11).terminalIndex(for: .ansi16) == 11)
    }

    @Test func monochromeDropsColoursButKeepsSelectionVisible() {
        #expect(Color.ansi(3).terminalIndex(for: .monochrome) == -1)
        let mono = Theme.standard.monochrome()
        #expect(mono.style("item.selected").attributes.contains(.reverse))
        #expect(mono.styles.values.allSatisfy { $0.foreground == .default && $0.background == .default })
    }

    @Test func themeRolesFallBackToTheirParents() {
        let theme = Theme(
            name: "t", styles: ["default": Style(foreground: .ansi(1)), "a": Style(foreground: .ansi(2))])
        #expect(theme.style("a.b.c").foreground == .ansi(2))
        #expect(theme.style("z").foreground == .ansi(1))
    }
}
