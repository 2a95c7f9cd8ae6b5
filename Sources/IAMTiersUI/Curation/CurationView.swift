import IAMTiersCore
import TUIKit

/// Draws the curation screen: header, one meter per tier, services, actions with tier ticks, the
/// selected action's facts, and the keys.
public func view(_ state: CurationState, width: Int, height: Int, options: ViewOptions = ViewOptions()) -> Grid {
    let theme = options.theme
    var grid = Grid(width: width, height: height, fill: theme.style("default"))
    guard let layout = CurationLayout(state, width: width, height: height) else {
        let minimum = CurationLayout.minimum(state)
        grid.put(
            "terminal too small (need \(minimum.width)×\(minimum.height))".truncated(toWidth: width), x: 0, y: 0,
            style: theme.style("warning"))
        return grid
    }
    drawHeader(state, into: &grid, layout.header, theme)
    drawMeters(state, into: &grid, layout.meters, options)
    drawServiceList(state, into: &grid, layout.services, options)
    drawActionList(state, into: &grid, layout.actions, options)
    drawActionDetails(state, into: &grid, layout.details, options)
    drawStatus(state, into: &grid, layout.status, theme)
    if let overlay = state.overlay { drawOverlay(overlay, state, into: &grid, options) }
    return grid
}

/// Where the parts of the curation screen go at a terminal size: the view draws there and mouse
/// clicks are resolved against the same rectangles.
struct CurationLayout {
    var header, meters, services, actions, details, status: Rect

    /// Where both lists still show five rows and the action pane a name beside its facts.
    static func minimum(_ state: CurationState) -> (width: Int, height: Int) { (70, 14 + state.tiers.tiers.count) }

    init?(_ state: CurationState, width: Int, height: Int) {
        let minimum = Self.minimum(state)
        guard width >= minimum.width && height >= minimum.height else { return nil }
        let rows = Rect(x: 0, y: 0, width: width, height: height).rows([
            .length(1), .length(state.tiers.tiers.count), .fill,
            .length(state.workshop == nil ? (height >= 30 ? 9 : 5) : (height >= 36 ? 14 : height >= 30 ? 8 : 7)),
            .length(1),
        ])
        let panes = rows[2].columns([.percent(30), .fill])
        (header, meters, services, actions, details, status) = (rows[0], rows[1], panes[0], panes[1], rows[3], rows[4])
    }
}

extension CurationState {
    /// The rows of the focused pane on screen: what PgUp and PgDn move by.
    var paneRows: Int {
        guard let layout = CurationLayout(self, width: screen.width, height: screen.height) else { return 1 }
        return max(1, (focus == .services ? layout.services : layout.actions).height - 2)
    }
}

extension CurationAction {
    /// A click selects the row under it (and focuses its pane); the wheel moves the selection of
    /// the pane under the pointer. Only on the main screen: a modal open takes no clicks.
    public init?(mouse event: MouseEvent, state: CurationState, width: Int, height: Int) {
        guard !state.isTypingText && state.overlay == nil,
            let layout = CurationLayout(state, width: width, height: height)
        else { return nil }
        let panes: [(CurationState.Pane, Rect, selected: Int)] = [
            (.services, layout.services, state.selectedService), (.actions, layout.actions, state.selectedAction),
        ]
        guard let (pane, area, selected) = panes.first(where: { $0.1.contains(x: event.x, y: event.y) }) else {
            return nil
        }
        switch event.button {
        case .wheelUp: self = .scroll(pane, by: -3)
        case .wheelDown: self = .scroll(pane, by: 3)
        case .press:
            let list = area.inset(by: 1)
            guard list.contains(x: event.x, y: event.y) else { return nil }
            self = .select(pane, row: scrollOffset(selected: selected, visible: list.height) + event.y - list.y)
        }
    }
}

private func drawHeader(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ theme: Theme) {
    grid.fill(area, style: theme.style("header"))
    let events = state.usage.provenance.events
    let window =
        state.usage.provenance.window.map { " · \($0.first.day)…\($0.last.day)" }
        ?? ""
    let showing = (state.query.isEmpty ? [] : ["“\(state.query)”"]) + narrowing(state)
    // Files side by side (the usual case, and the demo's temporary folder) are named without it.
    func folder(_ path: String) -> Substring { path[..<(path.lastIndex(of: "/") ?? path.startIndex)] }
    func name(_ path: String) -> String {
        folder(state.usagePath) == folder(state.tiersPath) ? String(path.split(separator: "/").last ?? "") : path
    }
    let narrowed =
        (showing.isEmpty ? "" : "showing \(showing.joined(separator: ", ")) · ")
        + (state.marks.isEmpty ? "" : "\(state.marks.count) marked · ")
    // On a narrow terminal the usage part gives way: the modified marker must stay in sight, and a
    // failed write or a read-only view louder still. The window, then the totals go before what
    // the lists are narrowed to (the person a filter shows, for a room).
    let findings =
        state.findingCount == 0 && !state.findingsOutdated
        ? "" : " · \(counted(state.findingCount, "finding"))\(state.findingsOutdated ? "?" : "") (c)"
    let tiers = "\(name(state.tiersPath))\(state.isModified ? " [modified]" : "")\(findings)"
    let alarm = state.readOnly != nil ? " [read-only] " : state.writeProblem.map { " [\($0)] " } ?? ""
    let room = max(1, area.width - displayWidth(of: tiers) - min(displayWidth(of: alarm), area.width / 2) - 2)
    let totals =
        " · \(counted(events.kept, "call")) · \(counted(state.usage.people.count, "person", "people"))"
    let usage =
        [window + totals, totals, ""].lazy.map { " iamtiers · \(name(state.usagePath))\($0) · " + narrowed }
        .first { displayWidth(of: $0) <= room } ?? " iamtiers · \(name(state.usagePath)) · " + narrowed
    let shown = usage.truncated(toWidth: room)
    var x = grid.put(
        shown == usage ? shown : shown + " ", x: area.x, y: area.y, style: theme.style("header"), clip: area)
    x += grid.put(
        tiers.truncated(toWidth: area.maxX - area.x - x), x: area.x + x, y: area.y, style: theme.style("header"),
        clip: area)
    grid.put(
        alarm.truncated(toWidth: max(0, area.maxX - area.x - x)), x: area.x + x, y: area.y,
        style: theme.style("attention"), clip: area)
}

/// `Read  ▕██████░░░░▏ 8,136/61,440  2 of 10 managed  177 actions`, warning near the limit, loud over it.
private func drawMeters(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let theme = options.theme
    // Block characters where the locale shows them, plain ASCII otherwise.
    let bar =
        options.box == .ascii
        ? (left: "[", full: "#", empty: ".", right: "]") : (left: "▕", full: "█", empty: "░", right: "▏")
    let nameWidth = min(14, (state.tiers.tiers.map { $0.name.count }.max() ?? 4) + 2)
    for (index, (tier, policy)) in zip(state.tiers.tiers, state.policies).enumerated() where index < area.height {
        let y = area.y + index
        var x = area.x + 1
        x += grid.put(tier.name.truncated(toWidth: nameWidth - 1), x: x, y: y, style: theme.style("tier.\(index % 3)"))
        x = area.x + 1 + nameWidth
        if tier.isAdministrator {
            let text =
                "AdministratorAccess\(tier.alertOnUse ? " · alerts when used" : "") · "
                + counted(tier.actions.count, "action") + " placed (break glass)"
            grid.put(text.truncated(toWidth: area.maxX - x), x: x, y: y, style: theme.style("muted"), clip: area)
            continue
        }
        let meter = policy.meter
        let fraction = meter.capacity == 0 ? 1 : Double(meter.used) / Double(meter.capacity)
        let role = !meter.fits ? "meter.over" : fraction >= 0.8 ? "meter.warn" : "meter.fill"
        let barWidth = max(10, min(30, area.width / 5))
        let filled = min(barWidth, Int((fraction * Double(barWidth)).rounded(.up)))
        x += grid.put(bar.left, x: x, y: y, style: theme.style("border"))
        x += grid.put(String(repeating: bar.full, count: filled), x: x, y: y, style: theme.style(role))
        x += grid.put(
            String(repeating: bar.empty, count: barWidth - filled), x: x, y: y, style: theme.style("meter.empty"))
        x += grid.put(bar.right, x: x, y: y, style: theme.style("border"))
        let numbers =
            " \(groupedDigits(meter.used))/\(groupedDigits(meter.capacity))  \(policy.documentsText(of: tier))  "
            + counted(meter.grantedActions, "action")
            + (state.riskyCounts[index] > 0 ? "  \(state.riskyCounts[index]) risky" : "")
            + (meter.fits ? "" : "  DOES NOT FIT")
        grid.put(numbers, x: x, y: y, style: theme.style(meter.fits ? "default" : "meter.over"), clip: area)
    }
}
