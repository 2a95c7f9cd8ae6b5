import CNCursesW
import Glibc
import Synchronization
import TUIKit

/// The last SIGINT/SIGTERM/SIGHUP received; the handler only stores it, the loop acts on it.
private let pendingSignal = Atomic<Int32>(0)

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case cannotInitialise(term: String)

    public var description: String {
        switch self {
        case .notATerminal: return "the full-screen view needs a terminal on standard input and output"
        case .cannotInitialise(let term): return "cannot initialise the terminal (TERM=\(term))"
        }
    }
}

/// The only code that talks to ncurses. Deliberately not Sendable: ncurses is single-threaded, so the
/// terminal stays on the thread that runs the event loop.
public final class NCursesTerminal: TerminalScreen {
    public let colorMode: ColorMode
    /// False when not even C.UTF-8 could be set: draw boxes and bars in ASCII then.
    public let isUTF8: Bool
    private let screen: OpaquePointer
    private var previous: Grid?
    private var pairs: [PairKey: Int32] = [:]
    private var isShutDown = false

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// - Parameter noColor: monochrome regardless of the terminal (NO_COLOR, --no-color).
    /// With `mouse`, clicks and the wheel arrive as `.mouse` keys (the terminal then selects text
    /// only with Shift held, as in other full-screen tools).
    public init(noColor: Bool, environment: [String: String], mouse: Bool = false) throws {
        // Without a terminal, wget_wch returns ERR at once forever and the loop would spin.
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        if setlocale(LC_ALL, "") == nil || !String(cString: tui_codeset()).uppercased().contains("UTF-8") {
            _ = setlocale(LC_ALL, "C.UTF-8")
        }
        isUTF8 = String(cString: tui_codeset()).uppercased().contains("UTF-8")
        guard let screen = tui_newterm() else {
            throw TerminalError.cannotInitialise(term: environment["TERM"] ?? "")
        }
        self.screen = screen
        _ = set_term(screen)
        Self.installSignalHandlers()
        _ = raw()
        _ = noecho()
        _ = nonl()
        _ = keypad(tui_stdscr(), true)
        _ = set_escdelay(25)
        if mouse { tui_enable_mouse() }
        _ = curs_set(0)
        if !noColor && environment["TERM"] != "dumb" && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors = tui_colors()
            colorMode = colors >= 0x100_0000 ? .truecolor : colors >= 256 ? .xterm256 : colors >= 16 ? .ansi16 : .ansi8
        } else {
            colorMode = .monochrome
        }
    }

    deinit { shutdown() }

    public var size: (width: Int, height: Int) { (Int(tui_cols()), Int(tui_lines())) }

    /// The signal that asked us to stop, if any (the caller exits with 128 + signal).
    public var receivedSignal: Int32? {
        let signal = pendingSignal.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    public func draw(_ grid: Grid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { _ = clearok(tui_stdscr(), true) }
        var characters = [wchar_t](repeating: 0, count: 6)
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation || (!full && previous?[x, y] == cell) { continue }
                var count = 0
                for scalar in cell.character.unicodeScalars where count < 5 {
                    characters[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                characters[count] = 0
                let (attributes, pair) = resolve(cell.style)
                // The bottom-right cell reports ERR because the cursor cannot advance; it is drawn anyway.
                _ = tui_put_cell(Int32(y), Int32(x), characters, attributes, pair)
            }
        }
        previous = grid
        _ = wnoutrefresh(tui_stdscr())
        _ = doupdate()
    }

    public func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent? {
        wtimeout(tui_stdscr(), timeoutMilliseconds)
        var character: wint_t = 0
        let status = wget_wch(tui_stdscr(), &character)
        if status == KEY_CODE_YES {
            if Int32(character) == KEY_RESIZE {
                previous = nil
                return .resize(width: size.width, height: size.height)
            }
            if Int32(character) == KEY_MOUSE {
                var x: Int32 = 0
                var y: Int32 = 0
                let buttons: [Int32: MouseEvent.Button] = [1: .press, 4: .wheelUp, 5: .wheelDown]
                return buttons[tui_mouse_event(&x, &y)].map { .key(.mouse(MouseEvent($0, x: Int(x), y: Int(y)))) }
            }
            return Self.functionKey(Int32(character)).map(TerminalEvent.key)
        }
        guard status == OK, let scalar = Unicode.Scalar(character) else { return nil }
        return .key(Self.key(for: scalar))
    }

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        _ = endwin()
        delscreen(screen)
    }

    // MARK: Styles

    private func resolve(_ style: Style) -> (attr_t, Int32) {
        var attributes: attr_t = 0
        if style.attributes.contains(.bold) { attributes |= tui_a_bold() }
        if style.attributes.contains(.dim) { attributes |= tui_a_dim() }
        if style.attributes.contains(.reverse) { attributes |= tui_a_reverse() }
        if style.attributes.contains(.underline) { attributes |= tui_a_underline() }
        if style.attributes.contains(.italic) { attributes |= tui_a_italic() }
        guard colorMode != .monochrome else { return (attributes, 0) }
        let key = PairKey(
            foreground: style.foreground.terminalIndex(for: colorMode),
            background: style.background.terminalIndex(for: colorMode))
        if key.foreground == -1 && key.background == -1 { return (attributes, 0) }
        if let pair = pairs[key] { return (attributes, pair) }
        let pair = Int32(pairs.count + 1)
        guard pair < tui_color_pairs() else { return (attributes, 0) }
        _ = init_extended_pair(pair, Int32(key.foreground), Int32(key.background))
        pairs[key] = pair
        return (attributes, pair)
    }

    // MARK: Keys

    private static func key(for scalar: Unicode.Scalar) -> Key {
        switch scalar.value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(scalar.value + 96)!))
        default: return .character(Character(scalar))
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    // MARK: Signals

    private static func installSignalHandlers() {
        // After newterm, so ncurses does not install its own; no SA_RESTART, so a blocked wget_wch
        // returns at once and the loop sees the signal.
        // A parent may have left these blocked (the mask survives exec); unblock them, or a kill
        // would never reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaddset(&unblock, signal)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in pendingSignal.store(received, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
