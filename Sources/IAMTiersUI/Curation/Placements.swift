import IAMTiersCore

/// Placing actions into tiers, by key or by the suggestion rules: companions follow, a
/// configuration-read tier asks first, and the meters and the placement index follow every change.
extension CurationState {
    /// After every change of the tiers: the meters and the placement index follow. Known moves
    /// update the index in place (taking each move's `side`) and re-meter only the tiers they
    /// touch; without them (or with none: a setting changed) everything is rebuilt.
    mutating func recomputePolicies(
        applying moves: [PlacementChange]? = nil, side: KeyPath<PlacementChange, Int?> = \.after
    ) {
        if let moves, !moves.isEmpty {
            var touched: [Int: Set<String>] = [:]
            for move in moves {
                let service = String(move.action.prefix { $0 != ":" }).lowercased()
                for tier in [move.before, move.after].compactMap({ $0 }) { touched[tier, default: []].insert(service) }
            }
            policies = PolicySynthesizer(compression: tiers.compressionScope, catalog: catalog).policies(
                for: tiers, reusing: policies, changed: touched)
        } else {
            policies = Self.synthesized(tiers, catalog)
        }
        if let moves {
            for move in moves {
                let tier = move[keyPath: side]
                let previous = tierOf[move.action]
                tierOf[move.action] = tier
                if let place = rowPositions[move.action] { rowTiers[place.service][place.position] = tier }
                if isRisky(move.action) {
                    if let previous { riskyCounts[previous] -= 1 }
                    if let tier { riskyCounts[tier] += 1 }
                }
            }
        } else {
            tierOf = Self.placements(tiers)
            rowTiers = tierOfByRow()
            riskyCounts = countRisky()
        }
        if rowPositions.count <= Self.checkedOnEveryKeyUpTo { recheck() } else { findingsOutdated = true }
        refreshFilteredLists()
    }

    /// Filters that depend on placements follow every change (a placed action leaves "unplaced").
    private mutating func refreshFilteredLists() {
        if filter == .unplaced || filter == .adminOnly { refreshLists() }
    }
}

/// Actions waiting to be placed into a configuration-read tier, and why they do not belong there.
public struct PendingPlacement: Sendable, Equatable {
    var tier: Int?
    var actions: [String]
}

/// More actions than this moved by one key are asked about first.
let bulkMoveQuestionAbove = 5

/// Moves actions between tiers (nil: out of every tier), keeping notes, one undo step per key: the
/// marked actions if any, else the selected action, else (on a service) the service's unplaced
/// actions, or all of them when every one is placed already.
func assign(_ state: inout CurationState, to tier: Int?) {
    let targets: [String]
    let group: String
    if !state.marks.isEmpty {
        // Marks the search or a filter hides now count too: the header says how many there are.
        targets = state.marks.sorted(by: caseInsensitiveLess)
        group = "marked actions"
    } else if state.focus == .actions {
        guard let selected = state.selectedUsage else { return }
        targets = [selected.action]
        group = ""
    } else {
        guard let row = state.selectedServiceRow else { return }
        let unplaced = row.actions.map(\.action).filter { state.tierIndex(of: $0) == nil }
        targets = tier == nil || unplaced.isEmpty ? row.actions.map(\.action) : unplaced
        group = "actions of \(row.prefix)"
    }
    let moving = targets.filter { state.tierIndex(of: $0) != tier }
    guard !moving.isEmpty else {
        state.message = tier.map { "already in \(state.tiers.tiers[$0].name)" } ?? "not in any tier"
        return
    }
    // Companions follow the actions that need them (`TierSet.companionTier`).
    let companions = tier.map { state.companionMoves(for: moving, to: $0) } ?? []
    let arriving = companions.filter { $0.tier == tier }.map(\.action)
    guard confirmed(&state, moving, companions: arriving, tier: tier) else { return }
    // A person decided: the suggestion rule no longer explains the placement.
    _ = place(&state, moving.map { (action: $0, tier: tier, rule: nil) } + companions)
    let place = tier.map { "into \(state.tiers.tiers[$0].name)" } ?? "out of every tier"
    let followers = companions.map(\.action)
    state.marks = []
    state.message =
        (moving.count == 1 && group.isEmpty ? "\(moving[0]) \(place)" : "\(moving.count) \(group) \(place)")
        + (followers.isEmpty
            ? ""
            : ", with \(followers.prefix(3).joined(separator: ", "))"
                + (followers.count > 3 ? " and \(followers.count - 3) more" : ""))
}

/// A move of more than a handful of actions, or of actions that are not configuration reads into
/// a configuration-read tier, happens only when its key is pressed a second time: the first press
/// names the count, and what does not belong and why.
private func confirmed(_ state: inout CurationState, _ targets: [String], companions: [String], tier: Int?) -> Bool {
    let key = tier.map { "\($0 + 1)" } ?? "0"
    let pending = PendingPlacement(tier: tier, actions: targets)
    if state.confirmingPlacement == pending {
        state.confirmingPlacement = nil
        return true
    }
    let objection = tier.flatMap { configurationReadObjection(state, targets, companions: companions, tier: $0) }
    guard objection != nil || targets.count > bulkMoveQuestionAbove else { return true }
    state.confirmingPlacement = pending
    let destination = tier.map { state.tiers.tiers[$0].name } ?? "out of every tier"
    state.message =
        objection
        ?? "move \(counted(targets.count, "action")) \(tier == nil ? "" : "into ")\(destination)? \(key) again moves them"
    return false
}

/// What a configuration-read tier objects to in a move, in words, ending in how to confirm; nil when
/// the tier takes it.
private func configurationReadObjection(
    _ state: CurationState, _ targets: [String], companions: [String], tier: Int
) -> String? {
    let destination = state.tiers.tiers[tier]
    guard destination.configurationReadOnly else { return nil }
    func objections(_ names: [String]) -> [(String, String)] {
        names.filter { state.tierIndex(of: $0) != tier }.compactMap { name in
            state.catalog.action(named: name).flatMap { action in action.configurationReadObjection.map { (name, $0) } }
        }
    }
    let own = objections(targets)
    let following = objections(companions)
    guard !own.isEmpty || !following.isEmpty else { return nil }
    var what: [String] = []
    if own.count == 1 {
        what.append("\(own[0].0) is \(own[0].1)")
    } else if own.count > 1 {
        what.append("\(own.count) of these actions are not configuration reads (\(own[0].0): \(own[0].1))")
    }
    if let companion = following.first {
        what.append(
            "its companion \(companion.0) is \(companion.1)"
                + (following.count > 1 ? " (and \(following.count - 1) more)" : ""))
    }
    return what.joined(separator: ", and ")
        + "; \(destination.name) holds configuration reads only: \(tier + 1) again places "
        + (targets.count > 1 ? "all \(targets.count) anyway" : "them anyway")
}

/// `a`: the selected action (on a service: its unplaced actions) where the suggestion rules put it;
/// `A`: every unplaced action shown. Only actions that were called: refusals stay a decision.
func applySuggestions(_ state: inout CurationState, everywhere: Bool) {
    guard !state.tiers.tiers.isEmpty else {
        state.message = "no tiers to place into: T adds one"
        return
    }
    let candidates: [Usage.ActionUsage]
    if everywhere {
        candidates = state.services.flatMap(\.actions).filter { state.tierIndex(of: $0.action) == nil }
    } else if state.focus == .actions {
        candidates = state.selectedUsage.map { [$0] } ?? []
    } else {
        candidates = state.selectedServiceRow?.actions.filter { state.tierIndex(of: $0.action) == nil } ?? []
    }
    let placements = candidates.compactMap { used -> (action: String, tier: Int?, rule: String?)? in
        guard used.count > 0, let action = state.catalog.action(named: used.action) else { return nil }
        let rule = SuggestionRules.rule(for: action)
        guard let tier = state.tiers.tier(forRung: rule.rung) else { return nil }
        return (used.action, tier, rule.id)
    }
    // Companions follow, as when a person places the actions.
    let placed = Set(placements.map(\.action))
    let companions = Dictionary(grouping: placements, by: \.tier).flatMap { tier, group in
        tier.map { state.companionMoves(for: group.map(\.action), to: $0) } ?? []
    }.filter { !placed.contains($0.action) }
    let moved = place(&state, placements + companions)
    state.message =
        placements.isEmpty
        ? "nothing to suggest for: every called action shown is placed"
        : "\(counted(moved, "action")) placed by the suggestion rules"
            + (placements.count + companions.count == moved
                ? "" : ", \(placements.count + companions.count - moved) already there")
}

/// Moves actions into tiers (nil: out of every tier) as one undo step, keeping their notes; returns
/// how many moved.
private func place(_ state: inout CurationState, _ placements: [(action: String, tier: Int?, rule: String?)]) -> Int {
    var updated = state.tiers
    var moved: [PlacementChange] = []
    for (action, tier, rule) in placements where state.tierIndex(of: action) != tier {
        var kept: Assignment?
        // The index says where the action is: only that tier is searched.
        if let from = state.tierIndex(of: action),
            let position = updated.tiers[from].actions.firstIndex(where: { $0.action == action })
        {
            kept = updated.tiers[from].actions.remove(at: position)
        }
        if let tier {
            updated.tiers[tier].insert(
                Assignment(
                    action: action, rule: rule, note: kept?.note, scopes: kept?.scopes ?? state.usageScopes(of: action))
            )
        }
        moved.append(PlacementChange(action: action, before: state.tierIndex(of: action), after: tier))
    }
    guard !moved.isEmpty else { return 0 }
    state.remember(moves: moved)
    state.tiers = updated
    state.recomputePolicies(applying: moved)
    return moved.count
}

/// Wildcards are a property of the tiers (saved, undone, exported), so a toggle is one undo step.
func toggleCompression(_ state: inout CurationState) {
    guard let prefix = state.selectedServiceRow?.prefix.lowercased() else { return }
    state.remember(moves: [])
    if state.tiers.compressedServices.remove(prefix) == nil { state.tiers.compressedServices.insert(prefix) }
    state.recomputePolicies(applying: [])
    guard state.tiers.compressedServices.contains(prefix) else {
        state.message = "\(prefix): actions listed one by one"
        return
    }
    let wildcards = state.wildcards(ofService: prefix)
    let replaced = wildcards.reduce(0) { $0 + $1.pattern.replaces }
    state.message =
        wildcards.isEmpty
        ? "\(prefix): wildcards on, but none is safe and shorter yet"
        : "\(prefix): \(counted(wildcards.count, "wildcard")) replace \(counted(replaced, "listed action"))"
}

/// Space: on an action, marks or unmarks it and moves on; on a service, marks every action it shows
/// (or unmarks them when all are marked).
func toggleMark(_ state: inout CurationState) {
    guard let row = state.selectedServiceRow else { return }
    if state.focus == .services {
        let names = Set(row.actions.map(\.action))
        if names.isSubset(of: state.marks) { state.marks.subtract(names) } else { state.marks.formUnion(names) }
    } else {
        guard let selected = state.selectedUsage?.action else { return }
        if state.marks.remove(selected) == nil {
            state.marks.insert(selected)
            state.markAnchor = selected
        }
        state.selectedAction = min(state.selectedAction + 1, row.actions.count - 1)
    }
    sayMarked(&state)
}

/// V: marks the actions of the service from the last one marked to the selected one.
func markRange(_ state: inout CurationState) {
    guard let row = state.selectedServiceRow, let selected = state.selectedUsage?.action else { return }
    let names = row.actions.map(\.action)
    let start = state.markAnchor.flatMap { names.firstIndex(of: $0) } ?? state.selectedAction
    let range = min(start, state.selectedAction)...max(start, state.selectedAction)
    state.marks.formUnion(names[range])
    state.markAnchor = selected
    sayMarked(&state)
}

private func sayMarked(_ state: inout CurationState) {
    state.message = "\(counted(state.marks.count, "action")) marked: a tier key moves them, Esc unmarks"
}
