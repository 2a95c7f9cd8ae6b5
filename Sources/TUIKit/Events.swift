public enum Key: Sendable, Hashable {
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("r")` for Ctrl-R (also `@`, `\`, `]`, `^`, `_`: the other C0 controls).
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// A click or a wheel step at a cell of the screen.
    case mouse(MouseEvent)
    /// A key that is read whole but means nothing here: an Alt-chord, a key with modifiers, Insert,
    /// or a sequence no terminal table knows. Its printable name ("Alt-1", "Ctrl-Up",
    /// "ESC [ 9 9 ~") is for a hint; it is never split into the keystrokes it is made of.
    case unrecognised(String)
}

public struct MouseEvent: Sendable, Hashable {
    public enum Button: Sendable, Hashable { case press, wheelUp, wheelDown }
    public var button: Button
    public var x: Int
    public var y: Int

    public init(_ button: Button, x: Int, y: Int) {
        self.button = button
        self.x = x
        self.y = y
    }
}

public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// What a screen needs from a terminal; the ncurses backend and test doubles implement it.
public protocol TerminalScreen {
    var size: (width: Int, height: Int) { get }
    func draw(_ grid: Grid)
    /// The next event, or nil when `timeoutMilliseconds` passed (or a signal arrived) without one.
    func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent?
}
