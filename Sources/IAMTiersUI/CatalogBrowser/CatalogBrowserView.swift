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
    let inner = paneFrame(&grid, area, title: "Services", focused: focused, options)
    let lines = state.services.map { ListLine(text: $0.prefix, detail: String($0.actionCount)) }
    drawRows(
        count: lines.count, line: { lines[$0] }, selected: state.selectedService, focused: focused, into: &grid, inner,
        options.theme)
}

private func drawActions(_ state: CatalogBrowserState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let focused = state.focus == .actions
    let service = state.services.indices.contains(state.selectedService) ? state.services[state.selectedService] : nil
    let title = service.map { "Actions of \($0.prefix) — \($0.name)" } ?? "Actions"
    let inner = paneFrame(&grid, area, title: title, focused: focused, options)
    let lines = state.actionsOfSelectedService.map {
        ListLine(text: $0.name, detail: $0.accessLevel.rawValue + riskGlyphs($0.risk))
    }
    drawRows(
        count: lines.count, line: { lines[$0] }, selected: state.selectedAction, focused: focused, into: &grid, inner,
        options.theme)
}

private func drawDetails(_ state: CatalogBrowserState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let actions = state.actionsOfSelectedService
    guard !area.isEmpty else { return }
    guard actions.indices.contains(state.selectedAction) else {
        _ = paneFrame(&grid, area, title: "Action", focused: false, options)
        return
    }
    let action = actions[state.selectedAction]
    let framed = paneFrame(&grid, area, title: action.fullName, focused: false, options)
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
