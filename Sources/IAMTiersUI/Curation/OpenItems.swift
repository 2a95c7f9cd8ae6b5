import IAMTiersCore
import TUIKit

/// The open items view (`i`): what the draft could not decide (actions only ever refused, calls no
/// rule maps, console-only calls, missing data events, needed but unlogged actions). Enter shows the
/// action an item names; `x` resolves the item with a reason (an undoable change of the tiers file,
/// the item kept with its reason for the review).
public enum OpenItemsAction: Sendable, Hashable {
    case move(Scroll)
    case show
    /// `x`: ask for the reason (or open a resolved item again); Enter on the reason resolves it.
    case resolve
    case commitReason
    case cancelReason
}

/// The open items view's cursor, and the reason being typed for resolving the selected item.
public struct OpenItemsCursor: Sendable, Equatable {
    public var selected: Int
    public var reason: LineEditor?

    public init(selected: Int = 0) { self.selected = selected }
}

func reduceOpenItems(_ state: inout CurationState, _ action: OpenItemsAction) {
    guard case .openItems(var cursor) = state.overlay else { return }
    let items = state.tiers.openItems
    switch action {
    case .move(let scroll):
        cursor.selected = scroll.apply(
            to: cursor.selected, count: items.count, visible: overlayRows(state, wanted: items.count + 2, reserved: 0))
    case .show:
        guard items.indices.contains(cursor.selected) else {
            state.message = "nothing left open"
            return
        }
        state.showClosingOverlay(items[cursor.selected].action, none: "this item names no action of the usage")
        return
    case .resolve:
        guard items.indices.contains(cursor.selected) else { return }
        guard items[cursor.selected].isOpen else {
            // Resolved by mistake: open again, as one undo step.
            state.remember(moves: [])
            state.tiers.openItems[cursor.selected].resolution = nil
            state.message = "open again: \(items[cursor.selected].kind.rawValue) (u undoes)"
            break
        }
        cursor.reason = LineEditor()
        state.message = "why does it need no decision any more? Enter keeps the reason, Esc leaves it open"
    case .commitReason:
        let reason = cursor.reason?.text.trimmingCharacters(in: .whitespaces) ?? ""
        guard !reason.isEmpty else {
            state.message = "a resolved item keeps its reason for the review: type one, or Esc"
            return
        }
        cursor.reason = nil
        state.remember(moves: [])
        state.tiers.openItems[cursor.selected].resolution = reason
        state.message = "resolved: \(items[cursor.selected].kind.rawValue), “\(reason)” (u brings it back)"
    case .cancelReason:
        cursor.reason = nil
        state.message = "left open"
    }
    state.overlay = .openItems(cursor)
}

extension CurationState {
    /// The open items that name an action of the service (or its endpoint), except refusals: those
    /// are rows of the service already.
    func openItems(ofService prefix: String) -> [TierSet.OpenItem] {
        openItemIndices(ofService: prefix).map { tiers.openItems[$0] }
    }

    func openItemIndices(ofService prefix: String) -> [Int] {
        let action = Array((prefix + ":").lowercased().utf8)
        let endpoint = Array((prefix + ".amazonaws.com").lowercased().utf8)
        return tiers.openItems.indices.filter { index in
            let item = tiers.openItems[index]
            guard item.isOpen && item.kind != .deniedOnly else { return false }
            return mentionsWord(item.text, startingWith: action) || mentionsWord(item.text, equalTo: endpoint)
        }
    }

    /// Enter in a list over the screen: the action the row names, selected with the overlay closed,
    /// or the reason it cannot be (`none` when the row names no action).
    mutating func showClosingOverlay(_ action: String?, none: String) {
        guard let action else {
            message = none
            return
        }
        guard reveal(action) else { return }
        overlay = nil
    }

    /// Selects the action (`service:Action`) or the service in the lists as they are shown; false,
    /// saying so, when the search or a filter hides it.
    mutating func reveal(_ name: String) -> Bool {
        let wanted = name.lowercased()
        for (serviceIndex, row) in services.enumerated() {
            if !wanted.contains(":") {
                guard row.prefix.lowercased() == wanted else { continue }
                (selectedService, selectedAction, focus) = (serviceIndex, 0, .services)
                return true
            }
            guard let position = row.actions.firstIndex(where: { $0.action.lowercased() == wanted }) else { continue }
            (selectedService, selectedAction, focus) = (serviceIndex, position, .actions)
            return true
        }
        message = "\(name) is not shown: clear the search or the filter (Esc, f)"
        return false
    }
}

func drawOpenItems(_ cursor: OpenItemsCursor, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let items = state.tiers.openItems
    let inner = modalFrame(
        &grid, width: 110, height: max(items.count, 1) + 2 + (cursor.reason == nil ? 0 : 1),
        title: "Open items (\(state.tiers.unresolvedItems.count)): \(KeyMap.openItems.hints(state))",
        options)
    guard !items.isEmpty else {
        grid.put(" Nothing left open.", x: inner.x, y: inner.y, style: options.theme.style("modal"), clip: inner)
        return
    }
    var list = inner
    if let reason = cursor.reason {
        // The reason being typed, on the last line of the box, as the room sees it.
        list.height -= 1
        let x = inner.x + grid.put(" reason: ", x: inner.x, y: inner.maxY - 1, style: options.theme.style("status.key"))
        let shown = LineEditor.tail(of: state.forRoom(reason.text), width: inner.maxX - x - 1)
        grid.put(shown + "▏", x: x, y: inner.maxY - 1, style: options.theme.style("modal"), clip: inner)
    }
    drawRows(
        count: items.count,
        line: { index in
            let item = items[index]
            return ListLine(
                text: state.forRoom(item.resolution.map { "✓ \(item.text) — resolved: \($0)" } ?? item.text),
                detail: item.kind.rawValue)
        },
        selected: cursor.selected,
        focused: true, into: &grid, list, options.theme, pagesFromFirstKey: true)
}

/// Whether a word of `text` (words end at a space, comma, semicolon or parenthesis) starts with
/// `prefix` (lower-case ASCII), whatever its case: a scan of the bytes, for every frame.
func mentionsWord(_ text: String, startingWith prefix: [UInt8]) -> Bool {
    wordStarts(text) { word in word.count >= prefix.count && zip(word, prefix).allSatisfy { asciiLower($0) == $1 } }
}

/// Whether a word of `text` is `word` (lower-case ASCII), whatever its case.
func mentionsWord(_ text: String, equalTo word: [UInt8]) -> Bool {
    wordStarts(text) { candidate in
        candidate.count == word.count && zip(candidate, word).allSatisfy { asciiLower($0) == $1 }
    }
}

private func wordStarts(_ text: String, _ test: (ArraySlice<UInt8>) -> Bool) -> Bool {
    let bytes = Array(text.utf8)
    var start = 0
    for index in 0...bytes.count {
        guard index == bytes.count || " ,();".utf8.contains(bytes[index]) else { continue }
        if index > start && test(bytes[start..<index]) { return true }
        start = index + 1
    }
    return false
}

private func asciiLower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
