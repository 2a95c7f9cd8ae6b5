import IAMTiersCore
import TUIKit

public struct ViewOptions: Sendable {
    public var theme: Theme
    public var box: BoxCharacters

    public init(theme: Theme = .standard, box: BoxCharacters = .unicode) {
        self.theme = theme
        self.box = box
    }
}

/// Draws the whole browser for a terminal of `width` x `height`.
public func view(_ state: CatalogBrowserState, width: Int, height: Int, options: ViewOptions = ViewOptions()) -> Grid {
    let theme = options.theme
    var grid = Grid(width: width, height: height, fill: theme.style("default"))
    // The details pane gives way to the lists on short terminals.
    let rows = grid.bounds.rows([.length(1), .fill, .length(height >= 16 ? 7 : 0), .length(1)])
    let info = state.catalog.info
    grid.fill(rows[0], style: theme.style("header"))
    grid.put(
        " iamtiers · IAM action catalog of \(info.date) · \(state.services.count) services · "
            + "\(groupedDigits(state.catalog.actionCount)) actions", x: 0, y: rows[0].y, style: theme.style("header"))

    let panes = rows[1].columns([.percent(34), .fill])
    drawServices(state, into: &grid, panes[0], options)
    drawActions(state, into: &grid, panes[1], options)
    drawDetails(state, into: &grid, rows[2], options)

    grid.fill(rows[3], style: theme.style("status"))
    var x = 0
    for (key, meaning) in [("↑↓ jk", "move"), ("Tab", "switch pane"), ("PgUp/PgDn", "page"), ("q", "quit")] {
        x += grid.put(" " + key, x: x, y: rows[3].y, style: theme.style("status.key"))
        x += grid.put(" " + meaning + " ", x: x, y: rows[3].y, style: theme.style("status"))
    }
    return grid
}

private func drawServices(_ state: CatalogBrowserState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let focused = state.focus == .services
    let inner = frame(&grid, area, title: "Services", focused: focused, options)
    let lines = state.services.map { service in
        (text: service.prefix, detail: String(service.actionCount))
    }
    drawList(lines, selected: state.selectedService, focused: focused, into: &grid, inner, options.theme)
}

private func drawActions(_ state: CatalogBrowserState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let focused = state.focus == .actions
    let service = state.services.indices.contains(state.selectedService) ? state.services[state.selectedService] : nil
    let title = service.map { "Actions of \($0.prefix) — \($0.name)" } ?? "Actions"
    let inner = frame(&grid, area, title: title, focused: focused, options)
    let lines = state.actionsOfSelectedService.map { action in
        (text: action.name, detail: action.accessLevel.rawValue + riskGlyphs(action.risk))
    }
    drawList(lines, selected: state.selectedAction, focused: focused, into: &grid, inner, options.theme)
}

private func drawDetails(_ state: CatalogBrowserState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let actions = state.actionsOfSelectedService
    guard !area.isEmpty else { return }
    guard actions.indices.contains(state.selectedAction) else {
        _ = frame(&grid, area, title: "Action", focused: false, options)
        return
    }
    let action = actions[state.selectedAction]
    let framed = frame(&grid, area, title: action.fullName, focused: false, options)
    let inner = Rect(x: framed.x + 1, y: framed.y, width: framed.width - 2, height: framed.height)
    let details = state.catalog.details(of: action)
    let risk =
        action.risk.flags.isEmpty
        ? (action.risk.assessed ? "none flagged" : "not assessed") : action.risk.flags.names.joined(separator: ", ")
    let resources =
        details.resourceTypes.isEmpty ? "* (all resources)" : details.resourceTypes.map(\.name).joined(separator: ", ")
    let lines = [
        details.description,
        "access level: \(action.accessLevel.rawValue)    risk: \(risk)",
        "resource types: \(resources)",
        "condition keys: \(details.conditionKeys.isEmpty ? "none" : details.conditionKeys.joined(separator: ", "))",
        "dependent actions: \(details.dependentActions.isEmpty ? "none" : details.dependentActions.joined(separator: ", "))",
    ]
    for (offset, line) in lines.enumerated() where offset < inner.height {
        grid.put(
            line.truncated(toWidth: inner.width), x: inner.x, y: inner.y + offset, style: options.theme.style("default")
        )
    }
}

/// Single-letter risk marks: C credentials, D data, P privilege escalation, R resource exposure.
func riskGlyphs(_ risk: RiskAssessment) -> String {
    let letters = RiskFlags.named.filter { risk.flags.contains($0.flag) }.map { String($0.letter) }.joined()
    return letters.isEmpty ? "" : " " + letters
}

private func frame(_ grid: inout Grid, _ area: Rect, title: String, focused: Bool, _ options: ViewOptions) -> Rect {
    let theme = options.theme
    return grid.box(
        area, title: title, style: theme.style(focused ? "border.focused" : "border"),
        titleStyle: theme.style(focused ? "border.focused" : "title"), characters: options.box)
}

/// A scrolling list that keeps the selection visible; details are right-aligned.
private func drawList(
    _ lines: [(text: String, detail: String)], selected: Int, focused: Bool, into grid: inout Grid, _ area: Rect,
    _ theme: Theme
) {
    guard area.height > 0 && area.width > 0 else { return }
    let offset = selected < area.height ? 0 : selected - area.height + 1
    for row in 0..<area.height {
        let index = offset + row
        guard lines.indices.contains(index) else { break }
        let y = area.y + row
        let isSelected = index == selected
        let style =
            isSelected ? theme.style(focused ? "item.selected" : "item.selected.unfocused") : theme.style("item")
        if isSelected { grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
        // On narrow panes the name matters more than the detail column.
        let detail = displayWidth(of: lines[index].detail) + 6 <= area.width ? lines[index].detail : ""
        let detailWidth = displayWidth(of: detail)
        let textWidth = max(0, area.width - detailWidth - 3)
        grid.put(" " + lines[index].text.truncated(toWidth: textWidth), x: area.x, y: y, style: style)
        grid.put(detail, x: area.maxX - detailWidth - 1, y: y, style: style, clip: area)
    }
}
