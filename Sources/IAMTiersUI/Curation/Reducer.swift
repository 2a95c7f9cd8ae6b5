import IAMTiersCore
import TUIKit

/// What the reducer asks the session to write; the results come back as actions.
public enum CurationEffect: Sendable, Equatable {
    /// The tiers file (`s`).
    case save
    /// `<tiers>-minutes.md` (`M`).
    case writeMinutes
    /// `export/` beside the tiers file (`E`).
    case export
}

/// The one place the curation state changes. Writing is left to the returned effects.
@discardableResult
public func reduce(_ state: inout CurationState, _ action: CurationAction) -> [CurationEffect] {
    guard let reason = state.readOnly else { return reduceEditing(&state, action) }
    if action.writes {
        state.message = "read-only: \(reason)"
        return []
    }
    // Whatever else would change the tiers (in a settings or open-items screen) is undone at once.
    let before = state.tiers
    let effects = reduceEditing(&state, action)
    if state.tiers != before {
        state.tiers = before
        state.undoStack.removeLast()
        state.recomputePolicies()
        state.message = "read-only: \(reason)"
    }
    return effects
}

extension CurationAction {
    /// Actions that change the tiers or write them: refused while read-only.
    var writes: Bool {
        switch self {
        case .assign, .unassign, .undo, .redo, .save, .recover, .discardRecovery, .editNote, .applySuggestion,
            .toggleCompression, .writeMinutes, .exportPolicies:
            return true
        default: return false
        }
    }
}

private func reduceEditing(_ state: inout CurationState, _ action: CurationAction) -> [CurationEffect] {
    // Nothing else changes: not a pending question, not the selection.
    if case .unrecognisedKey(let name) = action {
        state.message = "\(name) is not a key here (press ? for keys)"
        return []
    }
    if action != .quit { state.confirmingQuit = false }
    if case .assign(let tier) = action, tier == state.confirmingPlacement?.tier {
    } else {
        state.confirmingPlacement = nil
    }
    if [.up, .down, .pageUp, .pageDown, .first, .last, .switchPane, .focusServices, .focusActions].contains(action) {
        state.message = nil
    }
    switch action {
    case .up: move(&state, by: -1)
    case .down: move(&state, by: 1)
    case .pageUp: move(&state, by: -curationPage)
    case .pageDown: move(&state, by: curationPage)
    case .first: move(&state, by: -Int.max / 2)
    case .last: move(&state, by: Int.max / 2)
    case .switchPane: state.focus = state.focus == .services ? .actions : .services
    case .focusServices: state.focus = .services
    case .focusActions: state.focus = .actions
    case .select(let pane, let row):
        state.focus = pane
        if pane == .services {
            guard state.services.indices.contains(row) else { return [] }
            if row != state.selectedService { state.selectedAction = 0 }
            state.selectedService = row
        } else {
            guard state.selectedServiceRow?.actions.indices.contains(row) == true else { return [] }
            state.selectedAction = row
        }
    case .scroll(let pane, let delta):
        state.focus = pane
        move(&state, by: delta)
    case .assign(let tier): assign(&state, to: tier)
    case .unassign: assign(&state, to: nil)
    case .undo:
        step(&state, from: \.undoStack, to: \.redoStack, side: \.before, done: "undone", nothing: "nothing to undo")
    case .redo:
        step(&state, from: \.redoStack, to: \.undoStack, side: \.after, done: "redone", nothing: "nothing to redo")
    case .save: return [.save]
    case .saved:
        state.savedTiers = state.tiers
        state.writeProblem = nil
        state.message = "saved \(state.tiersPath)"
    case .saveFailed(let reason):
        state.writeProblem = "not saved: \(reason), changes only in memory"
        state.message = state.writeProblem
    case .autosaved:
        state.writeProblem = nil
    case .autosaveFailed(let reason):
        // Said once in the status line, and kept in the header until a write succeeds.
        if state.writeProblem == nil { state.message = "autosave failed: \(reason), changes only in memory" }
        state.writeProblem = "autosave failed: \(reason), changes only in memory"
    case .recover:
        guard case .recovery(let recovered) = state.overlay else { return [] }
        state.remember(moves: nil)
        state.tiers = recovered
        state.overlay = nil
        state.recomputePolicies()
        state.message = "recovered the unsaved changes; s saves them"
    case .discardRecovery:
        state.overlay = nil
        state.message = "discarded the unsaved changes of the last session"
    case .toggleHelp: state.overlay = state.overlay == nil ? .help(highlighted: 0) : nil
    case .scrollHelp(let delta):
        guard case .help(let highlighted) = state.overlay else { return [] }
        state.overlay = .help(highlighted: min(max(0, highlighted + delta), KeyMap.main.bindings.count - 1))
    case .editNote:
        guard let selected = state.selectedUsage, let tier = state.tierIndex(of: selected.action) else {
            state.message = "put the action into a tier first; the note says why it is there"
            return []
        }
        state.prompt = .note(
            LineEditor(state.tiers.tiers[tier].actions.first { $0.action == selected.action }?.note ?? ""))
    case .type(let character): editText(&state) { $0.insert(character) }
    case .deleteBackward: editText(&state) { $0.deleteBackward() }
    case .commitText: commitText(&state)
    case .cancelText: cancelText(&state)
    case .nextTheme:
        guard !state.themeNames.isEmpty else { return [] }
        state.theme = (state.theme + 1) % state.themeNames.count
        state.message = "theme: \(state.themeNames[state.theme]) (t: the next)"
    case .nextFilter:
        state.cycleFilter()
        state.message = "showing \(state.filter.rawValue)" + (state.services.isEmpty ? ": none" : "")
    case .nextLevelFilter:
        state.cycleLevelFilter()
        let shown = state.levelFilter.map { "only \($0.rawValue) actions" } ?? "every access level"
        state.message = shown + (state.services.isEmpty ? ": none" : "")
    case .nextPersonFilter:
        state.cyclePersonFilter()
        let person = state.personFilter.map(state.forRoom)
        state.message = person.map { "only what \($0) used" } ?? "everyone's actions"
    case .nextOrder:
        state.cycleOrder()
        state.message = "actions \(state.order.rawValue)"
    case .toggleCompression: toggleCompression(&state)
    case .applySuggestion(let everywhere): applySuggestions(&state, everywhere: everywhere)
    case .toggleOpenItems:
        // From a service with open items of its own, the view opens on the first of them.
        let first = state.selectedServiceRow.flatMap { state.openItemIndices(ofService: $0.prefix).first } ?? 0
        state.overlay = state.overlay == nil ? .openItems(OpenItemsCursor(selected: first)) : nil
    case .openItems(let action): reduceOpenItems(&state, action)
    case .writeMinutes: return [.writeMinutes]
    case .exportPolicies: return [.export]
    case .exportFinished(let message): state.message = message
    case .minutesWritten(let path): state.message = "minutes written to \(path)"
    case .minutesFailed(let reason): state.message = "no minutes written: \(reason)"
    case .toggleSettings: state.overlay = state.overlay == nil ? .settings(TierSettingsCursor()) : nil
    case .settings(let action): reduceSettings(&state, action)
    case .showChanges:
        state.overlay = .report(
            ReportView(title: "Changes since \(state.tiersPath) was saved", lines: changesSinceSave(state)))
    case .showRolloutDiff: state.overlay = .report(rolloutDiffReport(state))
    case .scrollReport(let delta): scrollReport(&state, by: delta)
    case .closeReport: state.overlay = nil
    case .togglePeople:
        state.overlay =
            state.overlay == nil
            ? .people(PeopleCursor(replay: Replay(tiers: state.tiers, usage: state.usage, catalog: state.catalog)))
            : nil
    case .people(let action): reducePeople(&state, action)
    case .editQuery: state.prompt = .search(LineEditor(state.query))
    case .clearQuery: state.search("")
    case .unrecognisedKey: break  // answered above
    case .quit:
        if state.isModified && !state.confirmingQuit {
            state.confirmingQuit = true
            state.message = "unsaved changes: s saves, q again quits without saving"
        } else {
            state.shouldQuit = true
        }
    }
    return []
}

/// Edits the line being typed: the prompt's, or the settings field's. A search narrows the lists
/// with every key.
private func editText(_ state: inout CurationState, _ edit: (inout LineEditor) -> Void) {
    switch state.prompt {
    case .search(var editor):
        edit(&editor)
        state.prompt = .search(editor)
        state.search(editor.text)
    case .note(var editor):
        edit(&editor)
        state.prompt = .note(editor)
    case nil:
        switch state.overlay {
        case .settings(var cursor):
            guard var draft = cursor.draft else { return }
            edit(&draft)
            cursor.draft = draft
            state.overlay = .settings(cursor)
        case .openItems(var cursor):
            guard var reason = cursor.reason else { return }
            edit(&reason)
            cursor.reason = reason
            state.overlay = .openItems(cursor)
        default: return
        }
    }
}

/// Enter on the line being typed: the search stays, the note is written to the action's assignment,
/// a setting is checked and applied.
private func commitText(_ state: inout CurationState) {
    switch state.prompt {
    case .search:
        state.prompt = nil
        state.message = state.services.isEmpty ? "no action matches '\(state.query)'" : nil
    case .note(let editor):
        state.prompt = nil
        guard let selected = state.selectedUsage, let tier = state.tierIndex(of: selected.action),
            let position = state.tiers.tiers[tier].actions.firstIndex(where: { $0.action == selected.action })
        else { return }
        let note = editor.text.trimmingCharacters(in: .whitespaces)
        var updated = state.tiers
        updated.tiers[tier].actions[position].note = note.isEmpty ? nil : note
        guard updated != state.tiers else { return }
        state.remember(moves: [])
        state.tiers = updated
        state.message = note.isEmpty ? "note removed from \(selected.action)" : "noted: \(selected.action)"
    case nil:
        if case .openItems = state.overlay {
            reduceOpenItems(&state, .commitReason)
        } else {
            reduceSettings(&state, .commitDraft)
        }
    }
}

/// Esc on the line being typed: a search is cleared, a note or a setting left as it was.
private func cancelText(_ state: inout CurationState) {
    switch state.prompt {
    case .search:
        state.prompt = nil
        state.search("")
    case .note:
        state.prompt = nil
        state.message = "note not changed"
    case nil:
        if case .openItems = state.overlay {
            reduceOpenItems(&state, .cancelReason)
        } else {
            reduceSettings(&state, .cancelDraft)
        }
    }
}

private func move(_ state: inout CurationState, by delta: Int) {
    if state.focus == .services {
        guard !state.services.isEmpty else { return }
        state.selectedService = min(max(0, state.selectedService + delta), state.services.count - 1)
        state.selectedAction = 0
    } else {
        let count = state.selectedServiceRow?.actions.count ?? 0
        guard count > 0 else { return }
        state.selectedAction = min(max(0, state.selectedAction + delta), count - 1)
    }
}
