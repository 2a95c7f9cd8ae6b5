import IAMTiersCore

/// One step of the history: the tiers to return to, and the placements that changes (nil: rebuild
/// the index). Undo and redo of a step move the same actions, so one list serves both directions.
public struct HistoryStep: Sendable {
    public var tiers: TierSet
    var moves: [PlacementChange]?
    /// What the change was, in the words the status line said it: undo and redo repeat them.
    var label = ""
}

/// An action's tier before and after a change (nil: in no tier).
struct PlacementChange: Sendable {
    var action: String
    var before: Int?
    var after: Int?
}

extension CurationState {
    /// Before a change: the current tiers become the undo step, and the redo history is forgotten.
    mutating func remember(moves: [PlacementChange]?) {
        undoStack.append(HistoryStep(tiers: tiers, moves: moves))
        redoStack.removeAll()
    }
}

/// Undo and redo: take the tiers from one history, keep the current ones on the other.
func step(
    _ state: inout CurationState, from source: WritableKeyPath<CurationState, [HistoryStep]>,
    to target: WritableKeyPath<CurationState, [HistoryStep]>, side: KeyPath<PlacementChange, Int?>, done: String,
    nothing: String
) {
    guard let step = state[keyPath: source].popLast() else {
        state.message = nothing
        return
    }
    state[keyPath: target].append(HistoryStep(tiers: state.tiers, moves: step.moves, label: step.label))
    state.tiers = step.tiers
    state.recomputePolicies(applying: step.moves, side: side)
    state.message = step.label.isEmpty ? done : "\(done): \(step.label)"
}
