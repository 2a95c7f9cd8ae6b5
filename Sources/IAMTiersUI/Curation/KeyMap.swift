import TUIKit

/// One row of a screen's keys: what the help shows (the keys, what they do), what the footer shows,
/// and the action each key stands for. Key lookup, `?` and the footer all read these rows.
public struct KeyBinding: Sendable {
    public typealias FooterItem = (keys: String, word: String)
    public let label: String
    public let meaning: String
    public let keys: [Key]
    let footer: @Sendable (CurationState) -> [FooterItem]
    let resolve: @Sendable (Key, CurationState) -> CurationAction?

    /// Keys that always stand for the same action.
    init(
        _ label: String, _ meaning: String, footer: [FooterItem] = [], _ actions: KeyValuePairs<Key, CurationAction>
    ) {
        let pairs = Array(actions)
        self.init(
            label, meaning, keys: pairs.map(\.key), footer: { _ in footer },
            resolve: { key, _ in pairs.first { $0.key == key }?.value })
    }

    /// Keys whose action depends on the state (a digit beyond the tiers means nothing).
    init(
        _ label: String, _ meaning: String, keys: [Key],
        footer: @escaping @Sendable (CurationState) -> [FooterItem] = { _ in [] },
        resolve: @escaping @Sendable (Key, CurationState) -> CurationAction?
    ) {
        self.label = label
        self.meaning = meaning
        self.keys = keys
        self.footer = footer
        self.resolve = resolve
    }
}

/// The keys of one mode of the curation screen.
public struct KeyMap: Sendable {
    public let bindings: [KeyBinding]
    /// What a key that no row names does (the help closes on any other key); nil: nothing.
    let otherKey: (@Sendable (Key) -> CurationAction?)?
    /// Whether keys are text here: an unknown key is then not worth a hint.
    let isText: Bool
    /// What the other keys do, for the hints (`otherKey`'s effect in words).
    let otherKeyHint: String?

    init(
        _ bindings: [KeyBinding], otherKey: (@Sendable (Key) -> CurationAction?)? = nil, otherKeyHint: String? = nil,
        isText: Bool = false
    ) {
        self.bindings = bindings
        self.otherKey = otherKey
        self.otherKeyHint = otherKeyHint
        self.isText = isText
    }

    func action(for key: Key, in state: CurationState) -> CurationAction? {
        if let binding = bindings.first(where: { $0.keys.contains(key) }) { return binding.resolve(key, state) }
        if case .unrecognised(let name) = key, !isText { return .unrecognisedKey(name) }
        return otherKey?(key)
    }

    /// The footer of the main screen: each row's short form, in the order of the rows.
    func footer(_ state: CurationState) -> [KeyBinding.FooterItem] { bindings.flatMap { $0.footer(state) } }

    /// The same short forms as one line, for the title of a screen over the main one.
    func hints(_ state: CurationState) -> String {
        (footer(state).map { "\($0.keys) \($0.word)" } + [otherKeyHint].compactMap { $0 }).joined(separator: ", ")
    }

    /// The keys of what is on screen: a line being typed, else the overlay, else the main screen.
    static func current(for state: CurationState) -> KeyMap {
        if state.isTypingText { return text }
        switch state.overlay {
        case nil: return main
        case .recovery: return recovery
        case .help: return help
        case .report: return report
        case .people: return people
        case .settings: return settings
        case .openItems: return openItems
        case .checks: return checks
        }
    }
}

extension CurationAction {
    /// The action `key` stands for on the screen as it is, if any.
    public init?(key: Key, state: CurationState) {
        guard let action = KeyMap.current(for: state).action(for: key, in: state) else { return nil }
        self = action
    }
}

private let theme = KeyBinding("t", "next colour theme", [.character("t"): .nextTheme])
private let undoRedo = KeyBinding(
    "u  Ctrl-R", "undo, redo", footer: [("u", "undo")], [.character("u"): .undo, .control("r"): .redo])

/// Esc, the key that opened the screen, and q close it.
private func closing(_ key: Character, _ action: CurationAction) -> KeyBinding {
    KeyBinding(
        "Esc  \(key)  q", "close", footer: [("Esc", "closes")],
        [.escape: action, .character(key): action, .character("q"): action])
}

extension KeyMap {
    /// The main screen. Digits pick tiers by position (1 is the lowest), 0 takes out, Space marks.
    public static let main = KeyMap(
        scrollBindings("move in the focused pane") { .move($0) } + [
            KeyBinding("click  wheel", "select the service or action clicked; scroll the pane under the pointer", [:]),
            KeyBinding(
                "1 2 3 …", "put the action into that tier (on a service: all its unplaced actions)",
                keys: (1...9).map { .character(Character(String($0))) },
                footer: { state in
                    let count = state.tiers.tiers.count
                    return [count == 0 ? ("T", "add a tier") : (count == 1 ? "1" : "1-\(count)", "tier")]
                },
                resolve: { key, state in
                    guard case .character(let digit) = key, let index = digit.wholeNumberValue,
                        index <= state.tiers.tiers.count
                    else { return nil }
                    return .assign(index - 1)
                }),
            KeyBinding(
                "0", "take the action out of every tier (on a service: all of its actions)", footer: [("0", "none")],
                [.character("0"): .unassign]),
            KeyBinding(
                "space  V", "mark it (on a service: all shown); V: to the last mark; a digit moves all marked",
                footer: [("Space", "mark")], [.character(" "): .toggleMark, .character("V"): .markRange]),
            KeyBinding(
                "Tab  ← →  h l", "switch between services and actions", footer: [("Tab", "pane")],
                [
                    .tab: .switchPane, .backTab: .switchPane, .left: .focusServices, .character("h"): .focusServices,
                    .right: .focusActions, .character("l"): .focusActions, .enter: .focusActions,
                ]),
            KeyBinding(
                "a  A", "suggested tier for the action (a service: its unplaced ones); A: all unplaced",
                [
                    .character("a"): .applySuggestion(everywhere: false),
                    .character("A"): .applySuggestion(everywhere: true),
                ]
            ),
            KeyBinding(
                "e", "the decision note: why it is in this tier, who asked (Enter keeps, Esc drops)",
                [.character("e"): .editNote]),
            KeyBinding(
                "/", "search names, IAM globs too (Enter keeps the search; Esc clears marks, then it)",
                keys: [.character("/"), .escape],
                resolve: { key, state in
                    guard key == .escape else { return .editQuery }
                    return !state.marks.isEmpty ? .clearMarks : state.query.isEmpty ? nil : .clearQuery
                }),
            KeyBinding(
                "n  N", "the next, the previous action the search shows, across services",
                [.character("n"): .nextMatch(1), .character("N"): .nextMatch(-1)]),
            KeyBinding(
                "f", "show all actions, or only unplaced, risky, refused, or Admin-only ones",
                [.character("f"): .nextFilter]),
            KeyBinding("o", "order actions by name, calls or last seen", [.character("o"): .nextOrder]),
            KeyBinding(
                "L  p", "one access level only; only what one person used (again: the next, then all)",
                [.character("L"): .nextLevelFilter, .character("p"): .nextPersonFilter]),
            KeyBinding(
                "w", "write the service's actions as safe wildcards, or one by one again",
                [.character("w"): .toggleCompression]),
            KeyBinding(
                "u  Ctrl-R", "undo, redo", footer: [("u", "undo"), ("^R", "redo")],
                [.character("u"): .undo, .control("r"): .redo]),
            KeyBinding(
                "d", "what changed since the last save: sizes, moved actions, settings, notes",
                [.character("d"): .showChanges]),
            KeyBinding(
                "D", "rollout diff against --compare FILE or the saved file: who would be denied",
                [.character("D"): .showRolloutDiff]),
            KeyBinding(
                "m", "what makes up each meter: own actions, inherited tiers, attachments, the limits",
                [.character("m"): .showMeters]),
            KeyBinding(
                "P", "people: sign-ins, each tier's share of their calls, the tier to give them",
                [.character("P"): .togglePeople]),
            KeyBinding(
                "T", "tier settings: names, sessions, alerts, inheritance, container; N adds a tier",
                [.character("T"): .toggleSettings]),
            KeyBinding(
                "M", "write the session's decisions as Markdown minutes beside the tiers file",
                [.character("M"): .writeMinutes]),
            KeyBinding(
                "E", "export the policies: IAM JSON, Terraform, CloudFormation, SUMMARY.md in export/",
                [.character("E"): .exportPolicies]),
            KeyBinding(
                "i", "open items: refused-only actions, unmapped calls, hints (show, resolve)",
                [.character("i"): .toggleOpenItems]),
            KeyBinding(
                "c", "the check panel: what iamtiers check finds; Enter shows the action",
                [.character("c"): .toggleChecks]),
            KeyBinding(
                ":", "jump by name as you type; :check, :export, :theme NAME, … (Tab completes)",
                footer: [(":", "jump")], [.character(":"): .editCommand]),
            KeyBinding("s", "save the tiers file", footer: [("s", "save")], [.character("s"): .save]),
            theme,
            KeyBinding("?", "this help", footer: [("?", "keys")], [.character("?"): .toggleHelp]),
            KeyBinding(
                "q", "quit (asks first when there are unsaved changes)", footer: [("q", "quit")],
                [.character("q"): .quit, .control("c"): .quit]),
        ])

    /// A line being typed (a search, a note, a command, a setting, a reason): every other key is
    /// text, `t` too.
    static let text = KeyMap(
        [
            KeyBinding("Enter", "keep what is typed", [.enter: .commitText]),
            KeyBinding("Esc", "leave it (a search is cleared, a note or a setting unchanged)", [.escape: .cancelText]),
            KeyBinding(
                "Backspace", "delete the last character", [.backspace: .deleteBackward, .delete: .deleteBackward]),
            KeyBinding("Ctrl-U", "clear the line", [.control("u"): .clearText]),
            KeyBinding("Tab", "complete a command, a service or an action", [.tab: .completeText]),
        ],
        otherKey: { key in
            guard case .character(let character) = key else { return nil }
            return .type(character)
        }, isText: true)

    static let help = KeyMap(
        scrollBindings("scroll", hint: "scroll") { .scrollHelp($0) } + [theme], otherKey: { _ in .toggleHelp },
        otherKeyHint: "any other key closes")

    static let report = KeyMap(
        scrollBindings("scroll", hint: "scroll") { .scrollReport($0) } + [
            KeyBinding("space", "scroll by a page", [.character(" "): .scrollReport(.pages(1))]), theme,
        ], otherKey: { _ in .closeReport }, otherKeyHint: "any other key closes")

    static let people = KeyMap(
        scrollBindings("select a person") { .people(.move($0)) } + [
            KeyBinding(
                "Enter", "show only what the person used", footer: [("Enter", "shows what one used")],
                [.enter: .people(.showActions)]),
            closing("P", .togglePeople), theme,
        ])

    static let settings = KeyMap(
        scrollBindings("select a tier") { .settings(.moveTier($0)) } + [
            KeyBinding(
                "← →  h l  Tab", "select a setting", footer: [("←→", "setting")],
                [
                    .left: .settings(.moveField(-1)), .character("h"): .settings(.moveField(-1)),
                    .backTab: .settings(.moveField(-1)), .right: .settings(.moveField(1)),
                    .character("l"): .settings(.moveField(1)), .tab: .settings(.moveField(1)),
                ]),
            KeyBinding(
                "+ -", "longer or shorter sessions", footer: [("+ -", "hours")],
                [
                    .character("+"): .settings(.adjust(1)), .character("="): .settings(.adjust(1)),
                    .character("-"): .settings(.adjust(-1)),
                ]),
            KeyBinding(
                "Enter  space", "change the setting: type, toggle or cycle", footer: [("Enter", "change")],
                [.enter: .settings(.activate), .character(" "): .settings(.activate)]),
            KeyBinding(
                "N", "a new tier after the selected one (before Admin)", footer: [("N", "new")],
                [.character("N"): .settings(.addTier)]),
            KeyBinding(
                "X", "delete the selected tier (asks first)", footer: [("X", "delete")],
                [.character("X"): .settings(.deleteTier)]),
            KeyBinding(
                "K  J", "move the selected tier up or down the list (down the list is up the ladder)",
                footer: [("K J", "move")],
                [.character("K"): .settings(.moveTierOnLadder(-1)), .character("J"): .settings(.moveTierOnLadder(1))]),
            undoRedo, closing("T", .toggleSettings), theme,
        ])

    static let openItems = KeyMap(
        scrollBindings("select an item") { .openItems(.move($0)) } + [
            KeyBinding(
                "Enter", "show the action the item names", footer: [("Enter", "shows the action")],
                [.enter: .openItems(.show)]),
            KeyBinding(
                "x", "resolve the item (asks why), or open it again", footer: [("x", "resolves")],
                [.character("x"): .openItems(.resolve)]),
            undoRedo, closing("i", .toggleOpenItems), theme,
        ])

    static let checks = KeyMap(
        scrollBindings("select a finding") { .checks(.move($0)) } + [
            KeyBinding(
                "Enter", "show the action the finding names", footer: [("Enter", "shows the action")],
                [.enter: .checks(.show)]),
            closing("c", .toggleChecks), theme,
        ])

    static let recovery = KeyMap([
        KeyBinding("r", "recover the unsaved changes", footer: [("r", "recover it")], [.character("r"): .recover]),
        KeyBinding("d", "discard them", footer: [("d", "discard it")], [.character("d"): .discardRecovery]),
        // Leaving decides nothing: the file and the journal stay as they are for next time.
        KeyBinding(
            "q  Esc", "leave both files as they are", footer: [("q", "leave both files as they are")],
            [.character("q"): .quit, .escape: .quit, .control("c"): .quit]),
        theme,
    ])

    /// Every mode, for the test that no key is bound twice in one.
    static let all: [(name: String, map: KeyMap)] = [
        ("main", main), ("text", text), ("help", help), ("report", report), ("people", people),
        ("settings", settings), ("open items", openItems), ("checks", checks), ("recovery", recovery),
    ]
}
