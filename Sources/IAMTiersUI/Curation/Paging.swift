import TUIKit

/// How far a key moves a cursor or scrolls a page: the same keys do it in every list and overlay.
public enum Scroll: Sendable, Hashable {
    case lines(Int)
    /// PgUp, PgDn: by what is on screen.
    case pages(Int)
    /// Ctrl-U, Ctrl-D: by half of it.
    case halfPages(Int)
    case start, end

    /// Where `current` goes among `count` positions, `visible` rows being on screen.
    func apply(to current: Int, count: Int, visible: Int) -> Int {
        let page = max(1, visible)
        let target =
            switch self {
            case .lines(let lines): current + lines
            case .pages(let pages): current + pages * page
            case .halfPages(let halves): current + halves * max(1, page / 2)
            case .start: 0
            case .end: count - 1
            }
        return min(max(0, target), max(0, count - 1))
    }
}

/// The moving keys of a list or an overlay, as rows of its key map; `hint` is what the title says
/// they do, where it says so.
func scrollBindings(
    _ what: String, hint: String? = nil, _ action: @escaping @Sendable (Scroll) -> CurationAction
) -> [KeyBinding] {
    let rows: [(String, String, [(Key, Scroll)])] = [
        (
            "↑ ↓  j k", "\(what) by a line",
            [(.up, .lines(-1)), (.character("k"), .lines(-1)), (.down, .lines(1)), (.character("j"), .lines(1))]
        ),
        (
            "PgUp PgDn  Ctrl-B Ctrl-F", "\(what) by a page",
            [(.pageUp, .pages(-1)), (.control("b"), .pages(-1)), (.pageDown, .pages(1)), (.control("f"), .pages(1))]
        ),
        ("Ctrl-U Ctrl-D", "\(what) by half a page", [(.control("u"), .halfPages(-1)), (.control("d"), .halfPages(1))]),
        (
            "g G  Home End", "\(what) to the first or the last",
            [(.character("g"), .start), (.home, .start), (.character("G"), .end), (.end, .end)]
        ),
    ]
    return rows.enumerated().map { index, row in
        let (label, meaning, pairs) = row
        let footer: [KeyBinding.FooterItem] = index == 0 ? hint.map { [("↑ ↓ PgUp PgDn", $0)] } ?? [] : []
        return KeyBinding(
            label, meaning, keys: pairs.map(\.0), footer: { _ in footer },
            resolve: { key, _ in pairs.first { $0.0 == key }.map { action($0.1) } })
    }
}

/// How many rows of an overlay's list or page are on screen, from the terminal size the runtime
/// last reported: `modalFrame` keeps two rows around the box and draws a border, and the views keep
/// `reserved` rows of their inner box for titles and hints.
func overlayRows(_ state: CurationState, wanted: Int, reserved: Int) -> Int {
    max(1, min(state.screen.height - 2, wanted) - 2 - reserved)
}

/// A page over the screen that scrolls from the first key (the help, the reports): `top` is its
/// first line, `lines` how many it has; the box is as tall as it wants or the terminal allows.
struct ScrollingPage {
    var top: Int
    var lines: Int

    /// Where a key takes the first line, `rows` of the page being on screen.
    func scrolled(_ scroll: Scroll, rows: Int) -> Int { scroll.apply(to: top, count: lines - rows + 1, visible: rows) }

    /// The lines on screen in `rows` rows, the last page kept full.
    func shown(rows: Int) -> Range<Int> {
        let start = min(top, max(0, lines - rows))
        return start..<min(lines, start + rows)
    }

    /// "↑ 3 more  ↓ 12 more" on the box's last row, while lines are out of sight.
    func drawHint(rows: Int, into grid: inout Grid, _ inner: Rect, _ options: ViewOptions) {
        let range = shown(rows: rows)
        let (above, below) = (range.lowerBound, lines - range.upperBound)
        guard above + below > 0 else { return }
        let hint = [above > 0 ? "↑ \(above) more" : nil, below > 0 ? "↓ \(below) more" : nil].compactMap { $0 }
        grid.put(
            " " + hint.joined(separator: "  "), x: inner.x, y: inner.maxY - 1, style: options.theme.style("muted"),
            clip: inner)
    }
}
