import CNCursesW
import Glibc
import Synchronization
import TUIKit

/// The last SIGINT/SIGTERM/SIGHUP received; the handler only stores it, the loop acts on it.
private let pendingSignal = Atomic<Int32>(0)
/// SIGWINCH arrived: the loop asks the terminal for its new size.
private let pendingResize = Atomic<Bool>(false)
/// The write end of a pipe the handlers write a byte to, so that a wait for input ends at once even
/// when the signal arrives just before it starts.
private let wakeUpWriter = Atomic<Int32>(-1)

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case cannotInitialise(term: String)
    /// TERM=dumb and the like: no cursor addressing, so no full screen.
    case cannotAddressCursor(term: String)

    public var description: String {
        switch self {
        case .notATerminal: return "the full-screen view needs a terminal on standard input and output"
        case .cannotInitialise(let term): return "cannot initialise the terminal (TERM=\(term))"
        case .cannotAddressCursor(let term):
            return "TERM=\(term) cannot move the cursor, which the full-screen view needs; "
                + "run it in a terminal such as xterm, tmux or the linux console"
        }
    }
}

/// The only code that talks to ncurses. Deliberately not Sendable: ncurses is single-threaded, so the
/// terminal stays on the thread that runs the event loop.
public final class NCursesTerminal: TerminalScreen {
    public let colorMode: ColorMode
    /// False when the user's locale is not UTF-8 (LANG=C, a Latin-1 locale): boxes, bars and every
    /// other character are drawn in ASCII then.
    public let isUTF8: Bool
    private let screen: OpaquePointer
    private var previous: Grid?
    private var pairs: [PairKey: Int32] = [:]
    private var isShutDown = false
    private var decoder: KeyDecoder
    /// Keys decoded from one read beyond the first, handed out before the next read.
    private var decodedKeys: [Key] = []
    private let wakeUpReader: Int32

    private struct PairKey: Hashable {
        var foreground: Int
        var background: Int
    }

    /// - Parameter noColor: monochrome regardless of the terminal (NO_COLOR, --no-color).
    /// With `mouse`, clicks and the wheel arrive as `.mouse` keys (the terminal then selects text
    /// only with Shift held, as in other full-screen tools).
    public init(noColor: Bool, environment: [String: String], mouse: Bool = false) throws {
        if let problem = Self.fullScreenProblem(environment: environment) { throw problem }
        isUTF8 = Self.selectLocale(environment)
        guard let screen = tui_newterm() else {
            throw TerminalError.cannotInitialise(term: environment["TERM"] ?? "")
        }
        self.screen = screen
        _ = set_term(screen)
        wakeUpReader = Self.installSignalHandlers()
        // The input is read byte by byte and decoded here (keypad stays off): ncurses' own key
        // matching splits sequences its terminfo entry does not list into keystrokes.
        _ = raw()
        _ = noecho()
        _ = nonl()
        decoder = KeyDecoder(terminalKeys: Self.terminalKeys(), mouse: mouse)
        if mouse { tui_enable_mouse() }
        _ = curs_set(0)
        if !noColor && has_colors() {
            _ = start_color()
            _ = use_default_colors()
            let colors = tui_colors()
            colorMode = colors >= 0x100_0000 ? .truecolor : colors >= 256 ? .xterm256 : colors >= 16 ? .ansi16 : .ansi8
        } else {
            colorMode = .monochrome
        }
    }

    deinit { shutdown() }

    /// Why the full screen cannot run here, if it cannot: no terminal, an unknown TERM, or one that
    /// cannot place the cursor (TERM=dumb). Checked before anything is drawn.
    public static func fullScreenProblem(environment: [String: String]) -> TerminalError? {
        // Without a terminal, reading would return at once forever and the loop would spin.
        guard isatty(0) == 1, isatty(1) == 1 else { return .notATerminal }
        switch tui_terminal_capability() {
        case 0: return .cannotInitialise(term: environment["TERM"] ?? "")
        case 1: return .cannotAddressCursor(term: environment["TERM"] ?? "")
        default: return nil
        }
    }

    /// Takes the user's locale and says whether it is UTF-8. A UTF-8 locale that is not installed
    /// (setlocale fails) is replaced by C.UTF-8, so that its name is honoured.
    private static func selectLocale(_ environment: [String: String]) -> Bool {
        if setlocale(LC_ALL, "") != nil { return String(cString: tui_codeset()).uppercased().contains("UTF-8") }
        // The variable that decides, as setlocale reads them: LC_ALL, then LC_CTYPE, then LANG.
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let saysUTF8 = name.lowercased().contains("utf-8") || name.lowercased().contains("utf8")
        return saysUTF8 && setlocale(LC_ALL, "C.UTF-8") != nil
    }

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
                // In ASCII a wide character becomes one column, so its second column is drawn too.
                if (cell.isContinuation && isUTF8) || (!full && previous?[x, y] == cell) { continue }
                let character = isUTF8 ? cell.character : asciiFallback(for: cell.character)
                var count = 0
                for scalar in character.unicodeScalars where count < 5 {
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
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while decodedKeys.isEmpty {
            if pendingResize.exchange(false, ordering: .relaxed) {
                tui_resize_to_terminal()
                previous = nil
                return .resize(width: size.width, height: size.height)
            }
            if receivedSignal != nil { return nil }
            // Bytes that may begin a sequence wait only the escape timeout for the rest of it.
            let wait =
                decoder.isWaiting ? KeyDecoder.escapeTimeoutMilliseconds : Self.milliseconds(until: deadline)
            switch waitForInput(milliseconds: wait) {
            case .input: decodedKeys = readKeys()
            case .signal: continue
            case .timeout:
                if decoder.isWaiting {
                    decodedKeys = decoder.flush()
                } else if ContinuousClock.now >= deadline {
                    return nil
                }
            }
        }
        return .key(decodedKeys.removeFirst())
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let (seconds, attoseconds) = (deadline - ContinuousClock.now).components
        return Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }

    private enum Wait {
        case input, signal, timeout
    }

    private func waitForInput(milliseconds: Int32) -> Wait {
        var descriptors = [
            pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeUpReader, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&descriptors, 2, milliseconds)
        if ready == 0 { return .timeout }
        if ready < 0 { return errno == EINTR ? .signal : .timeout }
        if descriptors[1].revents != 0 {
            var drained = [UInt8](repeating: 0, count: 64)
            while read(wakeUpReader, &drained, drained.count) > 0 {}
            return .signal
        }
        return .input
    }

    private func readKeys() -> [Key] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = read(0, &bytes, bytes.count)
        guard count > 0 else {
            // End of input or an error on the terminal: it is gone, as after a hang-up.
            if count == 0 || (errno != EINTR && errno != EAGAIN) { pendingSignal.store(SIGHUP, ordering: .relaxed) }
            return []
        }
        return decoder.decode(bytes[..<count])
    }

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        _ = endwin()
        delscreen(screen)
        close(wakeUpWriter.exchange(-1, ordering: .relaxed))
        close(wakeUpReader)
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

    /// The terminal's own key strings, so that what its terminfo entry says wins over the generic
    /// reading (and sequences only it sends are known).
    private static func terminalKeys() -> [[UInt8]: Key] {
        var capabilities: [(String, Key)] = [
            ("khome", .home), ("kend", .end), ("kcuu1", .up), ("kcud1", .down), ("kcub1", .left), ("kcuf1", .right),
            ("kpp", .pageUp), ("knp", .pageDown), ("kdch1", .delete), ("kcbt", .backTab),
        ]
        capabilities += (1...63).map { ("kf\($0)", .function($0)) }
        var table: [[UInt8]: Key] = [:]
        for (name, key) in capabilities {
            guard let value = tui_string_capability(name) else { continue }
            table[Array(String(cString: value).utf8)] = key
        }
        return table
    }

    // MARK: Signals

    /// Returns the read end of the wake-up pipe.
    private static func installSignalHandlers() -> Int32 {
        // After newterm, so ncurses does not install its own; no SA_RESTART, so a blocked poll
        // returns at once and the loop sees the signal.
        var pipeEnds: [Int32] = [-1, -1]
        _ = pipe(&pipeEnds)
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeUpWriter.store(pipeEnds[1], ordering: .relaxed)
        // A parent may have left these blocked (the mask survives exec); unblock them, or a kill
        // would never reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGWINCH] {
            sigaddset(&unblock, signal)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if received == SIGWINCH {
                    pendingResize.store(true, ordering: .relaxed)
                } else {
                    pendingSignal.store(received, ordering: .relaxed)
                }
                var byte: UInt8 = 0
                _ = write(wakeUpWriter.load(ordering: .relaxed), &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return pipeEnds[0]
    }
}
