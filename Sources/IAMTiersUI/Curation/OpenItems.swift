import IAMTiersCore
import TUIKit

/// The open items view (`i`): what the draft could not decide (actions only ever refused, calls no
/// rule maps, console-only calls, missing data events, needed but unlogged actions). Enter shows the
/// action an item names; `x` marks the item resolved (an undoable change of the tiers file).
public enum OpenItemsAction: Sendable, Hashable {
    case move(Int)
    case show
    case resolve
}

func reduceOpenItems(_ state: inout CurationState, _ action: OpenItemsAction) {
    guard case .openItems(let selected) = state.overlay else { return }
    let items = state.tiers.openItems
    switch action {
    case .move(let delta): state.overlay = .openItems(selected: min(max(0, selected + delta), max(0, items.count - 1)))
    case .show:
        guard items.indices.contains(selected) else {
            state.message = "nothing left open"
            return
        }
        guard let name = namedAction(items[selected].text) else {
            state.message = "this item names no action of the usage"
            return
        }
        guard state.reveal(name) else {
            state.message = "\(name) is not shown: clear the search or the filter (Esc, f)"
            return
        }
        state.overlay = nil
    case .resolve:
        guard items.indices.contains(selected) else { return }
        state.remember(moves: [])
        let item = state.tiers.openItems.remove(at: selected)
        state.overlay = .openItems(selected: min(selected, max(0, state.tiers.openItems.count - 1)))
        state.message = "resolved: \(item.kind) (u brings it back)"
    }
}

/// `athena:ListDatabases: refused 1 time…` names `athena:ListDatabases`.
private func namedAction(_ text: String) -> String? {
    let words = text.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
    return words.first { $0.split(separator: ":").count == 2 && !$0.contains("/") && !$0.hasSuffix(".com") }
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
            guard item.kind != "denied-only" else { return false }
            return mentionsWord(item.text, startingWith: action) || mentionsWord(item.text, equalTo: endpoint)
        }
    }

    /// Selects the action in the lists as they are shown; false when the search or filter hides it.
    mutating func reveal(_ action: String) -> Bool {
        for (serviceIndex, row) in services.enumerated() {
            guard let position = row.actions.firstIndex(where: { $0.action.lowercased() == action.lowercased() })
            else { continue }
            selectedService = serviceIndex
            selectedAction = position
            focus = .actions
            return true
        }
        return false
    }
}

func drawOpenItems(_ selected: Int, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let items = state.tiers.openItems
    let inner = modalFrame(
        &grid, width: 110, height: max(items.count, 1) + 2,
        title: "Open items (\(items.count)): Enter shows the action, x resolves, Esc closes", options)
    guard !items.isEmpty else {
        grid.put(" Nothing left open.", x: inner.x, y: inner.y, style: options.theme.style("modal"), clip: inner)
        return
    }
    drawRows(
        count: items.count,
        line: { ListLine(text: state.forRoom(items[$0].text), detail: items[$0].kind) },
        selected: selected,
        focused: true, into: &grid, inner, options.theme)
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
