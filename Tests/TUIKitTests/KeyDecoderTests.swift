import Testing

@testable import TUIKit

/// The bytes of one read, then the escape timeout: the keys a screen would get.
func decodedKeys(_ text: String, terminal: [String: Key] = [:], mouse: Bool = false) -> [Key] {
    decodedKeys(Array(text.utf8), terminal: terminal, mouse: mouse)
}

func decodedKeys(_ bytes: [UInt8], terminal: [String: Key] = [:], mouse: Bool = false) -> [Key] {
    var decoder = KeyDecoder(terminalKeys: terminalTable(terminal), mouse: mouse)
    return decoder.decode(bytes) + decoder.flush()
}

func terminalTable(_ strings: [String: Key]) -> [[UInt8]: Key] {
    Dictionary(uniqueKeysWithValues: strings.map { (Array($0.key.utf8), $0.value) })
}

/// The key strings `infocmp` lists for each terminal (what the backend reads with tigetstr):
/// khome, kend, kcuu1, kcud1, kcub1, kcuf1, kpp, knp, kdch1, kcbt and kf1-kf20.
enum Terminfo {
    static let xterm256color: [String: Key] = [
        "\u{1b}OH": .home, "\u{1b}OF": .end, "\u{1b}OA": .up, "\u{1b}OB": .down, "\u{1b}OD": .left,
        "\u{1b}OC": .right, "\u{1b}[5~": .pageUp, "\u{1b}[6~": .pageDown, "\u{1b}[3~": .delete, "\u{1b}[Z": .backTab,
        "\u{1b}OP": .function(1), "\u{1b}OQ": .function(2), "\u{1b}OR": .function(3), "\u{1b}OS": .function(4),
        "\u{1b}[15~": .function(5), "\u{1b}[17~": .function(6), "\u{1b}[18~": .function(7),
        "\u{1b}[19~": .function(8), "\u{1b}[20~": .function(9), "\u{1b}[21~": .function(10),
        "\u{1b}[23~": .function(11), "\u{1b}[24~": .function(12), "\u{1b}[1;2P": .function(13),
        "\u{1b}[1;2Q": .function(14), "\u{1b}[1;2R": .function(15), "\u{1b}[1;2S": .function(16),
        "\u{1b}[15;2~": .function(17), "\u{1b}[17;2~": .function(18), "\u{1b}[18;2~": .function(19),
        "\u{1b}[19;2~": .function(20),
    ]
    /// tmux-256color and screen-256color: xterm's, but Home and End as the VT220 sends them.
    static let tmux256color: [String: Key] = xterm256color.filter { $0.value != .home && $0.value != .end }
        .merging(["\u{1b}[1~": .home, "\u{1b}[4~": .end]) { $1 }
    /// screen: tmux's without F13 and up.
    static let screen: [String: Key] = tmux256color.filter {
        if case .function(let number) = $0.value { return number <= 12 }
        return true
    }
    static let linux: [String: Key] = [
        "\u{1b}[1~": .home, "\u{1b}[4~": .end, "\u{1b}[A": .up, "\u{1b}[B": .down, "\u{1b}[D": .left,
        "\u{1b}[C": .right, "\u{1b}[5~": .pageUp, "\u{1b}[6~": .pageDown, "\u{1b}[3~": .delete, "\u{1b}\t": .backTab,
        "\u{1b}[[A": .function(1), "\u{1b}[[B": .function(2), "\u{1b}[[C": .function(3), "\u{1b}[[D": .function(4),
        "\u{1b}[[E": .function(5), "\u{1b}[17~": .function(6), "\u{1b}[18~": .function(7),
        "\u{1b}[19~": .function(8), "\u{1b}[20~": .function(9), "\u{1b}[21~": .function(10),
        "\u{1b}[23~": .function(11), "\u{1b}[24~": .function(12), "\u{1b}[25~": .function(13),
        "\u{1b}[26~": .function(14), "\u{1b}[28~": .function(15), "\u{1b}[29~": .function(16),
        "\u{1b}[31~": .function(17), "\u{1b}[32~": .function(18), "\u{1b}[33~": .function(19),
        "\u{1b}[34~": .function(20),
    ]
    /// rxvt-unicode-256color.
    static let rxvt: [String: Key] = linux.filter {
        if case .function(let number) = $0.value { return number > 5 }
        return $0.value != .home && $0.value != .end && $0.value != .backTab
    }.merging([
        "\u{1b}[7~": .home, "\u{1b}[8~": .end, "\u{1b}[Z": .backTab, "\u{1b}[11~": .function(1),
        "\u{1b}[12~": .function(2), "\u{1b}[13~": .function(3), "\u{1b}[14~": .function(4),
        "\u{1b}[15~": .function(5),
    ]) { $1 }

    static let all = [
        ("xterm-256color", xterm256color), ("tmux-256color", tmux256color), ("screen", screen), ("linux", linux),
        ("rxvt-unicode-256color", rxvt),
    ]
}

@Suite struct KeyDecoderTests {
    @Test func everyTerminfoKeyStringIsItsKeyAndOneKeyEvenWithoutTheTable() {
        for (term, strings) in Terminfo.all {
            for (sequence, key) in strings {
                #expect(decodedKeys(sequence, terminal: strings) == [key], "\(term) \(key.name)")
                // Read by the generic rules alone, it is still one key, and the same one unless
                // terminfo renames a key (xterm's F13 is Shift-F1, the linux console's Shift-Tab Alt-Tab).
                let generic = decodedKeys(sequence)
                #expect(generic.count == 1, "\(term) \(key.name): \(generic)")
                if !sequence.contains(";") && sequence != "\u{1b}\t" {
                    #expect(generic == [key], "\(term) \(key.name)")
                }
            }
        }
    }

    @Test func whatXtermSendsInNormalCursorMode() {
        let xterm = Terminfo.xterm256color
        #expect(decodedKeys("\u{1b}[A\u{1b}[B\u{1b}[C\u{1b}[D", terminal: xterm) == [.up, .down, .right, .left])
        #expect(decodedKeys("\u{1b}[H\u{1b}[F", terminal: xterm) == [.home, .end])
        #expect(decodedKeys("\u{1b}[1;5A", terminal: xterm) == [.unrecognised("Ctrl-Up")])
        #expect(decodedKeys("\u{1b}[1;3B", terminal: xterm) == [.unrecognised("Alt-Down")])
        #expect(decodedKeys("\u{1b}[1;2C", terminal: xterm) == [.unrecognised("Shift-Right")])
        #expect(decodedKeys("\u{1b}[1;8D", terminal: xterm) == [.unrecognised("Ctrl-Alt-Shift-Left")])
        #expect(decodedKeys("\u{1b}[1;5H", terminal: xterm) == [.unrecognised("Ctrl-Home")])
        #expect(decodedKeys("\u{1b}[24~\u{1b}[1;2P", terminal: xterm) == [.function(12), .function(13)])
        #expect(decodedKeys("\u{1b}[1;2P") == [.unrecognised("Shift-F1")])
        #expect(decodedKeys("\u{1b}[24;2~") == [.unrecognised("Shift-F12")])
        #expect(decodedKeys("\u{1b}[24;5~") == [.unrecognised("Ctrl-F12")])
        #expect(
            decodedKeys("\u{1b}[5~\u{1b}[6~\u{1b}[3~\u{1b}[2~", terminal: xterm) == [
                .pageUp, .pageDown, .delete, .unrecognised("Insert"),
            ])
        #expect(decodedKeys("\u{1b}[3;5~", terminal: xterm) == [.unrecognised("Ctrl-Delete")])
        #expect(
            decodedKeys("\u{1b}1\u{1b}2\u{1b}3", terminal: xterm) == [
                .unrecognised("Alt-1"), .unrecognised("Alt-2"), .unrecognised("Alt-3"),
            ])
        #expect(decodedKeys("\t\u{1b}[Z", terminal: xterm) == [.tab, .backTab])
        #expect(decodedKeys("\u{1b}OM", terminal: xterm) == [.enter])  // the keypad's Enter
    }

    /// Recorded from tmux 3.3a (`tmux send-keys`, read raw), the same whatever TERM says inside it.
    @Test func whatTmuxSendsWithEitherTerm() {
        for terminal in [Terminfo.tmux256color, Terminfo.xterm256color, [:]] {
            #expect(
                decodedKeys(
                    "\u{1b}1\u{1b}[24~\u{1b}[1~\u{1b}[4~\u{1b}OP\u{1b}[15~\u{1b}[A\u{1b}[5~\u{1b}[6~\u{1b}[3~\u{1b}[Z",
                    terminal: terminal)
                    == [
                        .unrecognised("Alt-1"), .function(12), .home, .end, .function(1), .function(5), .up, .pageUp,
                        .pageDown, .delete, .backTab,
                    ])
            #expect(
                decodedKeys("\u{1b}[1;5A\u{1b}[1;3A\u{1b}[1;2A", terminal: terminal) == [
                    .unrecognised("Ctrl-Up"), .unrecognised("Alt-Up"), .unrecognised("Shift-Up"),
                ])
        }
        #expect(decodedKeys("\u{1b}[1;2P", terminal: Terminfo.tmux256color) == [.function(13)])
    }

    @Test func whatScreenSends() {
        let screen = Terminfo.screen
        #expect(decodedKeys("\u{1b}[1~\u{1b}[4~\u{1b}OA\u{1b}[A", terminal: screen) == [.home, .end, .up, .up])
        #expect(decodedKeys("\u{1b}OP\u{1b}[24~", terminal: screen) == [.function(1), .function(12)])
        #expect(decodedKeys("\u{1b}x", terminal: screen) == [.unrecognised("Alt-x")])
    }

    @Test func whatTheLinuxConsoleSends() {
        let linux = Terminfo.linux
        #expect(
            decodedKeys("\u{1b}[[A\u{1b}[[B\u{1b}[[C\u{1b}[[D\u{1b}[[E\u{1b}[17~", terminal: linux)
                == (1...6).map(Key.function))
        #expect(decodedKeys("\u{1b}[[A") == [.function(1)])  // also without the table
        #expect(decodedKeys("\u{1b}[1~\u{1b}[4~\u{1b}[25~", terminal: linux) == [.home, .end, .function(13)])
        #expect(decodedKeys("\u{1b}\t", terminal: linux) == [.backTab])
        #expect(decodedKeys("\u{1b}\t") == [.unrecognised("Alt-Tab")])
        #expect(decodedKeys("\u{1b}[[Z") == [.unrecognised("ESC [ [ Z")])
    }

    @Test func whatRxvtSends() {
        let rxvt = Terminfo.rxvt
        #expect(decodedKeys("\u{1b}[7~\u{1b}[8~", terminal: rxvt) == [.home, .end])
        #expect(
            decodedKeys("\u{1b}[11~\u{1b}[12~\u{1b}[24~\u{1b}[25~", terminal: rxvt) == [1, 2, 12, 13].map(Key.function))
        #expect(
            decodedKeys("\u{1b}[7$\u{1b}[7^\u{1b}[7@\u{1b}[11^\u{1b}[5$", terminal: rxvt) == [
                .unrecognised("Shift-Home"), .unrecognised("Ctrl-Home"), .unrecognised("Ctrl-Shift-Home"),
                .unrecognised("Ctrl-F1"), .unrecognised("Shift-PgUp"),
            ])
        #expect(
            decodedKeys("\u{1b}[a\u{1b}Ob\u{1b}\u{1b}[A", terminal: rxvt) == [
                .unrecognised("Shift-Up"), .unrecognised("Ctrl-Down"), .unrecognised("Alt-Up"),
            ])
    }

    @Test func controlsEnterTabAndBackspace() {
        #expect(decodedKeys([0x7F, 0x08]) == [.backspace, .backspace])
        #expect(decodedKeys("\r\n") == [.enter, .enter])
        #expect(
            decodedKeys([0x09, 0x01, 0x12, 0x1A, 0x00, 0x1C, 0x1F]) == [
                .tab, .control("a"), .control("r"), .control("z"), .control("@"), .control("\\"), .control("_"),
            ])
        #expect(decodedKeys("q 0") == [.character("q"), .character(" "), .character("0")])
    }

    @Test func multibyteCharactersAlsoWhenSplitAcrossReads() {
        for text in ["é", "日", "🍎", "ß"] {
            let bytes = Array(text.utf8)
            #expect(decodedKeys(bytes) == [.character(Character(text))])
            for split in 1..<bytes.count {
                var decoder = KeyDecoder()
                #expect(decoder.decode(bytes[..<split]).isEmpty)
                #expect(decoder.isWaiting)
                #expect(decoder.decode(bytes[split...]) == [.character(Character(text))], "\(text) split at \(split)")
                #expect(!decoder.isWaiting)
            }
        }
        #expect(decodedKeys([0xFF, 0x61]) == [.unrecognised("byte 0xFF"), .character("a")])
        #expect(decodedKeys([0xC3, 0x61]) == [.unrecognised("byte 0xC3"), .character("a")])
        #expect(decodedKeys([0xE6, 0x97]) == [.unrecognised("bytes 0xE6 0x97")])  // cut off by the timeout
        #expect(decodedKeys([0xC0, 0xAF]) == [.unrecognised("byte 0xC0"), .unrecognised("byte 0xAF")])  // overlong
        #expect(decodedKeys([0xED, 0xA0, 0x80]) == [.unrecognised("bytes 0xED 0xA0 0x80")])  // a surrogate
    }

    @Test func aLoneEscapeIsEscapeOnlyAfterTheTimeout() {
        var decoder = KeyDecoder()
        #expect(decoder.decode([0x1B]).isEmpty)
        #expect(decoder.isWaiting)
        #expect(decoder.flush() == [.escape])
        #expect(!decoder.isWaiting)
        // The rest of a sequence arriving in the next read, before the timeout.
        #expect(decoder.decode(Array("\u{1b}[2".utf8)).isEmpty)
        #expect(decoder.decode(Array("4~".utf8)) == [.function(12)])
        #expect(decoder.decode(Array("\u{1b}".utf8)).isEmpty)
        #expect(decoder.decode(Array("1".utf8)) == [.unrecognised("Alt-1")])
        // Escape, then keys typed after the timeout are themselves.
        #expect(decoder.decode([0x1B]).isEmpty)
        #expect(decoder.flush() == [.escape])
        #expect(decoder.decode(Array("[1~".utf8)) == [.character("["), .character("1"), .character("~")])
    }

    @Test func escapeEscapeIsEscapeTwiceOrAltWithASequence() {
        #expect(decodedKeys("\u{1b}\u{1b}") == [.escape, .escape])
        #expect(decodedKeys("\u{1b}\u{1b}[A") == [.unrecognised("Alt-Up")])
        #expect(decodedKeys("\u{1b}\u{1b}OP") == [.unrecognised("Alt-F1")])
        #expect(decodedKeys("\u{1b}\u{1b}x") == [.escape, .unrecognised("Alt-x")])
    }

    @Test func altChordsAreOneKeyWithAPrintableName() {
        #expect(
            decodedKeys("\u{1b}é\u{1b}\u{01}\u{1b}\r\u{1b}\u{7f}\u{1b} ") == [
                .unrecognised("Alt-é"), .unrecognised("Alt-Ctrl-A"), .unrecognised("Alt-Enter"),
                .unrecognised("Alt-Backspace"), .unrecognised("Alt-Space"),
            ])
        #expect(decodedKeys("\u{1b}\u{200B}") == [.unrecognised("Alt-U+200B")])  // invisible: by code point
        #expect(decodedKeys("\u{1b}[") == [.unrecognised("Alt-[")])
        #expect(decodedKeys("\u{1b}O") == [.unrecognised("Alt-O")])
    }

    @Test func unknownSequencesAreConsumedWhole() {
        #expect(decodedKeys("\u{1b}[99~2") == [.unrecognised("ESC [ 9 9 ~"), .character("2")])
        #expect(decodedKeys("\u{1b}[?1;2c") == [.unrecognised("ESC [ ? 1 ; 2 c")])  // a device-attributes reply
        #expect(
            decodedKeys("\u{1b}[200~x\u{1b}[201~") == [
                .unrecognised("ESC [ 2 0 0 ~"), .character("x"), .unrecognised("ESC [ 2 0 1 ~"),
            ])
        #expect(decodedKeys("\u{1b}[1;99A") == [.unrecognised("ESC [ 1 ; 9 9 A")])
        #expect(decodedKeys("\u{1b}Oz") == [.unrecognised("ESC O z")])
        // Broken off by a control or another sequence: what came before is one key, the rest is read on.
        #expect(decodedKeys("\u{1b}[12\u{1b}[A") == [.unrecognised("ESC [ 1 2"), .up])
        #expect(decodedKeys("\u{1b}[1;2\r") == [.unrecognised("ESC [ 1 ; 2"), .enter])
        #expect(decodedKeys("\u{1b}[24") == [.unrecognised("ESC [ 2 4")])  // cut off by the timeout
        // Longer than any key: one key, and the rest is dropped up to its end, however it arrives.
        let long = "\u{1b}[" + String(repeating: "1", count: 40) + "~x"
        #expect(
            decodedKeys(long) == [
                .unrecognised("ESC [ " + Array(repeating: "1", count: 33).joined(separator: " ") + " ..."),
                .character("x"),
            ])
        var decoder = KeyDecoder()
        #expect(decoder.decode(Array(long.utf8.prefix(36))).count == 1)
        #expect(decoder.decode(Array(long.utf8.dropFirst(36))) == [.character("x")])
    }

    @Test func noSequenceEverBecomesTheDigitsItCarries() {
        let sequences =
            Terminfo.all.flatMap { $0.1.keys } + [
                "\u{1b}1", "\u{1b}[1;5A", "\u{1b}[25;3~", "\u{1b}[11^", "\u{1b}[2$", "\u{1b}[99~", "\u{1b}[1;2;3;4;5R",
            ]
        for sequence in sequences {
            for split in 1..<sequence.utf8.count {
                var decoder = KeyDecoder()
                let bytes = Array(sequence.utf8)
                let keys = decoder.decode(bytes[..<split]) + decoder.decode(bytes[split...]) + decoder.flush()
                #expect(keys.count == 1, "\(bytes) split at \(split): \(keys)")
            }
        }
    }

    @Test func keypadInApplicationModeTypesItsCharacters() {
        #expect(decodedKeys("\u{1b}Oq\u{1b}Op\u{1b}Ok\u{1b}Oy") == "10+9".map(Key.character))
        #expect(decodedKeys("\u{1b}O5A") == [.unrecognised("Ctrl-Up")])
    }

    @Test func mouseReports() {
        #expect(decodedKeys("\u{1b}[<0;6;8M") == [.mouse(MouseEvent(.press, x: 5, y: 7))])
        #expect(decodedKeys("\u{1b}[<0;6;8m").isEmpty)  // a release
        #expect(
            decodedKeys("\u{1b}[<64;1;1M\u{1b}[<65;10;2M\u{1b}[<69;10;2M") == [
                .mouse(MouseEvent(.wheelUp, x: 0, y: 0)), .mouse(MouseEvent(.wheelDown, x: 9, y: 1)),
                .mouse(MouseEvent(.wheelDown, x: 9, y: 1)),
            ])
        #expect(decodedKeys("\u{1b}[<2;6;8M\u{1b}[<32;6;8M").isEmpty)  // right button, a drag
        // X10: three raw bytes, even those above 127 (column 200), never read as text.
        let press: [UInt8] = [0x1B, 0x5B, 0x4D, 32, 33 + 5, 33 + 7]
        let farRight: [UInt8] = [0x1B, 0x5B, 0x4D, 32 + 65, 33 + 200, 33 + 3]
        let release: [UInt8] = [0x1B, 0x5B, 0x4D, 32 + 3, 33 + 5, 33 + 7]
        #expect(
            decodedKeys(press + farRight + release + [0x6A], mouse: true) == [
                .mouse(MouseEvent(.press, x: 5, y: 7)), .mouse(MouseEvent(.wheelDown, x: 200, y: 3)), .character("j"),
            ])
        var decoder = KeyDecoder(mouse: true)
        #expect(decoder.decode(press[..<4]).isEmpty)
        #expect(decoder.decode(press[4...]) == [.mouse(MouseEvent(.press, x: 5, y: 7))])
    }

    @Test func namesArePrintableAscii() {
        let keys = decodedKeys("\u{1b}[99;\u{7f}\u{1b}\u{1b}[1;99~\u{1b}\u{85}\u{1b}[\u{1b}O\u{1b}\u{202E}")
        #expect(decodedKeys([0x1B, 0x9B]) == [.unrecognised("ESC 0x9B")])
        for key in keys {
            guard case .unrecognised(let name) = key else { continue }
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }, "\(name)")
        }
    }
}
