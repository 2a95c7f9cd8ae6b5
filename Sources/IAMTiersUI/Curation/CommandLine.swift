import IAMTiersCore
import TUIKit

/// The command line (`:`): a service or an action to jump to, or a command; Tab completes.
enum PaletteCommand: String, CaseIterable {
    case check, diff, export, help, meters, minutes, people, quit, save, settings, theme

    var meaning: String {
        switch self {
        case .check: "the check panel (c)"
        case .diff: "the rollout diff (D)"
        case .export: "export the policies (E)"
        case .help: "every key (?)"
        case .meters: "what makes up each meter (m)"
        case .minutes: "write the minutes (M)"
        case .people: "the people (P)"
        case .quit: "quit (q)"
        case .save: "save the tiers file (s)"
        case .settings: "the tier settings (T)"
        case .theme: "theme NAME: draw in that theme"
        }
    }

    /// The action the command stands for; `theme` takes its argument.
    func action(_ argument: String) -> CurationAction? {
        switch self {
        case .check: .toggleChecks
        case .diff: .showRolloutDiff
        case .export: .exportPolicies
        case .help: .toggleHelp
        case .meters: .showMeters
        case .minutes: .writeMinutes
        case .people: .togglePeople
        case .quit: .quit
        case .save: .save
        case .settings: .toggleSettings
        case .theme: argument.isEmpty ? .nextTheme : .setTheme(argument)
        }
    }
}

extension CurationState {
    /// What the typed text may become: commands, then services and actions of the usage, by prefix.
    func completions(of text: String) -> [String] {
        let typed = text.lowercased()
        if typed.hasPrefix("theme ") {
            let name = typed.dropFirst("theme ".count)
            return themeNames.filter { $0.lowercased().hasPrefix(name) }.map { "theme \($0)" }
        }
        let commands = PaletteCommand.allCases.map(\.rawValue).filter { $0.hasPrefix(typed) }
        guard typed.contains(":") else {
            return commands + allServices.map(\.prefix).filter { $0.lowercased().hasPrefix(typed) }
        }
        let service = String(typed.prefix { $0 != ":" })
        return allServices.first { $0.prefix.lowercased() == service }.map { row in
            row.actions.map(\.action).filter { $0.lowercased().hasPrefix(typed) }
        } ?? []
    }
}

/// Tab: the longest text every completion starts with; the status line lists what is left.
func complete(_ editor: inout LineEditor, in state: CurationState) {
    let candidates = state.completions(of: editor.text)
    guard let first = candidates.first else { return }
    var common = first
    for candidate in candidates.dropFirst() {
        while !candidate.lowercased().hasPrefix(common.lowercased()) { common.removeLast() }
    }
    guard common.count > editor.text.count else { return }
    editor.clear()
    editor.insert(contentsOf: common + (candidates.count == 1 && PaletteCommand(rawValue: common) == .theme ? " " : ""))
}

/// While a name is typed, the lists follow: the first service shown that starts with it (and in it
/// the first action that starts with what follows the colon) is selected at once.
func jumpAsTyped(_ text: String, _ state: inout CurationState) {
    let typed = text.lowercased()
    guard !typed.isEmpty, !typed.contains(" "), PaletteCommand(rawValue: typed) == nil else { return }
    let parts = typed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    let servicePart = String(parts[0])
    let exact = parts.count > 1
    guard
        let service = state.services.firstIndex(where: {
            exact ? $0.prefix.lowercased() == servicePart : $0.prefix.lowercased().hasPrefix(servicePart)
        })
    else { return }
    state.selectedService = service
    state.selectedAction = 0
    state.focus = .services
    guard exact else { return }
    if let action = state.services[service].actions.firstIndex(where: { $0.action.lowercased().hasPrefix(typed) }) {
        state.selectedAction = action
        state.focus = .actions
    }
}

/// Enter: runs the command, or shows the service or the action typed.
func runCommandLine(_ text: String, _ state: inout CurationState) -> CurationAction? {
    let words = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
    guard let word = words.first else { return nil }
    if let command = PaletteCommand(rawValue: word.lowercased()) {
        return command.action(words.count > 1 ? words[1] : "")
    }
    let candidates = state.completions(of: word)
    // A prefix several services share goes to the first of them, where typing it went already.
    let onlyServices = candidates.allSatisfy { !$0.contains(":") && PaletteCommand(rawValue: $0) == nil }
    let target =
        candidates.first { $0.lowercased() == word.lowercased() }
        ?? (candidates.count == 1 || (onlyServices && !candidates.isEmpty) ? candidates[0] : nil)
    guard let target else {
        state.message =
            candidates.isEmpty
            ? "\(word): no command, service or action of the usage (Tab completes)"
            : "\(word): \(counted(candidates.count, "match", "matches")), Tab completes"
        return nil
    }
    if state.reveal(target) { state.message = nil }
    return nil
}
