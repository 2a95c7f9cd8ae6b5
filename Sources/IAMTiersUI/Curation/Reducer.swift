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
    /// What the session or the runtime reports back (a write's result, the idle recount, the
    /// terminal's size): not something a person pressed.
    var isReport: Bool {
        switch self {
        case .saved, .saveFailed, .autosaved, .autosaveFailed, .minutesWritten, .minutesFailed, .exportFinished,
            .recheck, .resize:
            return true
        default: return false
        }
    }

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
    // What the session and the runtime report is not a key: questions stay open, messages do not age.
    guard !action.isReport else { return reduceAction(&state, action) }
    if action != .quit { state.confirmingQuit = false }
    if action != .settings(.deleteTier), case .settings(var cursor) = state.overlay, cursor.confirmingDelete != nil {
        cursor.confirmingDelete = nil
        state.overlay = .settings(cursor)
    }
    // A question about a move stays open only for the same key once more.
    switch action {
    case .assign(let tier) where state.confirmingPlacement?.tier == tier: break
    case .unassign where state.confirmingPlacement.map({ $0.tier == nil }) == true: break
    default: state.confirmingPlacement = nil
    }
    switch action {
    case .move, .switchPane, .focusServices, .focusActions: state.message = nil
    default: break
    }
    let message = state.message
    let steps = state.undoStack.count
    var effects = reduceAction(&state, action)
    // A change is remembered in the words that announced it (undo and redo carry theirs); a message
    // nobody answers fades after a few keys (a question waiting for its key stays).
    if state.undoStack.count > steps && action != .redo, let said = state.message {
        state.undoStack[state.undoStack.count - 1].label = said
    }
    // A command typed at `:` is then done as its key would do it, with the same checks.
    if let followUp = state.commandFollowUp {
        state.commandFollowUp = nil
        effects += reduce(&state, followUp)
        return effects
    }
    if state.message != nil && state.message == message && state.confirmingPlacement == nil && !state.confirmingQuit {
        state.messageAge += 1
        if state.messageAge >= messageLifetime { state.message = nil }
    } else {
        state.messageAge = 0
    }
    return effects
}

/// Keys a status message stays for once nothing refers to it.
let messageLifetime = 4

private func reduceAction(_ state: inout CurationState, _ action: CurationAction) -> [CurationEffect] {
    switch action {
    case .move(let scroll): move(&state, scroll)
    case .resize(let width, let height): state.screen = (width, height)
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
        move(&state, .lines(delta))
    case .assign(let tier): assign(&state, to: tier)
    case .toggleMark: toggleMark(&state)
    case .markRange: markRange(&state)
    case .clearMarks:
        state.message = "\(counted(state.marks.count, "mark")) cleared"
        state.marks = []
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
    case .toggleHelp: state.overlay = state.overlay == nil ? .help(top: 0) : nil
    case .scrollHelp(let scroll):
        guard case .help(let top) = state.overlay else { return [] }
        let count = KeyMap.main.bindings.count
        state.overlay = .help(
            top: ScrollingPage(top: top, lines: count).scrolled(
                scroll, rows: overlayRows(state, wanted: count + 4, reserved: 2)))
    case .editNote:
        guard let selected = state.selectedUsage, let tier = state.tierIndex(of: selected.action) else {
            state.message = "put the action into a tier first; the note says why it is there"
            return []
        }
        state.prompt = .note(
            LineEditor(state.tiers.tiers[tier].actions.first { $0.action == selected.action }?.note ?? ""))
    case .type(let character): editText(&state) { $0.insert(character) }
    case .deleteBackward: editText(&state) { $0.deleteBackward() }
    case .clearText: editText(&state) { $0.clear() }
    case .commitText: return commitText(&state)
    case .completeText:
        guard case .command(var editor) = state.prompt else { return [] }
        complete(&editor, in: state)
        state.prompt = .command(editor)
        // What is left to choose from, or what the one command left does.
        let left = state.completions(of: editor.text)
        if left.count == 1, let command = PaletteCommand(rawValue: String(left[0].prefix { $0 != " " })) {
            state.message = "\(command.rawValue): \(command.meaning)"
        } else {
            state.message =
                left.count > 1
                ? "\(left.count) matches: " + left.prefix(6).joined(separator: ", ") + (left.count > 6 ? ", …" : "")
                : nil
        }
    case .editCommand: state.prompt = .command(LineEditor())
    case .toggleChecks:
        guard state.overlay == nil else {
            state.overlay = nil
            return []
        }
        let findings = state.currentFindings()
        (state.findingCount, state.findingsOutdated) = (findings.count, false)
        state.overlay = .checks(ChecksCursor(findings: findings))
    case .recheck: state.recheck()
    case .checks(let action): reduceChecks(&state, action)
    case .setTheme(let name):
        guard let index = state.themeNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
            state.message = "no theme \(name): " + state.themeNames.joined(separator: ", ")
            return []
        }
        state.theme = index
        state.message = "theme: \(state.themeNames[index]) (t: the next)"
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
    case .showMeters: state.overlay = .report(meterBreakdown(state))
    case .scrollReport(let scroll): scrollReport(&state, scroll)
    case .closeReport: state.overlay = nil
    case .togglePeople:
        state.overlay =
            state.overlay == nil
            ? .people(PeopleCursor(replay: Replay(tiers: state.tiers, usage: state.usage, catalog: state.catalog)))
            : nil
    case .people(let action): reducePeople(&state, action)
    case .editQuery: state.prompt = .search(LineEditor(state.query))
    case .clearQuery: clearSearch(&state)
    case .nextMatch(let step): nextMatch(&state, step: step)
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
    case .command(var editor):
        edit(&editor)
        state.prompt = .command(editor)
        jumpAsTyped(editor.text, &state)
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
private func commitText(_ state: inout CurationState) -> [CurationEffect] {
    switch state.prompt {
    case .command(let editor):
        state.prompt = nil
        state.commandFollowUp = runCommandLine(editor.text, &state)
    case .search:
        state.prompt = nil
        state.message = state.services.isEmpty ? "no action matches '\(state.query)'" : nil
    case .note(let editor):
        state.prompt = nil
        guard let selected = state.selectedUsage, let tier = state.tierIndex(of: selected.action),
            let position = state.tiers.tiers[tier].actions.firstIndex(where: { $0.action == selected.action })
        else { return [] }
        let note = editor.text.trimmingCharacters(in: .whitespaces)
        var updated = state.tiers
        updated.tiers[tier].actions[position].note = note.isEmpty ? nil : note
        guard updated != state.tiers else { return [] }
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
    return []
}

/// Esc on the line being typed: a search is cleared, a note or a setting left as it was.
private func cancelText(_ state: inout CurationState) {
    switch state.prompt {
    case .search:
        state.prompt = nil
        clearSearch(&state)
    case .note:
        state.prompt = nil
        state.message = "note not changed"
    case .command:
        state.prompt = nil
    case nil:
        if case .openItems = state.overlay {
            reduceOpenItems(&state, .cancelReason)
        } else {
            reduceSettings(&state, .cancelDraft)
        }
    }
}

private func move(_ state: inout CurationState, _ scroll: Scroll) {
    let visible = state.paneRows
    if state.focus == .services {
        guard !state.services.isEmpty else { return }
        state.selectedService = scroll.apply(to: state.selectedService, count: state.services.count, visible: visible)
        state.selectedAction = 0
    } else {
        let count = state.selectedServiceRow?.actions.count ?? 0
        guard count > 0 else { return }
        state.selectedAction = scroll.apply(to: state.selectedAction, count: count, visible: visible)
    }
}

/// The search goes, the selected action stays selected (and in sight) in the whole lists.
private func clearSearch(_ state: inout CurationState) {
    let selected = state.selectedUsage?.action
    let focus = state.focus
    state.search("")
    if let selected, state.reveal(selected) { state.focus = focus }
}

/// `n`/`N`: the next or previous action shown, on to the next service at the end of one.
private func nextMatch(_ state: inout CurationState, step: Int) {
    let positions = state.services.indices.flatMap { service in
        state.services[service].actions.indices.map { (service, $0) }
    }
    guard !positions.isEmpty else {
        state.message = "nothing shown: Esc clears the search"
        return
    }
    let current = positions.firstIndex { $0 == (state.selectedService, state.selectedAction) } ?? 0
    let next = positions[(current + step % positions.count + positions.count) % positions.count]
    (state.selectedService, state.selectedAction) = next
    state.focus = .actions
    state.message =
        state.query.isEmpty
        ? nil : "match \(positions.firstIndex { $0 == next }! + 1) of \(positions.count) for “\(state.query)”"
}
