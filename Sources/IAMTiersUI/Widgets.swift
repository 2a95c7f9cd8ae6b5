import TUIKit

/// Pieces both screens draw with.
struct ListLine {
    var text: String
    var detail: String
    var attention = false
}

func paneFrame(_ grid: inout Grid, _ area: Rect, title: String, focused: Bool, _ options: ViewOptions) -> Rect {
    grid.box(
        area, title: title, style: options.theme.style(focused ? "border.focused" : "border"),
        titleStyle: options.theme.style(focused ? "border.focused" : "title"), characters: options.box)
}

/// A scrolling list keeping the selection visible, details right-aligned. Only the rows on screen
/// are asked for, so long lists cost what fits, not what exists. Lists over the screen
/// (`pagesFromFirstKey`) scroll with every key, the selection on their first row until the last
/// page; the panes scroll once the selection reaches their edge, where clicks are resolved.
func drawRows(
    count: Int, line: (Int) -> ListLine, selected: Int, focused: Bool, into grid: inout Grid, _ area: Rect,
    _ theme: Theme, pagesFromFirstKey: Bool = false
) {
    guard area.height > 0 && area.width > 0 else { return }
    let offset =
        pagesFromFirstKey
        ? min(selected, max(0, count - area.height)) : scrollOffset(selected: selected, visible: area.height)
    for row in 0..<area.height {
        let index = offset + row
        guard index < count else { break }
        let entry = line(index)
        let y = area.y + row
        let isSelected = index == selected
        let style =
            isSelected
            ? theme.style(focused ? "item.selected" : "item.selected.unfocused")
            : theme.style(entry.attention ? "attention" : "item")
        if isSelected { grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
        let detail = displayWidth(of: entry.detail) + 6 <= area.width ? entry.detail : ""
        let detailWidth = displayWidth(of: detail)
        grid.put(
            " " + entry.text.truncated(toWidth: max(0, area.width - detailWidth - 3)), x: area.x, y: y, style: style)
        grid.put(detail, x: area.maxX - detailWidth - 1, y: y, style: style, clip: area)
    }
}

/// The first row a list shows: the top until the selection would leave the screen, then the
/// selection at the bottom. Drawing and mouse hit-testing must agree on it.
func scrollOffset(selected: Int, visible: Int) -> Int { selected < visible ? 0 : selected - visible + 1 }

/// A box over the middle of the screen, at most `width` x `height` (less on a small terminal),
/// cleared and framed; returns the room inside.
func modalFrame(_ grid: inout Grid, width: Int, height: Int, title: String, _ options: ViewOptions) -> Rect {
    let width = min(grid.width - 4, width)
    let height = min(grid.height - 2, height)
    let box = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
    grid.fill(box, style: options.theme.style("modal"))
    return grid.box(
        box, title: title, style: options.theme.style("modal.border"), titleStyle: options.theme.style("modal.border"),
        characters: options.box)
}
