import IAMTiersCore

/// The `d` view: what the session changed since the tiers file was last saved (or loaded), by
/// effect: sizes per tier, actions that moved between tiers, settings, notes.
func changesSinceSave(_ state: CurationState) -> [String] {
    let diff = TierDiff(from: state.savedTiers, to: state.tiers, catalog: state.catalog)
    guard !diff.isEmpty else { return ["No changes since \(state.tiersPath) was saved."] }
    var lines: [String] = []
    let savedPolicies = PolicySynthesizer(compression: state.savedTiers.compressionScope, catalog: state.catalog)
        .policies(for: state.savedTiers)
    let savedMeter = Dictionary(
        savedPolicies.map { ($0.tier.lowercased(), $0.meter) }, uniquingKeysWith: { first, _ in first })
    for policy in state.policies {
        guard let before = savedMeter[policy.tier.lowercased()] else { continue }
        if before.used != policy.meter.used {
            lines.append(
                "\(policy.tier): \(groupedDigits(before.used)) → \(groupedDigits(policy.meter.used)) characters")
        }
        // An attachment (here or below) takes room without moving an action: said, not silent.
        if before.capacity != policy.meter.capacity {
            lines.append(
                "\(policy.tier): room \(groupedDigits(before.capacity)) → \(groupedDigits(policy.meter.capacity)) "
                    + "characters (managed policies attached \(before.attachedPolicies) → "
                    + "\(policy.meter.attachedPolicies); m says why)")
        }
    }
    lines += diff.settings.map(\.description)
    let width = diff.moves.map { $0.action.count }.max() ?? 0
    for move in diff.moves {
        let padded = move.action.padding(toLength: width, withPad: " ", startingAt: 0)
        lines.append("\(padded)  \(move.from ?? "no tier") → \(move.to ?? "no tier")")
    }
    for note in diff.notes {
        switch (note.from, note.to) {
        case (nil, let new?): lines.append("note on \(note.action): “\(new)”")
        case (_?, nil): lines.append("note removed from \(note.action)")
        default: lines.append("note on \(note.action): “\(note.from ?? "")” → “\(note.to ?? "")”")
        }
    }
    return lines
}
