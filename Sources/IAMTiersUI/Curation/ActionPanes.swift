import IAMTiersCore
import TUIKit

/// The services pane, the actions pane with a tick per tier, and the selected action's facts.
/// The initial of each tier, as the ticks show it.
func initials(_ tiers: TierSet) -> [String] {
    tiers.tiers.map { String($0.name.first ?? "?").uppercased() }
}

/// The filters narrowing the lists (the search aside), as the header and the services pane name them.
func narrowing(_ state: CurationState) -> [String] {
    [
        state.filter == .all ? nil : state.filter.rawValue, state.levelFilter?.rawValue,
        state.personFilter.map(state.forRoom),
    ].compactMap { $0 }
}

func drawServiceList(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
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
        let usage = inner.width >= 48 ? "\(counted(row.calls, "call"))  \(row.people)p  " : ""
        return ListLine(
            text: row.prefix, detail: usage + (unassigned > 0 ? "?\(unassigned) " : "") + breakdown,
            attention: unassigned > 0)
    }
    drawRows(
        count: state.services.count, line: line, selected: state.selectedService, focused: focused, into: &grid, inner,
        theme)
}

func drawActionList(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
    let theme = options.theme
    let focused = state.focus == .actions
    let row = state.selectedServiceRow
    let inner = paneFrame(
        &grid, area,
        title: row.map {
            "\($0.prefix): \(counted($0.actions.count, "action")), \(counted($0.calls, "call")), "
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
        if state.marks.contains(used.action) {
            grid.put("*", x: inner.x, y: y, style: selected ? base : theme.style("attention"))
        }
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
        // The name gets room first: on a narrow pane the people, then the access level give way.
        let denied = used.denied > 0 ? "  \(used.denied) denied" : ""
        let people = "  " + counted(used.people.count, "person", "people")
        let calls = counted(used.count, "call")
        let choices = [
            "\(level)  \(calls)\(denied)\(people)\(lastSeen)\(risk)", "\(level)  \(calls)\(denied)\(risk)",
            "\(calls)\(denied)\(risk)",
        ]
        let nameWidth = displayWidth(of: name)
        let facts = choices.first { inner.maxX - x - displayWidth(of: $0) - 2 >= nameWidth } ?? choices[2]
        let factsWidth = displayWidth(of: facts)
        let room = max(0, inner.maxX - x - factsWidth - 2)
        grid.put(name.truncated(toWidth: room), x: x, y: y, style: base)
        grid.put(facts, x: max(x, inner.maxX - factsWidth - 1), y: y, style: base, clip: inner)
    }
    // What the logs could not settle about this service, below its actions; `i` resolves it.
    let shownRows = min(row.actions.count - offset, inner.height)
    for (line, item) in state.openItems(ofService: row.prefix).enumerated() where shownRows + 1 + line < inner.height {
        let text = "⚑ \(item.kind.rawValue): \(state.forRoom(item.text))"
        grid.put(
            (text + " (i)").truncated(toWidth: inner.width - 2), x: inner.x + 1, y: inner.y + shownRows + 1 + line,
            style: theme.style("attention"), clip: inner)
    }
}

func drawActionDetails(_ state: CurationState, into grid: inout Grid, _ area: Rect, _ options: ViewOptions) {
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
    // An action only ever refused was used by nobody: these are the people it was refused to.
    lines.append((used.count == 0 && used.denied > 0 ? "refused to" : "people", used.people.joined(separator: ", ")))
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
    // Rows no field needs go to the long ones (a description, a note, the people), wrapped.
    var spare = inner.height - lines.count
    var y = inner.y
    for line in lines where y < inner.maxY {
        var x = inner.x
        if !line.0.isEmpty { x += grid.put(line.0 + ": ", x: x, y: y, style: theme.style("muted")) }
        let style = theme.style(state.workshop != nil && line.0 == "note" ? "attention" : "default")
        var rest = line.1
        while spare > 0 && y + 1 < inner.maxY && displayWidth(of: rest) > inner.maxX - x {
            let (shown, next) = rest.splitForWrapping(width: inner.maxX - x)
            grid.put(shown, x: x, y: y, style: style)
            rest = next
            y += 1
            spare -= 1
        }
        grid.put(rest.truncated(toWidth: inner.maxX - x), x: x, y: y, style: style)
        y += 1
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
