import IAMTiersCore
import TUIKit

func drawStatus(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ theme: Theme) {
    grid.fill(area, style: theme.style("status"))
    if let prompt = state.prompt {
        let (label, hint) =
            switch prompt {
            case .search:
                (
                    " search: ",
                    " \(counted(state.services.reduce(0) { $0 + $1.actions.count }, "match", "matches")) · Enter keeps · Esc clears "
                )
            case .note: (" note: ", " Enter keeps · Esc drops ")
            case .command: (" :", " Tab completes · Enter runs · Esc leaves ")
            }
        var x = area.x + grid.put(label, x: area.x, y: area.y, style: theme.style("status.key"))
        // As the room sees it, the end in sight: a long note scrolls sideways.
        let room = area.maxX - x - displayWidth(of: hint)
        x += grid.put(
            LineEditor.tail(of: state.forRoom(prompt.editor.text), width: room), x: x, y: area.y,
            style: theme.style("status"),
            clip: area)
        grid.put("▏", x: x, y: area.y, style: theme.style("status.key"), clip: area)
        grid.put(hint, x: area.maxX - displayWidth(of: hint), y: area.y, style: theme.style("status"), clip: area)
        return
    }
    if let message = state.message {
        grid.put(
            " " + message, x: area.x, y: area.y, style: theme.style(state.confirmingQuit ? "status.key" : "status"),
            clip: area)
        return
    }
    var x = area.x
    for (key, meaning) in KeyMap.main.footer(state) {
        x += grid.put(" " + key, x: x, y: area.y, style: theme.style("status.key"), clip: area)
        x += grid.put(" " + meaning + " ", x: x, y: area.y, style: theme.style("status"), clip: area)
    }
}

func drawRecovery(_ offer: TierSet, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let inner = modalFrame(&grid, width: 72, height: 6, title: "Unsaved changes found", options)
    // Actions whose tier differs (moved, added or removed), each counted once.
    let before = state.tierOf
    let after = CurationState.placements(offer)
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.count
    let lines = [
        "A session ended without saving \(state.tiersPath).",
        "Its last state differs in \(counted(changed, "placement")).",
        KeyMap.recovery.footer(state).map { "\($0.keys) \($0.word)" }.joined(separator: "    "),
    ]
    for (offset, line) in lines.enumerated() {
        grid.put(" " + line, x: inner.x, y: inner.y + offset, style: options.theme.style("modal"), clip: inner)
    }
}

/// Every key of the main screen, from the rows keys are looked up in. On a terminal too short for
/// every key, the page scrolls from the first key and says what is above and below.
func drawHelp(from top: Int, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let keys = KeyMap.main.bindings
    let inner = modalFrame(
        &grid, width: 110, height: keys.count + 4, title: "Keys (\(KeyMap.help.hints(state)))", options)
    let rows = inner.height - 2
    guard rows > 0 else { return }
    let page = ScrollingPage(top: top, lines: keys.count)
    let labelWidth = (keys.map { displayWidth(of: $0.label) }.max() ?? 0) + 3
    for (offset, index) in page.shown(rows: rows).enumerated() {
        let y = inner.y + 1 + offset
        grid.put(" " + keys[index].label, x: inner.x, y: y, style: options.theme.style("modal.border"), clip: inner)
        grid.put(keys[index].meaning, x: inner.x + labelWidth, y: y, style: options.theme.style("modal"), clip: inner)
    }
    page.drawHint(rows: rows, into: &grid, inner, options)
}
