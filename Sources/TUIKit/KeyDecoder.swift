/// Turns the bytes a terminal sends into keys: UTF-8 text, C0 controls, CSI and SS3 sequences with
/// xterm's modifiers, the VT220 `ESC [ n ~` keys (with rxvt's `$ ^ @` modifier finals), the linux
/// console's `ESC [ [ A`…`E`, mouse reports, and the terminal's own key strings from terminfo.
///
/// Every sequence is consumed whole: what it is made of never reaches a screen as keystrokes (the
/// `1` of an unknown `ESC [ 1 ~` would place an action into a tier). What is known but unbound
/// (Alt-chords, modified keys) and what is unknown comes out as one `.unrecognised` key.
///
/// Pure: the backend reads the bytes and, when `isWaiting`, calls `flush` once
/// `escapeTimeoutMilliseconds` pass without another byte (a lone ESC is the Escape key then).
public struct KeyDecoder: Sendable {
    /// Long enough for a sequence split across reads (even over ssh), short enough not to be felt.
    public static let escapeTimeoutMilliseconds: Int32 = 25

    private let terminalKeys: [[UInt8]: Key]
    private let mouse: Bool
    private var pending: [UInt8] = []
    /// An overlong sequence was reported; its remaining parameter bytes are dropped as they come.
    private var isDiscardingParameters = false

    /// - Parameters:
    ///   - terminalKeys: the terminal's key strings (terminfo `khome`, `kf1`, …); they take
    ///     precedence over the generic reading of the same sequence (xterm's `kf13` is `ESC [ 1 ; 2 P`).
    ///     Only strings that start with ESC are used: single bytes mean the same everywhere.
    ///   - mouse: whether X10 mouse reports (`ESC [ M` and three raw bytes) are expected. SGR
    ///     reports (`ESC [ < b ; x ; y M`) are unambiguous and always read.
    public init(terminalKeys: [[UInt8]: Key] = [:], mouse: Bool = false) {
        self.terminalKeys = terminalKeys.filter { $0.key.count > 1 && $0.key.first == escape }
        self.mouse = mouse
    }

    /// Bytes are held that may begin a longer sequence.
    public var isWaiting: Bool { !pending.isEmpty }

    /// The keys these bytes complete; an unfinished sequence is kept for the next call.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        return drain(timedOut: false)
    }

    /// The escape timeout passed with no more bytes: what is held is all there is.
    public mutating func flush() -> [Key] { drain(timedOut: true) }

    private mutating func drain(timedOut: Bool) -> [Key] {
        var keys: [Key] = []
        var start = pending.startIndex
        while start < pending.endIndex {
            if isDiscardingParameters {
                start = discardParameters(from: start)
                continue
            }
            switch step(Input(bytes: pending[start...], timedOut: timedOut)) {
            case .needsMore:
                pending.removeSubrange(..<start)
                return keys
            case .complete(let key, let length):
                if let key { keys.append(key) }
                start += length
            case .tooLong(let key, let length):
                keys.append(key)
                start += length
                isDiscardingParameters = true
            }
        }
        pending.removeAll()
        return keys
    }

    /// The rest of an overlong sequence, up to and with its final byte, as it arrives.
    private mutating func discardParameters(from start: Int) -> Int {
        var index = start
        while index < pending.endIndex && Self.isParameter(pending[index]) { index += 1 }
        if index < pending.endIndex {
            isDiscardingParameters = false
            if Self.isFinal(pending[index]) { index += 1 }
        }
        return index
    }

    // MARK: One key

    private struct Input {
        let bytes: ArraySlice<UInt8>
        /// No more bytes are coming soon: a sequence cut short ends where the bytes end.
        let timedOut: Bool

        subscript(offset: Int) -> UInt8? { offset < bytes.count ? bytes[bytes.startIndex + offset] : nil }
        var count: Int { bytes.count }
        func prefix(_ length: Int) -> ArraySlice<UInt8> { bytes.prefix(length) }
        func dropFirst(_ length: Int) -> Input { Input(bytes: bytes.dropFirst(length), timedOut: timedOut) }
    }

    private enum Step {
        /// `length` bytes read as one key, or as nothing to report (a mouse release).
        case complete(Key?, length: Int)
        case needsMore
        /// `length` bytes of a sequence with more parameters than any key has; the rest is dropped too.
        case tooLong(Key, length: Int)
    }

    private func step(_ input: Input) -> Step {
        guard let first = input[0] else { return .needsMore }
        switch first {
        case escape: return escapeSequence(input)
        case 0x00..<0x20, 0x7F: return .complete(Self.controlKey(first), length: 1)
        case 0x20..<0x7F: return .complete(.character(Character(Unicode.Scalar(first))), length: 1)
        default: return Self.utf8Character(input)
        }
    }

    private static func controlKey(_ byte: UInt8) -> Key {
        switch byte {
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x08, 0x7F: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(byte + 0x60)))
        default: return .control(Character(Unicode.Scalar(byte + 0x40)))  // NUL is Ctrl-@, 0x1C-0x1F Ctrl-\ ] ^ _
        }
    }

    private static func utf8Character(_ input: Input) -> Step {
        let lead = input[0]!
        let (length, minimum): (Int, UInt32)
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x1_0000, UInt32(lead & 0x07))
        default: return .complete(.unrecognised(bytesName(input.prefix(1))), length: 1)
        }
        for offset in 1..<length {
            guard let byte = input[offset] else {
                return input.timedOut
                    ? .complete(.unrecognised(bytesName(input.prefix(offset))), length: offset) : .needsMore
            }
            guard byte & 0xC0 == 0x80 else {
                return .complete(.unrecognised(bytesName(input.prefix(offset))), length: offset)
            }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else {
            return .complete(.unrecognised(bytesName(input.prefix(length))), length: length)
        }
        return .complete(.character(Character(scalar)), length: length)
    }

    // MARK: Sequences

    private func escapeSequence(_ input: Input) -> Step {
        guard let second = input[1] else { return input.timedOut ? .complete(.escape, length: 1) : .needsMore }
        let step: Step
        switch second {
        case UInt8(ascii: "["): step = controlSequence(input)
        case UInt8(ascii: "O"): step = singleShift(input)
        case escape: step = escapeBeforeSequence(input)
        default:
            // ESC and one character: the terminal's way of sending Alt with it.
            guard case .complete(let key, let length) = self.step(input.dropFirst(1)) else { return .needsMore }
            // An invalid byte after ESC is named by its bytes, not as "Alt-byte 0x9B".
            let isValid = key.map { if case .unrecognised = $0 { false } else { true } } ?? false
            let name = isValid ? "Alt-" + key!.name : Self.sequenceName(input.prefix(1 + length))
            step = .complete(.unrecognised(name), length: 1 + length)
        }
        guard case .complete(_, let length) = step, let known = terminalKeys[Array(input.prefix(length))] else {
            return step
        }
        return .complete(known, length: length)
    }

    /// ESC ESC: Alt with a sequence (rxvt's Alt-Up is `ESC ESC [ A`), or Escape pressed twice.
    private func escapeBeforeSequence(_ input: Input) -> Step {
        guard let third = input[2] else { return input.timedOut ? .complete(.escape, length: 1) : .needsMore }
        guard third == UInt8(ascii: "[") || third == UInt8(ascii: "O") else { return .complete(.escape, length: 1) }
        switch escapeSequence(input.dropFirst(1)) {
        case .needsMore: return .needsMore
        case .complete(let key, let length):
            return .complete(key.map { .unrecognised("Alt-" + $0.name) }, length: 1 + length)
        case .tooLong(let key, let length): return .tooLong(key, length: 1 + length)
        }
    }

    /// Parameter and intermediate bytes allowed before a sequence counts as garbage.
    private static let maximumParameterLength = 32

    /// rxvt's `$` (Shift) is an intermediate byte by the standard, but ends its keys.
    private static func isParameter(_ byte: UInt8) -> Bool { (0x20...0x3F).contains(byte) && byte != UInt8(ascii: "$") }
    private static func isFinal(_ byte: UInt8) -> Bool { (0x40...0x7E).contains(byte) || byte == UInt8(ascii: "$") }

    /// `ESC [` parameters final.
    private func controlSequence(_ input: Input) -> Step {
        guard let third = input[2] else {
            return input.timedOut ? .complete(.unrecognised("Alt-["), length: 2) : .needsMore
        }
        if third == UInt8(ascii: "[") { return Self.linuxFunctionKey(input) }
        if third == UInt8(ascii: "M") && mouse {
            guard input.count >= 6 else { return input.timedOut ? .complete(nil, length: input.count) : .needsMore }
            return .complete(Self.x10Mouse(input[3]!, input[4]!, input[5]!), length: 6)
        }
        var end = 2
        while let byte = input[end], Self.isParameter(byte) {
            end += 1
            if end - 2 > Self.maximumParameterLength {
                return .tooLong(.unrecognised(Self.sequenceName(input.prefix(end)) + " ..."), length: end)
            }
        }
        guard let final = input[end] else {
            return input.timedOut
                ? .complete(.unrecognised(Self.sequenceName(input.prefix(end))), length: end) : .needsMore
        }
        // Anything else (a control, another ESC) breaks the sequence off before it.
        guard Self.isFinal(final) else {
            return .complete(.unrecognised(Self.sequenceName(input.prefix(end))), length: end)
        }
        let parameters = String(decoding: input.prefix(end).dropFirst(2), as: UTF8.self)
        let name = Self.sequenceName(input.prefix(end + 1))
        return .complete(Self.controlSequenceKey(parameters, final: final, name: name), length: end + 1)
    }

    /// `ESC [ [ A` … `ESC [ [ E`: F1-F5 on the linux console.
    private static func linuxFunctionKey(_ input: Input) -> Step {
        guard let fourth = input[3] else {
            return input.timedOut ? .complete(.unrecognised(sequenceName(input.prefix(3))), length: 3) : .needsMore
        }
        switch fourth {
        case UInt8(ascii: "A")...UInt8(ascii: "E"): return .complete(.function(Int(fourth - 0x40)), length: 4)
        case 0x20..<0x7F: return .complete(.unrecognised(sequenceName(input.prefix(4))), length: 4)
        default: return .complete(.unrecognised(sequenceName(input.prefix(3))), length: 3)
        }
    }

    private static func controlSequenceKey(_ parameters: String, final: UInt8, name: String) -> Key? {
        if parameters.hasPrefix("<") { return sgrMouse(parameters.dropFirst(), final: final, name: name) }
        guard let numbers = numbers(parameters) else { return .unrecognised(name) }
        let first = numbers.first ?? nil
        switch final {
        case UInt8(ascii: "~"):
            guard numbers.count <= 2, let first, let key = vt220Key(first) else { return .unrecognised(name) }
            return modified(key, numbers.count == 2 ? numbers[1] : 1, name: name)
        case UInt8(ascii: "$"), UInt8(ascii: "^"), UInt8(ascii: "@"):
            // rxvt: Shift, Ctrl, Ctrl-Shift.
            guard numbers.count == 1, let first, let key = vt220Key(first) else { return .unrecognised(name) }
            let modifier = final == UInt8(ascii: "$") ? 2 : final == UInt8(ascii: "^") ? 5 : 6
            return modified(key, modifier, name: name)
        case UInt8(ascii: "a")...UInt8(ascii: "d"):
            // rxvt: Shift with an arrow.
            guard numbers == [nil] else { return .unrecognised(name) }
            return modified(arrows[Int(final - UInt8(ascii: "a"))], 2, name: name)
        default:
            // `ESC [ A`, or with xterm's modifier `ESC [ 1 ; 5 A`.
            guard let key = cursorKey(final), numbers.count <= 2, first == nil || first == 1 else {
                return .unrecognised(name)
            }
            return modified(key, numbers.count == 2 ? numbers[1] : 1, name: name)
        }
    }

    /// `ESC O` final, or with a modifier `ESC O 5 A`: keys in application mode, F1-F4, the keypad.
    private func singleShift(_ input: Input) -> Step {
        var end = 2
        while let byte = input[end], (0x30...0x3F).contains(byte) {
            end += 1
            if end - 2 > Self.maximumParameterLength {
                return .tooLong(.unrecognised(Self.sequenceName(input.prefix(end)) + " ..."), length: end)
            }
        }
        guard let final = input[end] else {
            guard input.timedOut else { return .needsMore }
            let name = end == 2 ? "Alt-O" : Self.sequenceName(input.prefix(end))
            return .complete(.unrecognised(name), length: end)
        }
        guard (0x40...0x7E).contains(final) else {
            let name = end == 2 ? "Alt-O" : Self.sequenceName(input.prefix(end))
            return .complete(.unrecognised(name), length: end)
        }
        let name = Self.sequenceName(input.prefix(end + 1))
        guard let numbers = Self.numbers(String(decoding: input.prefix(end).dropFirst(2), as: UTF8.self)),
            numbers.allSatisfy({ $0 != nil }) || numbers == [nil]
        else { return .complete(.unrecognised(name), length: end + 1) }
        let modifier = (numbers.last ?? nil) ?? 1
        let key: Key
        switch final {
        case UInt8(ascii: "M"): key = .enter
        case UInt8(ascii: "X"): key = .character("=")
        case UInt8(ascii: "j")...UInt8(ascii: "y"):
            // The keypad in application mode: * + , - . / and the digits.
            key = .character(Array("*+,-./0123456789")[Int(final - UInt8(ascii: "j"))])
        case UInt8(ascii: "a")...UInt8(ascii: "d"):
            // rxvt: Ctrl with an arrow.
            return .complete(Self.modified(Self.arrows[Int(final - UInt8(ascii: "a"))], 5, name: name), length: end + 1)
        default:
            guard let cursor = Self.cursorKey(final) else { return .complete(.unrecognised(name), length: end + 1) }
            key = cursor
        }
        return .complete(Self.modified(key, modifier, name: name), length: end + 1)
    }

    private static let arrows: [Key] = [.up, .down, .right, .left]

    private static func cursorKey(_ final: UInt8) -> Key? {
        switch final {
        case UInt8(ascii: "A")...UInt8(ascii: "D"): return arrows[Int(final - UInt8(ascii: "A"))]
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "E"): return .unrecognised("Begin")  // the keypad's 5 without Num Lock
        case UInt8(ascii: "P")...UInt8(ascii: "S"): return .function(Int(final - UInt8(ascii: "P")) + 1)
        case UInt8(ascii: "Z"): return .backTab
        default: return nil
        }
    }

    /// `ESC [ n ~`: the editing keys, and F1-F20 by the VT220's numbering (rxvt and the linux console
    /// send `11~`-`15~` for F1-F5; xterm sends those as `ESC O P`…).
    private static func vt220Key(_ number: Int) -> Key? {
        switch number {
        case 1, 7: return .home
        case 2: return .unrecognised("Insert")
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(number - 10)
        case 17...21: return .function(number - 11)
        case 23...26: return .function(number - 12)
        case 28, 29: return .function(number - 13)
        case 31...34: return .function(number - 14)
        default: return nil
        }
    }

    /// A key with xterm's modifier parameter (1 + Shift 1, Alt 2, Ctrl 4, Meta 8); plain with none.
    private static func modified(_ key: Key, _ modifier: Int?, name: String) -> Key {
        guard let modifier, (1...16).contains(modifier) else { return .unrecognised(name) }
        let bits = modifier - 1
        guard bits != 0 else { return key }
        let names = [(4, "Ctrl-"), (2, "Alt-"), (8, "Meta-"), (1, "Shift-")]
        return .unrecognised(names.filter { bits & $0.0 != 0 }.map(\.1).joined() + key.name)
    }

    /// Decimal parameters separated by `;`, nil where one is left out; nil when something else is there.
    private static func numbers(_ parameters: String) -> [Int?]? {
        var numbers: [Int?] = []
        for part in parameters.split(separator: ";", omittingEmptySubsequences: false) {
            if part.isEmpty {
                numbers.append(nil)
            } else {
                guard part.allSatisfy(\.isASCIIDigit), let number = Int(part) else { return nil }
                numbers.append(number)
            }
        }
        return numbers
    }

    // MARK: Mouse

    /// `ESC [ < button ; column ; row M` (press) or `m` (release), 1-based.
    private static func sgrMouse(_ parameters: Substring, final: UInt8, name: String) -> Key? {
        guard final == UInt8(ascii: "M") || final == UInt8(ascii: "m"), let numbers = numbers(String(parameters)),
            numbers.count == 3, let button = numbers[0], let column = numbers[1], let row = numbers[2],
            column >= 1, row >= 1
        else { return .unrecognised(name) }
        return mouseKey(button: button, released: final == UInt8(ascii: "m"), x: column - 1, y: row - 1)
    }

    /// `ESC [ M` and three bytes: 32 + button, 33 + column, 33 + row.
    private static func x10Mouse(_ button: UInt8, _ column: UInt8, _ row: UInt8) -> Key? {
        guard button >= 32, column >= 33, row >= 33 else { return nil }
        return mouseKey(button: Int(button - 32), released: false, x: Int(column - 33), y: Int(row - 33))
    }

    /// Presses of the first button and wheel steps; releases, drags and other buttons mean nothing.
    private static func mouseKey(button: Int, released: Bool, x: Int, y: Int) -> Key? {
        let motion = 32
        let shiftMetaCtrl = 4 | 8 | 16
        guard !released, button & motion == 0 else { return nil }
        let buttons: [Int: MouseEvent.Button] = [0: .press, 64: .wheelUp, 65: .wheelDown]
        return buttons[button & ~shiftMetaCtrl].map { .mouse(MouseEvent($0, x: x, y: y)) }
    }

    // MARK: Names

    /// `ESC [ 2 4 ; 2 ~`: the bytes of a sequence, printable whatever they are.
    private static func sequenceName(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { byte in
            switch byte {
            case escape: return "ESC"
            case 0x21..<0x7F: return String(Unicode.Scalar(byte))
            default: return hexadecimal(byte)
            }
        }.joined(separator: " ")
    }

    private static func bytesName(_ bytes: ArraySlice<UInt8>) -> String {
        (bytes.count == 1 ? "byte " : "bytes ") + bytes.map(hexadecimal).joined(separator: " ")
    }

    private static func hexadecimal(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" : "") + digits
    }
}

private let escape: UInt8 = 0x1B

extension Key {
    /// How a hint names the key: "Up", "F12", "Ctrl-A", "é"; never a control or invisible character.
    var name: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return character.isPrintableName ? String(character) : character.codePoints
        case .control(let character): return "Ctrl-" + character.uppercased()
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .function(let number): return "F\(number)"
        case .mouse: return "mouse"
        case .unrecognised(let name): return name
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }

    /// Letters, digits, punctuation and symbols stand for themselves in a hint.
    fileprivate var isPrintableName: Bool {
        guard unicodeScalars.count == 1 else { return false }
        switch unicodeScalars.first!.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
            .letterNumber, .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol,
            .otherSymbol:
            return true
        default: return false
        }
    }

    fileprivate var codePoints: String {
        unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
