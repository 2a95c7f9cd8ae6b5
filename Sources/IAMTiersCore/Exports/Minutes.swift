import Foundation

/// Markdown minutes of a curation session: every decision between the tiers as the session opened
/// and as they are now (placements with their notes, settings, notes), for the people who were in
/// the room and for the pull request that follows.
public enum Minutes {
    public static func markdown(
        from start: TierSet, to now: TierSet, catalog: Catalog, tiersPath: String, date: String,
        pseudonyms: Pseudonyms? = nil
    ) -> String {
        let diff = TierDiff(from: start, to: now, catalog: catalog)
        let hide = { (text: String) in markdownEscaped(pseudonyms?.redact(text) ?? text) }
        let notes = TierDiff.notes(now)
        // A note on a moved action is part of that decision, shown beside it.
        let otherNotes = diff.notes.filter { note in !diff.moves.contains { $0.action == note.action } }
        let decisions = diff.moves.count + diff.settings.count + otherNotes.count
        var lines = [
            "# Curation minutes: \(markdownEscaped(tiersPath))", "",
            "\(date) · \(counted(decisions, "decision"))",
        ]
        if decisions == 0 { lines += ["", "No decisions: the tiers are as the session found them."] }
        if !diff.moves.isEmpty {
            lines += ["", "## Placements", "", "| Action | From | To | Note |", "|---|---|---|---|"]
            lines += diff.moves.map { move in
                "| `\(move.action)` | \(markdownEscaped(move.from ?? "no tier")) | \(markdownEscaped(move.to ?? "no tier")) | "
                    + "\(notes[move.action].map(hide) ?? "") |"
            }
        }
        if !diff.settings.isEmpty {
            lines += ["", "## Settings", ""] + diff.settings.map { "- \(markdownEscaped($0.description))" }
        }
        if !otherNotes.isEmpty {
            lines += ["", "## Notes", ""]
            lines += otherNotes.map { "- `\($0.action)`: " + ($0.to.map(hide) ?? "note removed") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
