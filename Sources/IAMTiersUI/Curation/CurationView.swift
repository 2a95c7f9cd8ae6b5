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
    if let offer = state.recoveryOffer { drawRecovery(offer, state, into: &grid, options) }
    if let cursor = state.settings { drawTierSettings(cursor, state, into: &grid, options) }
    if let selected = state.openItemSelected { drawOpenItems(selected, state, into: &grid, options) }
    if state.showingHelp { drawHelp(from: state.helpScroll, into: &grid, options) }
    if let cursor = state.people { drawPeople(cursor, state, into: &grid, options) }
    if let report = state.report { drawReport(report, state, into: &grid, options) }
    return grid
}

/// Where the parts of the curation screen go at a terminal size: the view draws there and mouse
/// clicks are resolved against the same rectangles.
struct CurationLayout {
    var header, meters, services, actions, details, status: Rect

    static func minimum(_ state: CurationState) -> (width: Int, height: Int) { (60, 12 + state.tiers.tiers.count) }

    init?(_ state: CurationState, width: Int, height: Int) {
        let minimum = Self.minimum(state)
        guard width >= minimum.width && height >= minimum.height else { return nil }
        let rows = Rect(x: 0, y: 0, width: width, height: height).rows([
            .length(1), .length(state.tiers.tiers.count), .fill,
            .length(state.workshop == nil ? (height >= 30 ? 9 : 5) : (height >= 30 ? 14 : 7)), .length(1),
        ])
        let panes = rows[2].columns([.percent(30), .fill])
        (header, meters, services, actions, details, status) = (rows[0], rows[1], panes[0], panes[1], rows[3], rows[4])
    }
}

extension CurationAction {
    /// A click selects the row under it (and focuses its pane); the wheel moves the selection of
    /// the pane under the pointer. Only on the main screen: a modal open takes no clicks.
    public init?(mouse event: MouseEvent, state: CurationState, width: Int, height: Int) {
        guard !state.isTypingText && !state.isShowingOverlay,
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

/// The initial of each tier, as the ticks show it.
func initials(_ tiers: TierSet) -> [String] {
    tiers.tiers.map { String($0.name.first ?? "?").uppercased() }
}

/// The filters narrowing the lists (the search aside), as the header and the services pane name them.
private func narrowing(_ state: CurationState) -> [String] {
    [
        state.filter == .all ? nil : state.filter.rawValue, state.levelFilter?.rawValue,
        state.personFilter.map(state.forRoom),
    ].compactMap { $0 }
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
    let usage =
        " iamtiers · \(name(state.usagePath))\(window) · \(groupedDigits(events.kept)) calls · "
        + "\(counted(state.usage.people.count, "person", "people")) · "
        + (showing.isEmpty ? "" : "showing \(showing.joined(separator: ", ")) · ")
    // On a narrow terminal the usage part gives way: the modified marker must stay in sight, and a
    // failed write or a read-only view louder still.
    let tiers = "\(name(state.tiersPath))\(state.isModified ? " [modified]" : "")"
    let alarm = state.readOnly != nil ? " [read-only] " : state.writeProblem.map { " [\($0)] " } ?? ""
    let shown = usage.truncated(
        toWidth: max(1, area.width - displayWidth(of: tiers) - min(displayWidth(of: alarm), area.width / 2) - 2))
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

private func drawServiceList(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let theme = options.theme
    let focused = state.focus == .services
    let title =
        (state.query.isEmpty ? "Services" : "Search: \(state.query)") + narrowing(state).map { " · " + $0 }.joined()
        + " (\(state.services.count))"
    let inner = paneFrame(&grid, area, title: title, focused: focused, options)
    let letters = initials(state.tiers)
    func line(_ index: Int) -> ListLine {
        let row = state.services[index]
        var counts = [Int](repeating: 0, count: letters.count)
        var unassigned = 0
        for action in row.actions {
            if let tier = state.tierIndex(of: action.action) { counts[tier] += 1 } else { unassigned += 1 }
        }
        let breakdown = zip(letters, counts).filter { $0.1 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
        // Calls and people where the pane is wide enough; the tier breakdown always.
        let usage = inner.width >= 48 ? "\(groupedDigits(row.calls)) calls  \(row.people)p  " : ""
        return ListLine(
            text: row.prefix, detail: usage + (unassigned > 0 ? "?\(unassigned) " : "") + breakdown,
            attention: unassigned > 0)
    }
    drawRows(
        count: state.services.count, line: line, selected: state.selectedService, focused: focused, into: &grid, inner,
        theme)
}

private func drawActionList(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let theme = options.theme
    let focused = state.focus == .actions
    let row = state.selectedServiceRow
    let inner = paneFrame(
        &grid, area,
        title: row.map {
            "\($0.prefix): \(counted($0.actions.count, "action")), \(groupedDigits($0.calls)) calls, "
                + counted($0.people, "person", "people")
                + (state.tiers.compressedServices.contains($0.prefix.lowercased()) ? " · wildcards (w)" : "")
        } ?? "Actions",
        focused: focused, options)
    guard let row, inner.width > 20 else { return }
    let letters = initials(state.tiers)
    let offset = scrollOffset(selected: state.selectedAction, visible: inner.height)
    for line in 0..<inner.height {
        let index = offset + line
        guard row.actions.indices.contains(index) else { break }
        let used = row.actions[index]
        let y = inner.y + line
        let selected = index == state.selectedAction
        let base = selected ? theme.style(focused ? "item.selected" : "item.selected.unfocused") : theme.style("item")
        if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: base) }
        var x = inner.x + 1
        let placed = state.tierIndex(of: used.action)
        for (tierIndex, letter) in letters.enumerated() {
            let tick = placed == tierIndex ? "[\(letter)]" : "[ ]"
            x += grid.put(
                tick, x: x, y: y, style: placed == tierIndex && !selected ? theme.style("tier.\(tierIndex % 3)") : base)
        }
        x += 1
        let name = String(used.action.split(separator: ":", maxSplits: 1).last ?? "")
        let level = used.accessLevel.rawValue.split(separator: " ").first.map(String.init) ?? ""
        let risk = riskGlyphs(state.catalog.action(named: used.action)?.risk ?? RiskAssessment(assessed: false))
        // The day last seen where the pane has room for it next to the name.
        let lastSeen = inner.width >= 90 ? used.lastSeen.map { "  " + $0.day } ?? "" : ""
        let facts =
            "\(level)  \(counted(used.count, "call"))  \(used.denied > 0 ? "\(used.denied) denied  " : "")"
            + "\(counted(used.people.count, "person", "people"))\(lastSeen)\(risk)"
        let factsWidth = displayWidth(of: facts)
        let room = max(0, inner.maxX - x - factsWidth - 2)
        grid.put(name.truncated(toWidth: room), x: x, y: y, style: base)
        grid.put(facts, x: max(x, inner.maxX - factsWidth - 1), y: y, style: base, clip: inner)
    }
    // What the logs could not settle about this service, below its actions; `i` resolves it.
    let shownRows = min(row.actions.count - offset, inner.height)
    for (line, item) in state.openItems(ofService: row.prefix).enumerated() where shownRows + 1 + line < inner.height {
        let text = "⚑ \(item.kind): \(state.forRoom(item.text))"
        grid.put(
            (text + " (i)").truncated(toWidth: inner.width - 2), x: inner.x + 1, y: inner.y + shownRows + 1 + line,
            style: theme.style("attention"), clip: inner)
    }
}

private func drawActionDetails(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    guard let used = state.selectedUsage else {
        _ = paneFrame(&grid, area, title: "Action", focused: false, options)
        return
    }
    let framed = paneFrame(&grid, area, title: used.action, focused: false, options)
    let inner = Rect(x: framed.x + 1, y: framed.y, width: framed.width - 2, height: framed.height)
    let theme = options.theme
    var lines: [(String, String)] = []
    if let action = state.catalog.action(named: used.action) {
        lines.append(("", state.catalog.description(of: action)))
        let risk =
            action.risk.flags.isEmpty
            ? (action.risk.assessed ? "none flagged" : "not assessed") : action.risk.flags.names.joined(separator: ", ")
        let verdict = action.verdict.map { "    verdict: \($0.rawValue)" } ?? ""
        lines.append(("level", "\(action.accessLevel.rawValue)\(verdict)    risk: \(risk)"))
    }
    let placed = state.tierIndex(of: used.action)
    let assignment = placed.flatMap { index in state.tiers.tiers[index].actions.first { $0.action == used.action } }
    let tierText = placed.map { state.tiers.tiers[$0].name } ?? "no tier yet"
    lines.append(
        (
            "tier",
            tierText
                + (assignment?.rule.map { "  (suggested by rule \($0))" }
                    ?? (placed == nil ? "" : "  (placed by hand)"))
        ))
    let prefix = String(used.action.prefix { $0 != ":" }).lowercased()
    if state.tiers.compressedServices.contains(prefix) {
        let wildcards = state.wildcards(ofService: prefix).map {
            "\($0.tier) \($0.pattern.pattern) (replaces \($0.pattern.replaces), grants \($0.pattern.matches.count) today)"
        }
        lines.append(
            ("wildcards", wildcards.isEmpty ? "none is safe and shorter yet" : wildcards.joined(separator: "; ")))
    }
    if let note = assignment?.note { lines.append(("note", note)) }
    lines += companionLines(state, used)
    let seen = [used.firstSeen, used.lastSeen].compactMap { $0?.description }.joined(separator: " … ")
    let forCaller = used.onBehalf > 0 ? ", \(used.onBehalf) by a service for the caller" : ""
    lines.append(
        (
            "used",
            "\(counted(used.count, "call"))\(forCaller), \(used.denied) denied, \(used.console) from the console; \(seen)"
        ))
    lines.append(("people", used.people.joined(separator: ", ")))
    lines.append(
        ("logged as", used.sources.map { "\($0.eventSource) \($0.eventName) (\($0.rule))" }.joined(separator: "; ")))
    let possible = state.possibleCompanions(of: used)
    if !possible.isEmpty { lines.append(("may need", possible.joined(separator: ", ") + " (by request; not granted)")) }
    if let pseudonyms = state.workshop {
        // For a room: what it is, who used it and the decision first, every name a pseudonym.
        let first = ["", "people", "note", "tier"]
        lines = first.flatMap { label in lines.filter { $0.0 == label } } + lines.filter { !first.contains($0.0) }
        lines = lines.map { ($0.0 == "people" ? "used by" : $0.0, pseudonyms.redact($0.1)) }
    }
    for (offset, line) in lines.enumerated() where offset < inner.height {
        var x = inner.x
        if !line.0.isEmpty { x += grid.put(line.0 + ": ", x: x, y: inner.y + offset, style: theme.style("muted")) }
        let prominent = state.workshop != nil && line.0 == "note"
        grid.put(
            line.1.truncated(toWidth: inner.maxX - x), x: x, y: inner.y + offset,
            style: theme.style(prominent ? "attention" : "default"))
    }
}

/// What the action needs besides itself and where that is; for a companion, what it serves.
private func companionLines(_ state: CurationState, _ used: Usage.ActionUsage) -> [(String, String)] {
    func place(_ action: String) -> String {
        guard let index = state.tierIndex(of: action) else { return "no tier" }
        let scopes = state.tiers.tiers[index].actions.first { $0.action == action }?.scopes ?? []
        return state.tiers.tiers[index].name
            + scopes.map { scope in
                ", " + counted(scope.resources.count, "role")
                    + (scope.passedTo.isEmpty ? "" : " to \(scope.passedTo.joined(separator: ", "))")
            }.joined()
    }
    var lines: [(String, String)] = []
    let needed = state.companions(of: used.action)
    if !needed.isEmpty {
        let rules = Dictionary(
            (state.companionsNeeded[used.action] ?? []).map { ($0.action, $0.rule) },
            uniquingKeysWith: { first, _ in first })
        lines.append(
            (
                "needs",
                needed.map { companion in
                    "\(companion) (\(rules[companion].map { "\($0), " } ?? "")\(place(companion)))"
                }.joined(separator: "; ")
            ))
    }
    let served = state.actionsServed(by: used.action)
    if !served.isEmpty {
        lines.append(("serves", served.map { "\($0) (\(place($0)))" }.joined(separator: "; ")))
    }
    return lines
}

private func drawStatus(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ theme: Theme) {
    grid.fill(area, style: theme.style("status"))
    if let draft = state.queryDraft {
        var x = area.x + grid.put(" search: ", x: area.x, y: area.y, style: theme.style("status.key"))
        x += grid.put(draft, x: x, y: area.y, style: theme.style("status"), clip: area)
        grid.put("▏", x: x, y: area.y, style: theme.style("status.key"), clip: area)
        let hint =
            " \(counted(state.services.reduce(0) { $0 + $1.actions.count }, "match", "matches")) · Enter keeps · Esc clears "
        grid.put(hint, x: area.maxX - displayWidth(of: hint), y: area.y, style: theme.style("status"), clip: area)
        return
    }
    if let draft = state.noteDraft {
        var x = area.x + grid.put(" note: ", x: area.x, y: area.y, style: theme.style("status.key"))
        x += grid.put(draft, x: x, y: area.y, style: theme.style("status"), clip: area)
        grid.put("▏", x: x, y: area.y, style: theme.style("status.key"), clip: area)
        let hint = " Enter keeps · Esc drops "
        grid.put(hint, x: area.maxX - displayWidth(of: hint), y: area.y, style: theme.style("status"), clip: area)
        return
    }
    if let message = state.message {
        grid.put(
            " " + message, x: area.x, y: area.y, style: theme.style(state.confirmingQuit ? "status.key" : "status"),
            clip: area)
        return
    }
    let count = state.tiers.tiers.count
    var x = area.x
    for (key, meaning) in [
        count == 0 ? ("T", "add a tier") : (count == 1 ? "1" : "1-\(count)", "tier"), ("0", "none"), ("Tab", "pane"),
        ("u", "undo"), ("^R", "redo"), ("s", "save"),
        ("?", "keys"), ("q", "quit"),
    ] {
        x += grid.put(" " + key, x: x, y: area.y, style: theme.style("status.key"), clip: area)
        x += grid.put(" " + meaning + " ", x: x, y: area.y, style: theme.style("status"), clip: area)
    }
}

private func drawRecovery(_ offer: TierSet, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let inner = modalFrame(&grid, width: 72, height: 6, title: "Unsaved changes found", options)
    // Actions whose tier differs (moved, added or removed), each counted once.
    let before = state.tierOf
    let after = CurationState.placements(offer)
    let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.count
    let lines = [
        "A session ended without saving \(state.tiersPath).",
        "Its last state differs in \(counted(changed, "placement")).",
        "r recover it    d discard it    q leave both files as they are",
    ]
    for (offset, line) in lines.enumerated() {
        grid.put(" " + line, x: inner.x, y: inner.y + offset, style: options.theme.style("modal"), clip: inner)
    }
}

/// What changed since the last save; what does not fit is counted, not silently cut.
/// Every key, from the same list the key bindings are documented by.
/// On a terminal too short for every key, the list scrolls with the highlighted key and says what
/// is above and below.
private func drawHelp(from highlighted: Int, into grid: inout Grid, _ options: ViewOptions) {
    let inner = modalFrame(
        &grid, width: 100, height: curationKeys.count + 4, title: "Keys (↑ ↓ scroll, any other key closes)", options)
    let rows = inner.height - 2
    guard rows > 0 else { return }
    let start = scrollOffset(selected: highlighted, visible: rows)
    let shown = curationKeys[start..<min(curationKeys.count, start + rows)]
    for (offset, entry) in shown.enumerated() {
        let y = inner.y + 1 + offset
        let isHighlighted = start + offset == highlighted
        if isHighlighted {
            grid.fill(
                Rect(x: inner.x, y: y, width: inner.width, height: 1), style: options.theme.style("item.selected"))
        }
        let style = { (role: String) in options.theme.style(isHighlighted ? "item.selected" : role) }
        grid.put(" " + entry.keys, x: inner.x, y: y, style: style("modal.border"), clip: inner)
        grid.put(entry.meaning, x: inner.x + 18, y: y, style: style("modal"), clip: inner)
    }
    let above = start
    let below = curationKeys.count - start - shown.count
    if above + below > 0 {
        let hint = [above > 0 ? "↑ \(above) more" : nil, below > 0 ? "↓ \(below) more" : nil].compactMap { $0 }
        grid.put(
            " " + hint.joined(separator: "  "), x: inner.x, y: inner.maxY - 1, style: options.theme.style("muted"),
            clip: inner)
    }
}
