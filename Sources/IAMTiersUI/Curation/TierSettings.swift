import IAMTiersCore
import TUIKit

/// The tier-settings screen (`T`): one row per tier, one column per setting. Changes go through
/// the same history as placements, so `u` undoes them and autosave keeps them.
public struct TierSettingsCursor: Sendable, Equatable {
    public var tier = 0
    public var field = TierField.name
    /// The text being typed for the selected field (name, role, attachments), while it is open.
    public var draft: LineEditor?
    /// The tier `X` was pressed on once: the second press deletes it.
    public var confirmingDelete: Int?
}

public enum TierField: Int, Sendable, CaseIterable {
    case name, role, sessions, alert, inherits, configurationReads, container, attachments

    var title: String {
        switch self {
        case .name: "Tier"
        case .role: "Role"
        case .sessions: "Sessions"
        case .alert: "Alert"
        case .inherits: "Inherits"
        case .configurationReads: "Config"
        case .container: "Container"
        case .attachments: "Attached policies"
        }
    }

    /// Columns of the settings table, in characters.
    var width: Int {
        switch self {
        case .name: 14
        case .role: 22
        case .sessions: 9
        case .alert: 6
        case .inherits: 9
        case .configurationReads: 7
        case .container: 16
        case .attachments: 30
        }
    }
}

public enum TierSettingsAction: Sendable, Hashable {
    case moveTier(Scroll)
    case moveField(Int)
    /// `+`/`-` on sessions; space or Enter toggles, cycles, or starts a rename.
    case adjust(Int)
    case activate
    /// `N`: a new tier after the selected one (before it when that is the administrator tier).
    case addTier
    /// `X`: delete the selected tier, asked once; its actions are placed nowhere.
    case deleteTier
    /// `K`, `J`: the selected tier one place up or down the list (down the list is up the ladder).
    case moveTierOnLadder(Int)
    case commitDraft
    case cancelDraft
}

func reduceSettings(_ state: inout CurationState, _ action: TierSettingsAction) {
    guard case .settings(var cursor) = state.overlay else { return }
    defer { if case .settings = state.overlay { state.overlay = .settings(cursor) } }
    let count = state.tiers.tiers.count
    guard count > 0 || action == .addTier else {
        state.message = "no tiers yet: N adds one"
        return
    }
    // An undo may have taken away the tier the cursor was on.
    cursor.tier = max(0, min(cursor.tier, count - 1))
    if action != .deleteTier { cursor.confirmingDelete = nil }
    switch action {
    case .moveTier(let scroll):
        cursor.tier = scroll.apply(
            to: cursor.tier, count: count, visible: overlayRows(state, wanted: count + 9, reserved: 6))
    case .moveField(let delta):
        let fields = TierField.allCases
        cursor.field = fields[min(max(0, cursor.field.rawValue + delta), fields.count - 1)]
    case .adjust(let delta):
        guard cursor.field == .sessions else { return activate(&state, &cursor) }
        let hours = state.tiers.tiers[cursor.tier].maxSessionHours + delta
        guard (1...12).contains(hours) else {
            state.message = "sessions stay between 1 and 12 hours: the most IAM roles and permission sets allow"
            return
        }
        change(&state, "sessions up to \(hours) h", tier: cursor.tier) { $0.maxSessionHours = hours }
    case .activate: activate(&state, &cursor)
    case .addTier: addTier(&state, &cursor)
    case .deleteTier: deleteTier(&state, &cursor)
    case .moveTierOnLadder(let step):
        let target = cursor.tier + step
        guard state.tiers.tiers.indices.contains(target) else {
            state.message =
                "\(state.tiers.tiers[cursor.tier].name) is already the \(step > 0 ? "last" : "first") tier"
            return
        }
        let name = state.tiers.tiers[cursor.tier].name
        state.remember(moves: nil)  // every action of both tiers changes its index
        state.tiers.tiers.swapAt(cursor.tier, target)
        state.recomputePolicies()
        cursor.tier = target
        state.message =
            "\(name) is tier \(target + 1) of \(count) now (key \(target + 1)); "
            + "what a tier inherits follows the ladder"
    case .commitDraft:
        guard let draft = cursor.draft?.text.trimmingCharacters(in: .whitespaces) else { return }
        cursor.draft = nil
        commit(draft, &state, cursor)
    case .cancelDraft:
        cursor.draft = nil
        state.message = "\(cursor.field.title.lowercased()) not changed"
    }
}

/// A typed name, role name or attachment list, checked before it changes the tier.
private func commit(_ draft: String, _ state: inout CurationState, _ cursor: TierSettingsCursor) {
    let tier = state.tiers.tiers[cursor.tier]
    switch cursor.field {
    case .name:
        // Exports name resources by ASCII letters and digits only: "Ops Team" and "ops-team", or
        // "Café" and "Cafe", would be one resource.
        let others = state.tiers.tiers.indices.filter { $0 != cursor.tier }.map { state.tiers.tiers[$0].name }
        guard ExportName.isWritable(draft) else {
            state.message = "a tier needs a name with letters or digits"
            return
        }
        if let clash = others.first(where: { ExportName.collide($0, draft) }) {
            let same = clash.lowercased() == draft.lowercased()
            state.message = "a tier is already called \(clash)" + (same ? "" : " (the same name in exports)")
            return
        }
        guard draft != tier.name else { return }
        change(&state, "renamed \(tier.name) to \(draft)", tier: cursor.tier) { $0.name = draft }
    case .role:
        // IAM role names: 1 to 64 of letters, digits and + = , . @ _ -
        let allowed = draft.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) }
        guard (1...64).contains(draft.count) && allowed else {
            state.message = "a role name is 1 to 64 letters, digits or + = , . @ _ -"
            return
        }
        guard draft != tier.roleName else { return }
        if let other = state.tiers.tiers.indices.first(where: {
            $0 != cursor.tier && state.tiers.tiers[$0].roleName.lowercased() == draft.lowercased()
        }).map({ state.tiers.tiers[$0] }) {
            state.message = "the \(other.name) tier's role is already called \(draft)"
            return
        }
        change(&state, "role \(draft)", tier: cursor.tier) { $0.roleName = draft }
    case .attachments:
        let arns = draft.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard arns.allSatisfy({ $0.hasPrefix("arn:aws:iam::") && $0.contains(":policy/") }) else {
            state.message = "attachments are managed policy ARNs (arn:aws:iam::aws:policy/…), separated by commas"
            return
        }
        guard arns != tier.attachedPolicies else { return }
        let attaches =
            arns.isEmpty
            ? "no attached policies" : "attaches " + counted(arns.count, "managed policy", "managed policies")
        change(&state, attaches, tier: cursor.tier) {
            $0.attachedPolicies = arns
        }
    case .sessions, .alert, .inherits, .configurationReads, .container: return
    }
}

/// Space or Enter on a field: edit the text, toggle, or the next container kind.
private func activate(_ state: inout CurationState, _ cursor: inout TierSettingsCursor) {
    let tier = state.tiers.tiers[cursor.tier]
    switch cursor.field {
    case .name: cursor.draft = LineEditor(tier.name)
    case .role: cursor.draft = LineEditor(tier.roleName)
    case .attachments: cursor.draft = LineEditor(tier.attachedPolicies.joined(separator: ", "))
    case .sessions: state.message = "+ and - change the session length"
    case .alert:
        change(&state, "alert on use \(tier.alertOnUse ? "off" : "on")", tier: cursor.tier) { $0.alertOnUse.toggle() }
    case .inherits:
        change(&state, "inherits the lower tiers: \(tier.inherits ? "no" : "yes")", tier: cursor.tier) {
            $0.inherits.toggle()
        }
    case .configurationReads:
        let next = tier.configurationReadOnly ? "any action" : "configuration reads only"
        change(&state, "holds \(next)", tier: cursor.tier) { $0.configurationReadOnly.toggle() }
    case .container:
        let kinds = PolicyContainer.allCases
        let next = kinds[(kinds.firstIndex(of: tier.container)! + 1) % kinds.count]
        change(&state, "container: \(next.rawValue)", tier: cursor.tier) { $0.container = next }
    }
}

/// A new tier just after the selected one (the next rung up the ladder, the next row down the list),
/// or before it when it is the administrator tier: new tiers are for the middle. It is named for nothing but being new, since its key follows its place.
private func addTier(_ state: inout CurationState, _ cursor: inout TierSettingsCursor) {
    let names = state.tiers.tiers.map(\.name)
    let name = (1...).lazy.map { $0 == 1 ? "New tier" : "New tier \($0)" }.first { candidate in
        !names.contains { ExportName.collide($0, candidate) }
    }!
    let roles = Set(state.tiers.tiers.map { $0.roleName.lowercased() })
    let role = (1...).lazy.map { "iamtiers-tier-\($0)" }.first { !roles.contains($0) }!
    let position =
        state.tiers.tiers.isEmpty
        ? 0 : state.tiers.tiers[cursor.tier].isAdministrator ? cursor.tier : cursor.tier + 1
    state.remember(moves: nil)  // the tiers above move up one place: the index is rebuilt
    state.tiers.tiers.insert(Tier(name: name, roleName: role), at: position)
    state.recomputePolicies()
    cursor.tier = position
    cursor.field = .name
    state.message = "added \(name) as tier \(position + 1) (key \(position + 1)); Enter renames it"
}

/// `X` twice: the tier goes, and its actions with it into no tier (each a finding of `check` until
/// placed again); undo brings both back.
private func deleteTier(_ state: inout CurationState, _ cursor: inout TierSettingsCursor) {
    let tier = state.tiers.tiers[cursor.tier]
    guard state.tiers.tiers.count > 1 else {
        state.message = "\(tier.name) is the only tier: a ladder needs one"
        return
    }
    guard cursor.confirmingDelete == cursor.tier else {
        cursor.confirmingDelete = cursor.tier
        state.message =
            "delete \(tier.name)? Its \(counted(tier.actions.count, "action")) would be in no tier: X again deletes it"
        return
    }
    cursor.confirmingDelete = nil
    state.remember(moves: nil)
    state.tiers.tiers.remove(at: cursor.tier)
    state.recomputePolicies()
    cursor.tier = min(cursor.tier, state.tiers.tiers.count - 1)
    state.message = "deleted \(tier.name); \(counted(tier.actions.count, "action")) in no tier now (u undoes)"
}

/// One undoable change of the selected tier's settings.
private func change(_ state: inout CurationState, _ message: String, tier: Int, _ apply: (inout Tier) -> Void) {
    state.remember(moves: [])
    apply(&state.tiers.tiers[tier])
    state.recomputePolicies(applying: [])
    state.message = "\(state.tiers.tiers[tier].name): \(message)"
}

/// Column widths: as designed where they fit; on a narrow terminal the text columns (attached
/// policies, role, name) give up room first, down to 8 characters each, so every setting stays in sight.
func settingsColumns(fitting width: Int) -> [Int] {
    var columns = TierField.allCases.map(\.width)
    var excess = columns.reduce(0, +) - width
    for field in [TierField.attachments, .role, .name] where excess > 0 {
        let cut = min(excess, columns[field.rawValue] - 8)
        columns[field.rawValue] -= cut
        excess -= cut
    }
    return columns
}

/// The settings as a table over the main screen.
func drawTierSettings(
    _ cursor: TierSettingsCursor, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions
) {
    let theme = options.theme
    let inner = modalFrame(
        &grid, width: 116, height: state.tiers.tiers.count + 9,
        title: "Tiers (\(KeyMap.settings.hints(state)))",
        options)
    let columns = settingsColumns(fitting: inner.width - 2)
    func cells(_ values: [String], y: Int, selected: Int?, row: Int) {
        var x = inner.x + 1
        for (index, value) in values.enumerated() {
            let style =
                selected == index
                ? theme.style("item.selected")
                : index == 0 ? theme.style("tier.\(row % 3)") : theme.style("modal")
            grid.put(value.truncated(toWidth: columns[index] - 1), x: x, y: y, style: style, clip: inner)
            x += columns[index]
        }
    }
    let notes = [
        "Sessions: 1 to 12 h, the most IAM roles and permission sets allow.",
        "Inherits: the tier's role also gets the lower tiers' policies.",
        "Config only: the tier holds configuration reads; the editor and check object to anything else.",
    ]
    cells(TierField.allCases.map(\.title), y: inner.y + 1, selected: nil, row: 0)
    for (row, tier) in state.tiers.tiers.enumerated() where row + 3 + notes.count < inner.height {
        // Attached policies by their short names; Enter edits the whole ARNs.
        let attached = tier.attachedPolicies.map { String($0.split(separator: "/").last ?? "") }
        var values = [
            tier.name, tier.roleName, "\(tier.maxSessionHours) h", tier.alertOnUse ? "yes" : "no",
            tier.inherits ? "yes" : "no", tier.configurationReadOnly ? "only" : "any", tier.container.rawValue,
            attached.isEmpty ? "none" : attached.joined(separator: ", "),
        ]
        if row == cursor.tier, let draft = cursor.draft {
            // The end of what is being typed stays in sight.
            values[cursor.field.rawValue] = draft.visibleTail(width: columns[cursor.field.rawValue] - 2) + "▏"
        }
        cells(values, y: inner.y + 2 + row, selected: row == cursor.tier ? cursor.field.rawValue : nil, row: row)
    }
    for (offset, note) in notes.enumerated() {
        grid.put(
            " " + note, x: inner.x, y: inner.maxY - notes.count + offset, style: theme.style("muted"), clip: inner)
    }
}
