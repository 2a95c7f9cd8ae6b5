import Foundation
import IAMTiersCore
import TUIKit

/// One service of the usage, with its used actions in name order.
public struct ServiceRow: Sendable, Equatable {
    public var prefix: String
    public var actions: [Usage.ActionUsage]
    public var calls: Int
    public var people: Int
}

/// The curation screen: the usage on the left, tiers as ticks, meters on top. State changes only in
/// `reduce`; saving and autosaving are effects the runtime performs and reports back.
public struct CurationState: Sendable {
    public enum Pane: Sendable, Hashable { case services, actions }

    public let catalog: Catalog
    public let usage: Usage
    public let usagePath: String
    public let tiersPath: String
    /// Every service of the usage.
    public let allServices: [ServiceRow]
    /// Each action's name of `allServices`, lower-cased once: the search runs on every typed key.
    private let searchNames: [[[UInt8]]]
    /// Where each action of `allServices` is (service, position), to keep `rowTiers` in step.
    private let rowPositions: [String: (service: Int, position: Int)]
    /// `tierOf` laid out like `allServices` (nil: no tier): the filters read every action on a key,
    /// and 20,000 lookups by name cost more than the rest of the key.
    private(set) var rowTiers: [[Int?]] = []
    /// Whether each action of `allServices` is risky (see `isRisky`), decided once.
    private var riskyRows: [[Bool]] = []
    /// The services and actions the search shows (all of them without one).
    public private(set) var services: [ServiceRow]
    /// The search: a piece of an action's name, matched case-insensitively.
    public private(set) var query = ""
    /// The search being typed, while `/` is open.
    public var queryDraft: String?
    public var tiers: TierSet
    /// The tiers as last saved (or loaded): what "modified" compares against.
    public var savedTiers: TierSet
    /// The tiers as the session opened them: what the minutes report decisions against.
    public let openedTiers: TierSet
    /// Workshop mode (`--workshop`): people and accounts shown as pseudonyms, the detail pane
    /// calmer and larger, notes first.
    public var workshop: Pseudonyms?
    public var wantsMinutes = false
    public var wantsExport = false
    public private(set) var policies: [TierPolicies]
    /// Per tier, how many of its actions the catalog flags as risky (privilege escalation,
    /// credentials, data access, …): shown beside each meter.
    public private(set) var riskyCounts: [Int] = []
    /// Which tier each action is in, kept with the tiers: the screen asks for every row it draws.
    public private(set) var tierOf: [String: Int]
    /// The usage's companions by the action that needs them, and by the companion.
    let companionsNeeded: [String: [Usage.Companion]]
    let companionEntries: [String: [Usage.Companion]]
    /// What AWS's lists and the catalog say an action may also need (nil: the table did not load).
    let companionFinder: CompanionFinder?
    public var selectedService = 0
    public var selectedAction = 0
    public var focus = Pane.actions
    public var undoStack: [HistoryStep] = []
    public var redoStack: [HistoryStep] = []
    /// One line for the status bar: what just happened, or what a key needs to be pressed again for.
    public var message: String?
    /// Unsaved changes from a session that ended without saving, offered at start.
    public var recoveryOffer: TierSet?
    public var wantsSave = false
    /// The last write of the tiers or their journal that failed, in plain words; shown in the
    /// header until a write succeeds, because until then the changes exist only in memory.
    public var writeProblem: String?
    /// Why the tiers are shown read-only (another editor holds the file), or nil when editing.
    public var readOnly: String?
    public var confirmingQuit = false
    /// A placement into a configuration-read tier of actions that are not configuration reads,
    /// waiting for the same tier key once more.
    public var confirmingPlacement: PendingPlacement?
    public var shouldQuit = false
    /// The decision note being typed for the selected action, while `n` editing is open.
    public var noteDraft: String?
    public var showingHelp = false
    /// The key the help highlights; ↑ ↓ move it, and a short terminal scrolls to keep it in sight.
    public var helpScroll = 0
    /// While `d` or `D` is open: the page of changes shown.
    public var report: ReportView?
    /// The version `D` compares with (`edit --compare`); without one, the saved file.
    public var compared: ComparedVersion?
    /// While `P` is open: the people replayed against the tiers, and the selected one.
    public var people: PeopleCursor?
    /// While `T` is open: the tier-settings screen's cursor.
    public var settings: TierSettingsCursor?
    /// While `i` is open: the selected open item.
    public var openItemSelected: Int?
    /// Help, a report, tier settings, open items, people or the recovery question cover the main screen.
    public var isShowingOverlay: Bool {
        showingHelp || report != nil || settings != nil || openItemSelected != nil || people != nil
            || recoveryOffer != nil
    }
    /// Text from logs or notes as the room may see it: in workshop mode with pseudonyms.
    public func forRoom(_ text: String) -> String { workshop?.redact(text) ?? text }

    /// A search, a note or a tier name is being typed: every key is text, `t` too.
    public var isTypingText: Bool { queryDraft != nil || noteDraft != nil || settings?.draft != nil }

    public init(catalog: Catalog, usage: Usage, usagePath: String, tiers: TierSet, tiersPath: String) {
        self.catalog = catalog
        self.usage = usage
        self.usagePath = usagePath
        self.tiersPath = tiersPath
        self.tiers = tiers
        savedTiers = tiers
        openedTiers = tiers
        policies = Self.synthesized(tiers, catalog)
        tierOf = Self.placements(tiers)
        companionsNeeded = Dictionary(grouping: usage.companions, by: \.neededBy)
        companionEntries = Dictionary(grouping: usage.companions, by: \.action)
        companionFinder = (try? CloudTrailMapping.bundled(catalog: catalog)).flatMap { mapping in
            (try? OperationActions.bundled()).map {
                CompanionFinder(catalog: catalog, mapping: mapping, operations: $0)
            }
        }
        var byService: [String: [Usage.ActionUsage]] = [:]
        for action in usage.actions where action.count + action.denied > 0 {
            byService[String(action.action.split(separator: ":").first ?? ""), default: []].append(action)
        }
        allServices = byService.keys.sorted().map { prefix in
            let actions = byService[prefix]!.sorted { $0.action.lowercased() < $1.action.lowercased() }
            return ServiceRow(
                prefix: prefix, actions: actions, calls: actions.reduce(0) { $0 + $1.count },
                people: Set(actions.flatMap(\.people)).count)
        }
        searchNames = allServices.map { row in row.actions.map { Array($0.action.lowercased().utf8) } }
        var positions: [String: (service: Int, position: Int)] = [:]
        for (service, row) in allServices.enumerated() {
            for (position, action) in row.actions.enumerated() { positions[action.action] = (service, position) }
        }
        rowPositions = positions
        services = allServices
        rowTiers = tierOfByRow()
        riskyRows = allServices.map { row in row.actions.map { Self.isRisky($0.action, catalog) } }
        riskyCounts = countRisky()
    }

    /// Shows only the actions whose name contains `text` (and the services that have any).
    mutating func search(_ text: String) {
        query = text
        refreshLists()
    }

    /// Which actions the lists show, besides the search.
    public enum Filter: String, Sendable, CaseIterable {
        case all = "all actions"
        case unplaced = "unplaced"
        case risky = "risky"
        case denied = "refused at least once"
        case adminOnly = "only in Admin"
    }

    /// The order of the actions within a service.
    public enum Order: String, Sendable, CaseIterable {
        case name = "by name"
        case calls = "by calls"
        case lastSeen = "by last seen"
    }

    public private(set) var filter = Filter.all
    public private(set) var order = Order.name

    mutating func cycleFilter() {
        filter = Filter.allCases[(Filter.allCases.firstIndex(of: filter)! + 1) % Filter.allCases.count]
        refreshLists()
    }

    /// `L`: only actions of one access level; `p`: only actions one person used. Both combine with
    /// the filter and the search.
    public private(set) var levelFilter: AccessLevel?
    public private(set) var personFilter: String?

    mutating func cycleLevelFilter() {
        levelFilter = Self.next(after: levelFilter, in: AccessLevel.allCases)
        refreshLists()
    }

    mutating func cyclePersonFilter() {
        personFilter = Self.next(after: personFilter, in: usage.people.map(\.name).sorted())
        refreshLists()
    }

    mutating func showOnly(person: String) {
        personFilter = person
        refreshLists()
    }

    /// nil (everything), then each choice in turn, then nil again.
    private static func next<Choice: Equatable>(after current: Choice?, in choices: [Choice]) -> Choice? {
        guard let current, let index = choices.firstIndex(of: current) else { return choices.first }
        return index + 1 < choices.count ? choices[index + 1] : nil
    }

    mutating func cycleOrder() {
        order = Order.allCases[(Order.allCases.firstIndex(of: order)! + 1) % Order.allCases.count]
        refreshLists()
    }

    /// Flagged by iam-dataset or the supplement, or a read nobody has assessed.
    private static func isRisky(_ action: String, _ catalog: Catalog) -> Bool {
        catalog.action(named: action).map { !$0.risk.flags.isEmpty || $0.verdict == .unassessed } ?? false
    }

    /// From the rows where the action is one (nearly every placed action is), else from the catalog.
    private func isRisky(_ action: String) -> Bool {
        guard let place = rowPositions[action] else { return Self.isRisky(action, catalog) }
        return riskyRows[place.service][place.position]
    }

    func countRisky() -> [Int] { tiers.tiers.map { tier in tier.actions.count { isRisky($0.action) } } }

    /// `tierOf` for each action of `allServices`, in the same layout.
    private func tierOfByRow() -> [[Int?]] { allServices.map { row in row.actions.map { tierOf[$0.action] } } }

    /// By position, not by name, and reading single fields in place: copying or looking up every usage
    /// record on each key was the slowest part of a key in `Benchmarks/curation`.
    func passesFilter(service: Int, position: Int) -> Bool {
        if let levelFilter, allServices[service].actions[position].accessLevel != levelFilter { return false }
        if let personFilter, !allServices[service].actions[position].people.contains(personFilter) { return false }
        switch filter {
        case .all: return true
        case .unplaced: return rowTiers[service][position] == nil
        case .risky: return riskyRows[service][position]
        case .denied: return allServices[service].actions[position].denied > 0
        case .adminOnly: return rowTiers[service][position].map { tiers.tiers[$0].isAdministrator } ?? false
        }
    }

    /// The search, the filter and the order applied to every service; empty services are hidden.
    mutating func refreshLists() {
        let needle = Array(query.lowercased().utf8)
        if needle.isEmpty && filter == .all && levelFilter == nil && personFilter == nil && order == .name {
            services = allServices
        } else {
            services = allServices.indices.compactMap { shownRow($0, needle) }
        }
        selectedService = min(selectedService, max(0, services.count - 1))
        selectedAction = min(selectedAction, max(0, (selectedServiceRow?.actions.count ?? 1) - 1))
    }

    /// One service as the search, the filter and the order show it; nil when none of its actions is.
    private func shownRow(_ index: Int, _ needle: [UInt8]) -> ServiceRow? {
        let row = allServices[index]
        let names = searchNames[index]
        let positions = row.actions.indices.filter { position in
            (needle.isEmpty || names[position].containsBytes(needle))
                && passesFilter(service: index, position: position)
        }
        guard !positions.isEmpty else { return nil }
        if positions.count == row.actions.count && order == .name { return row }
        var actions = positions.map { row.actions[$0] }
        switch order {
        case .name: break
        case .calls: actions.sort { ($0.count, $1.action) > ($1.count, $0.action) }
        case .lastSeen:
            actions.sort {
                ($0.lastSeen?.secondsSinceEpoch ?? 0, $1.action) > ($1.lastSeen?.secondsSinceEpoch ?? 0, $0.action)
            }
        }
        var shown = row
        shown.actions = actions
        return shown
    }

    public var isModified: Bool { tiers != savedTiers }

    public var selectedServiceRow: ServiceRow? {
        services.indices.contains(selectedService) ? services[selectedService] : nil
    }

    public var selectedUsage: Usage.ActionUsage? {
        guard let row = selectedServiceRow, row.actions.indices.contains(selectedAction) else { return nil }
        return row.actions[selectedAction]
    }

    /// The index of the tier an action is in, if any.
    public func tierIndex(of action: String) -> Int? { tierOf[action] }

    static func placements(_ tiers: TierSet) -> [String: Int] {
        var tierOf: [String: Int] = [:]
        for (index, tier) in tiers.tiers.enumerated() {
            for assignment in tier.actions { tierOf[assignment.action] = index }
        }
        return tierOf
    }

    /// The policies the meters measure: the ones `export` writes, wildcards included.
    private static func synthesized(_ tiers: TierSet, _ catalog: Catalog) -> [TierPolicies] {
        PolicySynthesizer(compression: tiers.compressionScope, catalog: catalog).policies(for: tiers)
    }

    /// The wildcards standing in for the service's actions, with the tier each is in.
    public func wildcards(ofService prefix: String) -> [(tier: String, pattern: CompressionPattern)] {
        zip(tiers.tiers, policies).flatMap { tier, policy in
            policy.patterns.filter { $0.pattern.hasPrefix(prefix + ":") }.map { (tier.name, $0) }
        }
    }

    /// After every change of the tiers: the meters and the placement index follow. Known moves
    /// update the index in place (taking each move's `side`); without them it is rebuilt.
    mutating func recomputePolicies(
        applying moves: [PlacementChange]? = nil, side: KeyPath<PlacementChange, Int?> = \.after
    ) {
        policies = Self.synthesized(tiers, catalog)
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
        refreshFilteredLists()
    }

    /// Before a change: the current tiers become the undo step, and the redo history is forgotten.
    mutating func remember(moves: [PlacementChange]?) {
        undoStack.append(HistoryStep(tiers: tiers, moves: moves))
        redoStack.removeAll()
    }

    /// Filters that depend on placements follow every change (a placed action leaves "unplaced").
    private mutating func refreshFilteredLists() {
        if filter == .unplaced || filter == .adminOnly { refreshLists() }
    }
}

/// Actions waiting to be placed into a configuration-read tier, and why they do not belong there.
public struct PendingPlacement: Sendable, Equatable {
    var tier: Int
    var actions: [String]
}

/// One step of the history: the tiers to return to, and the placements that changes (nil: rebuild
/// the index). Undo and redo of a step move the same actions, so one list serves both directions.
public struct HistoryStep: Sendable {
    public var tiers: TierSet
    var moves: [PlacementChange]?
}

/// An action's tier before and after a change (nil: in no tier).
struct PlacementChange: Sendable {
    var action: String
    var before: Int?
    var after: Int?
}

public enum CurationAction: Sendable, Hashable {
    case up, down, pageUp, pageDown, first, last
    case switchPane, focusServices, focusActions
    /// A click on a row of a pane, and the wheel over a pane.
    case select(CurationState.Pane, row: Int)
    case scroll(CurationState.Pane, by: Int)
    /// Put the selected action (or, on the services pane, every unassigned action of the service)
    /// into the tier with this index.
    case assign(Int)
    case unassign
    case undo, redo
    case save
    /// The runtime saved the tiers; they are the new baseline.
    case saved
    case saveFailed(String)
    /// The runtime wrote (or could not write) the autosave journal.
    case autosaved
    case autosaveFailed(String)
    case recover, discardRecovery
    case quit
    /// `n`: write or change the note on the selected action (why it is in its tier, who asked).
    case editNote
    case type(Character)
    case deleteBackward
    case commitNote
    case cancelNote
    case toggleHelp
    case scrollHelp(Int)
    /// `/`: search action names; typing narrows the lists at once, Enter keeps, Esc clears.
    case editQuery
    case commitQuery
    case clearQuery
    /// `f`: all actions, unplaced, risky, refused, only in Admin. `o`: by name, calls, last seen.
    case nextFilter
    case nextOrder
    /// `L`: the next access level to show only (then all again); `p`: the next person.
    case nextLevelFilter
    case nextPersonFilter
    /// `w`: write the selected service's actions as safe wildcards, or one by one again.
    case toggleCompression
    /// `d`: what changed since the last save; `D`: the rollout diff against the compared or saved
    /// version, with the used actions it would deny.
    case showChanges
    case showRolloutDiff
    case scrollReport(Int)
    case closeReport
    /// `P`: the people, replayed against the tiers; and what is done there.
    case togglePeople
    case people(PeopleAction)
    /// `a`: the suggestion rules place the selected action (on a service: its unplaced ones);
    /// `A`: every unplaced action shown.
    case applySuggestion(everywhere: Bool)
    /// `T`: the tier-settings screen, and what is done in it.
    case toggleSettings
    case settings(TierSettingsAction)
    /// `i`: what the draft left open, and what is done there.
    case toggleOpenItems
    case openItems(OpenItemsAction)
    /// `M`: the session's decisions as Markdown minutes; the runtime writes them and reports back.
    case writeMinutes
    case minutesWritten(String)
    case minutesFailed(String)
    /// `E`: the policies and templates, written by the runtime beside the tiers file.
    case exportPolicies
    case exportFinished(String)
    /// A key the terminal sent that no screen binds (Alt-1, Ctrl-Up, an unknown sequence): a hint only.
    case unrecognisedKey(String)
}

/// The keys and what they do, for the help screen and the status line: one list, so they agree.
public let curationKeys: [(keys: String, meaning: String)] = [
    ("↑ ↓  j k", "move within the focused pane"),
    ("PgUp PgDn  g G", "move by a page, to the first or last"),
    ("Tab  ← →  h l", "switch between services and actions"),
    ("click  wheel", "select the service or action clicked; scroll the pane under the pointer"),
    ("1 2 3 …", "put the action into that tier (on a service: all its unplaced actions)"),
    ("0  space", "take the action out of every tier (on a service: all of its actions)"),
    ("a  A", "suggested tier for the action (a service: its unplaced ones); A: all unplaced"),
    ("n", "the decision note: why it is in this tier, who asked (Enter keeps, Esc drops)"),
    ("/", "search action names as you type (Enter keeps the search, Esc clears it)"),
    ("f", "show all actions, or only unplaced, risky, refused, or Admin-only ones"),
    ("o", "order actions by name, calls or last seen"),
    ("L  p", "one access level only; only what one person used (again: the next, then all)"),
    ("w", "write the service's actions as safe wildcards, or one by one again"),
    ("u  Ctrl-R", "undo, redo"),
    ("d", "what changed since the last save: sizes, moved actions, settings, notes"),
    ("D", "rollout diff against --compare FILE or the saved file: who would be denied"),
    ("P", "people: sign-ins, each tier's share of their calls, the tier to give them"),
    ("T", "tier settings: names, sessions, alerts, inheritance, container; N adds a tier"),
    ("M", "write the session's decisions as Markdown minutes beside the tiers file"),
    ("E", "export the policies: IAM JSON, Terraform, CloudFormation, SUMMARY.md in export/"),
    ("i", "open items: refused-only actions, unmapped calls, hints (show, resolve)"),
    ("s", "save the tiers file"),
    ("t", "next colour theme"),
    ("?", "this help"),
    ("q", "quit (asks first when there are unsaved changes)"),
]

extension CurationAction {
    /// The key bindings. Digits pick tiers by position (1 is the lowest), 0 or space removes.
    public init?(key: Key, state: CurationState) {
        // While a search or a note is being typed, keys are text.
        if state.isTypingText {
            let searching = state.queryDraft != nil
            let editingSetting = state.settings?.draft != nil
            switch key {
            case .enter: self = searching ? .commitQuery : editingSetting ? .settings(.commitDraft) : .commitNote
            case .escape: self = searching ? .clearQuery : editingSetting ? .settings(.cancelDraft) : .cancelNote
            case .backspace, .delete: self = .deleteBackward
            case .character(let character): self = .type(character)
            default: return nil
            }
            return
        }
        if case .unrecognised(let name) = key {
            self = .unrecognisedKey(name)
            return
        }
        if state.showingHelp {
            switch key {
            case .up, .character("k"): self = .scrollHelp(-1)
            case .down, .character("j"): self = .scrollHelp(1)
            default: self = .toggleHelp  // any other key closes the help
            }
            return
        }
        if state.report != nil {
            self.init(reportKey: key)
            return
        }
        if state.people != nil {
            self.init(peopleKey: key)
            return
        }
        if state.settings != nil {
            self.init(settingsKey: key)
            return
        }
        if state.openItemSelected != nil {
            self.init(openItemsKey: key)
            return
        }
        if state.recoveryOffer != nil {
            switch key {
            case .character("r"): self = .recover
            case .character("d"): self = .discardRecovery
            // Leaving decides nothing: the file and the journal stay as they are for next time.
            case .character("q"), .escape, .control("c"): self = .quit
            default: return nil
            }
            return
        }
        switch key {
        case .up, .character("k"): self = .up
        case .down, .character("j"): self = .down
        case .pageUp, .control("b"): self = .pageUp
        case .pageDown, .control("f"): self = .pageDown
        case .home, .character("g"): self = .first
        case .end, .character("G"): self = .last
        case .tab, .backTab: self = .switchPane
        case .left, .character("h"): self = .focusServices
        case .right, .character("l"), .enter: self = .focusActions
        case .character(let digit) where digit.isNumber && digit != "0":
            guard let index = digit.wholeNumberValue, index <= state.tiers.tiers.count else { return nil }
            self = .assign(index - 1)
        case .character("0"), .character(" "): self = .unassign
        case .character("u"): self = .undo
        case .control("r"): self = .redo
        case .character("s"): self = .save
        case .character("n"): self = .editNote
        case .character("?"): self = .toggleHelp
        case .character("/"): self = .editQuery
        case .character("f"): self = .nextFilter
        case .character("o"): self = .nextOrder
        case .character("L"): self = .nextLevelFilter
        case .character("p"): self = .nextPersonFilter
        case .character("w"): self = .toggleCompression
        case .character("d"): self = .showChanges
        case .character("D"): self = .showRolloutDiff
        case .character("P"): self = .togglePeople
        case .character("T"): self = .toggleSettings
        case .character("M"): self = .writeMinutes
        case .character("E"): self = .exportPolicies
        case .character("i"): self = .toggleOpenItems
        case .character("a"): self = .applySuggestion(everywhere: false)
        case .character("A"): self = .applySuggestion(everywhere: true)
        case .escape where !state.query.isEmpty: self = .clearQuery
        case .character("q"), .control("c"): self = .quit
        default: return nil
        }
    }
}

/// Rows moved by page up/down.
let curationPage = 10

public func reduce(_ state: inout CurationState, _ action: CurationAction) {
    guard let reason = state.readOnly else { return reduceEditing(&state, action) }
    if action.writes {
        state.message = "read-only: \(reason)"
        return
    }
    // Whatever else would change the tiers (in a settings or open-items screen) is undone at once.
    let before = state.tiers
    reduceEditing(&state, action)
    if state.tiers != before {
        state.tiers = before
        state.undoStack.removeLast()
        state.recomputePolicies()
        state.message = "read-only: \(reason)"
    }
}

extension CurationAction {
    /// Actions that change the tiers or write them: refused while read-only.
    var writes: Bool {
        switch self {
        case .assign, .unassign, .undo, .redo, .save, .recover, .discardRecovery, .editNote, .applySuggestion,
            .toggleCompression, .writeMinutes:
            return true
        default: return false
        }
    }
}

private func reduceEditing(_ state: inout CurationState, _ action: CurationAction) {
    // Nothing else changes: not a pending question, not the selection.
    if case .unrecognisedKey(let name) = action {
        state.message = "\(name) is not a key here (press ? for keys)"
        return
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
            guard state.services.indices.contains(row) else { return }
            if row != state.selectedService { state.selectedAction = 0 }
            state.selectedService = row
        } else {
            guard state.selectedServiceRow?.actions.indices.contains(row) == true else { return }
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
    case .save:
        state.wantsSave = true
    case .saved:
        state.wantsSave = false
        state.savedTiers = state.tiers
        state.writeProblem = nil
        state.message = "saved \(state.tiersPath)"
    case .saveFailed(let reason):
        state.wantsSave = false
        state.writeProblem = "not saved: \(reason), changes only in memory"
        state.message = state.writeProblem
    case .autosaved:
        state.writeProblem = nil
    case .autosaveFailed(let reason):
        // Said once in the status line, and kept in the header until a write succeeds.
        if state.writeProblem == nil { state.message = "autosave failed: \(reason), changes only in memory" }
        state.writeProblem = "autosave failed: \(reason), changes only in memory"
    case .recover:
        guard let recovered = state.recoveryOffer else { return }
        state.remember(moves: nil)
        state.tiers = recovered
        state.recoveryOffer = nil
        state.recomputePolicies()
        state.message = "recovered the unsaved changes; s saves them"
    case .discardRecovery:
        state.recoveryOffer = nil
        state.message = "discarded the unsaved changes of the last session"
    case .toggleHelp:
        state.showingHelp.toggle()
        state.helpScroll = 0
    case .scrollHelp(let delta): state.helpScroll = min(max(0, state.helpScroll + delta), curationKeys.count - 1)
    case .editNote:
        guard let selected = state.selectedUsage, let tier = state.tierIndex(of: selected.action) else {
            state.message = "put the action into a tier first; the note says why it is there"
            return
        }
        state.noteDraft = state.tiers.tiers[tier].actions.first { $0.action == selected.action }?.note ?? ""
    case .type(let character):
        // One line of plain text: control and bidi-override characters never enter a note, a name or
        // a search (the files they are saved to are read by people and by other tools).
        let refused: [ClosedRange<UInt32>] = [0...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069]
        guard !character.isNewline,
            character.unicodeScalars.allSatisfy({ scalar in !refused.contains { $0.contains(scalar.value) } })
        else { return }
        if let draft = state.queryDraft {
            state.queryDraft = draft + String(character)
            state.search(draft + String(character))
        } else if state.settings?.draft != nil {
            state.settings?.draft?.append(character)
        } else {
            state.noteDraft?.append(character)
        }
    case .deleteBackward:
        if let draft = state.queryDraft, !draft.isEmpty {
            state.queryDraft = String(draft.dropLast())
            state.search(String(draft.dropLast()))
        } else if state.settings?.draft?.isEmpty == false {
            state.settings?.draft?.removeLast()
        } else if state.noteDraft?.isEmpty == false {
            state.noteDraft?.removeLast()
        }
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
        state.openItemSelected = state.openItemSelected == nil ? first : nil
    case .openItems(let action): reduceOpenItems(&state, action)
    case .writeMinutes: state.wantsMinutes = true
    case .exportPolicies: state.wantsExport = true
    case .exportFinished(let message):
        state.wantsExport = false
        state.message = message
    case .minutesWritten(let path):
        state.wantsMinutes = false
        state.message = "minutes written to \(path)"
    case .minutesFailed(let reason):
        state.wantsMinutes = false
        state.message = "no minutes written: \(reason)"
    case .toggleSettings: state.settings = state.settings == nil ? TierSettingsCursor() : nil
    case .settings(let action): reduceSettings(&state, action)
    case .showChanges:
        state.report = ReportView(title: "Changes since \(state.tiersPath) was saved", lines: changesSinceSave(state))
    case .showRolloutDiff: state.report = rolloutDiffReport(state)
    case .scrollReport(let delta): scrollReport(&state, by: delta)
    case .closeReport: state.report = nil
    case .togglePeople:
        state.people =
            state.people == nil
            ? PeopleCursor(replay: Replay(tiers: state.tiers, usage: state.usage, catalog: state.catalog)) : nil
    case .people(let action): reducePeople(&state, action)
    case .editQuery:
        state.queryDraft = state.query
    case .commitQuery:
        state.queryDraft = nil
        state.message = state.services.isEmpty ? "no action matches '\(state.query)'" : nil
    case .clearQuery:
        state.queryDraft = nil
        state.search("")
    case .cancelNote:
        state.noteDraft = nil
        state.message = "note not changed"
    case .commitNote:
        guard let draft = state.noteDraft, let selected = state.selectedUsage,
            let tier = state.tierIndex(of: selected.action),
            let position = state.tiers.tiers[tier].actions.firstIndex(where: { $0.action == selected.action })
        else { return }
        state.noteDraft = nil
        let note = draft.trimmingCharacters(in: .whitespaces)
        var updated = state.tiers
        updated.tiers[tier].actions[position].note = note.isEmpty ? nil : note
        guard updated != state.tiers else { return }
        state.remember(moves: [])
        state.tiers = updated
        state.message = note.isEmpty ? "note removed from \(selected.action)" : "noted: \(selected.action)"
    case .unrecognisedKey: break  // answered above
    case .quit:
        if state.isModified && !state.confirmingQuit {
            state.confirmingQuit = true
            state.message = "unsaved changes: s saves, q again quits without saving"
        } else {
            state.shouldQuit = true
        }
    }
}

/// Wildcards are a property of the tiers (saved, undone, exported), so a toggle is one undo step.
private func toggleCompression(_ state: inout CurationState) {
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

/// Undo and redo: take the tiers from one history, keep the current ones on the other.
private func step(
    _ state: inout CurationState, from source: WritableKeyPath<CurationState, [HistoryStep]>,
    to target: WritableKeyPath<CurationState, [HistoryStep]>, side: KeyPath<PlacementChange, Int?>, done: String,
    nothing: String
) {
    guard let step = state[keyPath: source].popLast() else {
        state.message = nothing
        return
    }
    state[keyPath: target].append(HistoryStep(tiers: state.tiers, moves: step.moves))
    state.tiers = step.tiers
    state.recomputePolicies(applying: step.moves, side: side)
    state.message = done
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

/// Moves actions between tiers (nil: out of every tier), keeping notes, one undo step per key.
private func assign(_ state: inout CurationState, to tier: Int?) {
    guard let row = state.selectedServiceRow else { return }
    let targets: [String]
    if state.focus == .actions {
        guard let selected = state.selectedUsage else { return }
        targets = [selected.action]
    } else {
        // On a service, a tier key takes every action not yet placed; 0 clears the whole service.
        targets = row.actions.map(\.action).filter { tier == nil || state.tierIndex(of: $0) == nil }
    }
    guard !targets.isEmpty else {
        state.message = "every action of \(row.prefix) is already in a tier"
        return
    }
    // Companions follow the actions that need them (`TierSet.companionTier`).
    let companions = tier.map { state.companionMoves(for: targets, to: $0) } ?? []
    let arriving = companions.filter { $0.tier == tier }.map(\.action)
    if let tier, !confirmedForConfigurationRead(&state, targets, companions: arriving, tier: tier) { return }
    // A person decided: the suggestion rule no longer explains the placement.
    guard place(&state, targets.map { (action: $0, tier: tier, rule: nil) } + companions) > 0 else {
        state.message = tier.map { "already in \(state.tiers.tiers[$0].name)" } ?? "not in any tier"
        return
    }
    let place = tier.map { "into \(state.tiers.tiers[$0].name)" } ?? "out of every tier"
    let followers = companions.map(\.action)
    state.message =
        (targets.count == 1 ? "\(targets[0]) \(place)" : "\(targets.count) actions of \(row.prefix) \(place)")
        + (followers.isEmpty
            ? ""
            : ", with \(followers.prefix(3).joined(separator: ", "))"
                + (followers.count > 3 ? " and \(followers.count - 3) more" : ""))
}

/// A configuration-read tier takes other actions only when its key is pressed a second time: the
/// first press names what would go in and why it does not belong.
private func confirmedForConfigurationRead(
    _ state: inout CurationState, _ targets: [String], companions: [String], tier: Int
) -> Bool {
    let destination = state.tiers.tiers[tier]
    guard destination.configurationReadOnly else { return true }
    func objections(_ names: [String]) -> [(String, String)] {
        names.filter { state.tierIndex(of: $0) != tier }.compactMap { name in
            state.catalog.action(named: name).flatMap { action in action.configurationReadObjection.map { (name, $0) } }
        }
    }
    let own = objections(targets)
    let following = objections(companions)
    guard !own.isEmpty || !following.isEmpty else { return true }
    let pending = PendingPlacement(tier: tier, actions: targets)
    if state.confirmingPlacement == pending {
        state.confirmingPlacement = nil
        return true
    }
    state.confirmingPlacement = pending
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
    state.message =
        what.joined(separator: ", and ")
        + "; \(destination.name) holds configuration reads only: \(tier + 1) again places them anyway"
    return false
}

/// `a`: the selected action (on a service: its unplaced actions) where the suggestion rules put it;
/// `A`: every unplaced action shown. Only actions that were called: refusals stay a decision.
private func applySuggestions(_ state: inout CurationState, everywhere: Bool) {
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
        candidates = (state.selectedServiceRow?.actions ?? []).filter { state.tierIndex(of: $0.action) == nil }
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

extension [UInt8] {
    /// Whether `needle` occurs in these bytes: a plain scan, names are a few dozen bytes long.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { start in
            needle.indices.allSatisfy { self[start + $0] == needle[$0] }
        }
    }
}
