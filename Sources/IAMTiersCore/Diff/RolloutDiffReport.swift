/// `iamtiers diff` as text for the terminal and as Markdown for a pull-request comment.
extension RolloutDiff {
    /// The impact first: used actions denied, then how much moved.
    public var headline: String { headlineSentences.joined(separator: " ") }

    /// The headline a sentence at a time: the terminal gives each its own line.
    var headlineSentences: [String] {
        var parts: [String] = []
        if let denied = wouldBeDenied {
            if denied.isEmpty {
                parts.append("No used action loses its tier below Admin.")
            } else {
                parts.append(
                    "\(counted(denied.count, "used action")) would be denied below Admin: "
                        + "\(counted(denied.reduce(0) { $0 + $1.calls }, "call")) by "
                        + "\(counted(Set(denied.flatMap(\.people)).count, "person", "people")).")
            }
            if let raised, !raised.isEmpty { parts.append("\(counted(raised.count, "used action")) moved up a tier.") }
        }
        guard !isEmpty else { return parts + ["No changes: both versions grant the same actions in the same tiers."] }
        let moves = tiers.flatMap { $0.added + $0.removed + $0.movedOut }
        let counts = [
            (moves.filter { $0.from == nil }.count, "added"), (moves.filter { $0.to == nil }.count, "removed"),
            (moves.filter { $0.from != nil && $0.to != nil }.count, "moved"),
        ]
        .filter { $0.0 > 0 }.map { "\(groupedDigits($0.0)) \($0.1)" }
        let settings = tiers.reduce(0) { $0 + $1.settings.count }
        var summary = counts.isEmpty ? [] : ["Actions: " + counts.joined(separator: ", ")]
        summary += ladder
        if settings > 0 { summary.append(counted(settings, "tier setting") + " changed") }
        if !notes.isEmpty { summary.append(counted(notes.count, "note") + " changed") }
        if !summary.isEmpty { parts.append(summary.joined(separator: "; ") + ".") }
        return parts
    }

    // MARK: Text

    public func text() -> String {
        var lines = ["iamtiers diff: \(old) → \(new)"] + headlineSentences
        for tier in tiers {
            lines += ["", "\(tier.tier)  (\(tier.countsText))"]
            if let size = sizeText(tier) { lines.append("  size: \(size)") }
            lines += tier.settings.map { "  \($0)" }
            let changes = tier.changes
            let nameWidth = changes.map { $0.change.name.count }.max() ?? 0
            let levelWidth = changes.map { $0.change.levelText.count }.max() ?? 0
            var service = ""
            for (mark, change) in changes {
                if change.service != service {
                    service = change.service
                    lines.append("  \(service)")
                }
                let columns = [
                    "    \(mark.symbol) " + change.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0),
                    change.levelText.padding(toLength: levelWidth, withPad: " ", startingAt: 0), mark.whereText(change),
                    change.risk.joined(separator: ", "),
                ]
                lines.append(columns.filter { !$0.isEmpty }.joined(separator: "  ").trimmingTrailingSpaces())
            }
        }
        if !ladder.isEmpty { lines += ["", "Ladder"] + ladder.map { "  \($0)" } }
        if !notes.isEmpty { lines += ["", "Notes"] + notes.map { "  \(noteText($0))" } }
        for (title, impacts) in impactSections {
            lines += ["", "\(title) (\(counted(impacts.count, "used action"))), most calls first:"]
            let width = impacts.map { $0.action.count }.max() ?? 0
            for impact in impacts {
                let columns = [
                    "  " + impact.action.padding(toLength: width, withPad: " ", startingAt: 0),
                    counted(impact.calls, "call"), counted(impact.people.count, "person", "people"),
                    "\(impact.from) → \(impact.to ?? "no tier")", peopleText(impact.people, escape: { $0 }),
                ]
                lines.append(columns.joined(separator: "  "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    /// GitHub refuses a comment over 65,536 characters; this leaves room for a line or two around it.
    public static let markdownBudget = 60_000

    /// For a pull-request comment within `budget` UTF-8 bytes (at least as many as characters): the
    /// headline, the per-tier table and who would be denied first, then each tier's changes folded,
    /// cut where the budget ends with a count of what was left out and where the whole diff is
    /// (`fullReport`, the file `-o` wrote). nil: everything.
    public func markdown(budget: Int? = nil, fullReport: String? = nil) -> String {
        var lines = [
            "### iamtiers diff: \(markdownEscaped(old)) → \(markdownEscaped(new))", "",
            "**\(markdownEscaped(headline))**",
        ]
        if !tiers.isEmpty {
            lines += [
                "", "| tier | added | removed | moved in | moved out | size before | size after |",
                "|---|---:|---:|---:|---:|---|---|",
            ]
            for tier in tiers {
                let cells = [
                    markdownEscaped(tier.tier), "\(tier.added.count)", "\(tier.removed.count)", "\(tier.movedIn.count)",
                    "\(tier.movedOut.count)", tier.sizeBefore.map(Self.sizeCell) ?? "–",
                    tier.sizeAfter.map(Self.sizeCell) ?? "–",
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        // What the note at the end needs, kept free from the start.
        var page = MarkdownPage(lines: lines, budget: budget.map { $0 - 600 })
        for (title, impacts) in impactSections {
            let rows = ("row of " + title.lowercased(), "rows of " + title.lowercased())
            guard
                page.add([
                    "", "<details open><summary><b>\(title)</b>: \(counted(impacts.count, "used action"))</summary>",
                    "", "| action | calls | people | before → after | who |", "|---|---:|---:|---|---|",
                ])
            else {
                page.count(rows, impacts.count)
                continue
            }
            for impact in impacts {
                let cells = [
                    codeSpan(impact.action), groupedDigits(impact.calls), "\(impact.people.count)",
                    markdownEscaped("\(impact.from) → \(impact.to ?? "no tier")"),
                    peopleText(impact.people, escape: markdownEscaped),
                ]
                page.add(["| " + cells.joined(separator: " | ") + " |"], leftOut: rows)
            }
            page.close(["", "</details>"])
        }
        if !ladder.isEmpty { page.add(["", "**Ladder**", ""] + ladder.map { "- \(markdownEscaped($0))" }) }
        if !notes.isEmpty { page.add(["", "**Notes**", ""] + notes.map { "- \(markdownEscaped(noteText($0)))" }) }
        for tier in tiers {
            let changes = ("change of \(tier.tier)", "changes of \(tier.tier)")
            guard
                page.add(["", "<details><summary><b>\(htmlEscaped(tier.tier))</b>: \(tier.countsText)</summary>", ""])
            else {
                page.count(changes, tier.changes.count)
                continue
            }
            if let size = sizeText(tier) { page.add(["- size: \(size)"]) }
            page.add(tier.settings.map { "- \(markdownEscaped($0))" })
            var service = ""
            for (mark, change) in tier.changes {
                var block: [String] = []
                if change.service != service {
                    service = change.service
                    block += ["", "**\(markdownEscaped(service))**", ""]
                }
                let details =
                    [change.levelText, mark.whereText(change)]
                    + (change.risk.isEmpty ? [] : ["risk: " + change.risk.joined(separator: ", ")])
                block.append(
                    "- \(mark.word) \(codeSpan(change.name)) · "
                        + details.filter { !$0.isEmpty }.map(markdownEscaped).joined(separator: " · "))
                page.add(block, leftOut: changes)
            }
            page.close(["", "</details>"])
        }
        if let budget, !page.leftOut.isEmpty {
            let whole =
                fullReport.map { "the whole diff is in \(codeSpan($0))" }
                ?? "`iamtiers diff … --format markdown -o FILE` writes it whole"
            let counts = page.leftOut.map { "\(groupedDigits($0.count)) \($0.count == 1 ? $0.kind.one : $0.kind.many)" }
            page.lines += [
                "",
                "**Cut to fit a comment of \(groupedDigits(budget)) characters**: left out "
                    + markdownEscaped(counts.joined(separator: ", ")) + "; " + whole + ".",
            ]
        }
        return page.lines.joined(separator: "\n") + "\n"
    }

    // MARK: Parts

    private var impactSections: [(String, [Impact])] {
        [("Would be denied below Admin", wouldBeDenied ?? []), ("Moved up a tier", raised ?? [])]
            .filter { !$0.1.isEmpty }
    }

    private func sizeText(_ tier: TierChanges) -> String? {
        guard tier.sizeBefore != nil || tier.sizeAfter != nil else { return nil }
        if tier.sizeBefore?.administratorAccess != false && tier.sizeAfter?.administratorAccess != false {
            return "AdministratorAccess, no policy of its own"
        }
        func characters(_ size: Size?) -> String { size.map { groupedDigits($0.characters) } ?? "none" }
        func documents(_ size: Size?) -> String { size.map { "\($0.documents)" } ?? "0" }
        let limits = tier.sizeAfter ?? tier.sizeBefore!
        // The room too, when it changed: attaching a managed policy (here or to a tier inherited)
        // takes a policy of the quota, and with it 6,144 characters.
        func changed<Value: Equatable>(_ value: (Size) -> Value, _ text: (Value) -> String) -> String {
            guard let before = tier.sizeBefore, let after = tier.sizeAfter, value(before) != value(after) else {
                return text(value(limits))
            }
            return "\(text(value(before))) → \(text(value(after)))"
        }
        var text =
            "\(characters(tier.sizeBefore)) → \(characters(tier.sizeAfter)) of \(changed(\.capacity, groupedDigits)) characters; "
            + "\(documents(tier.sizeBefore)) → \(documents(tier.sizeAfter)) of \(changed(\.documentLimit, String.init)) "
            + "\(limits.container) "
            + (limits.container == PolicyContainer.inline.rawValue
                ? "policies" : "policies (\(groupedDigits(limits.perDocumentLimit)) each)")
        if let before = tier.sizeBefore, let after = tier.sizeAfter, before.capacity != after.capacity {
            text +=
                "; room \(after.capacity < before.capacity ? "taken" : "freed") by managed policies attached "
                + "(\(before.attachedPolicies) → \(after.attachedPolicies)) and lower tiers' policies attached "
                + "(\(before.inheritedPolicies) → \(after.inheritedPolicies))"
        }
        if let problems = tier.sizeAfter?.problems, !problems.isEmpty {
            text += "; DOES NOT FIT: " + problems.joined(separator: "; ")
        }
        return text
    }

    private static func sizeCell(_ size: Size) -> String {
        guard !size.administratorAccess else { return "AdministratorAccess" }
        return "\(groupedDigits(size.characters)) of \(groupedDigits(size.capacity))"
            + (size.problems.isEmpty ? "" : " **does not fit**")
    }

    private func noteText(_ note: TierDiff.NoteChange) -> String {
        switch (note.from, note.to) {
        case (nil, let new?): return "\(note.action): “\(new)”"
        case (_?, nil): return "\(note.action): note removed"
        default: return "\(note.action): “\(note.from ?? "")” → “\(note.to ?? "")”"
        }
    }

    private func peopleText(_ people: [String], escape: (String) -> String) -> String {
        let shown = people.prefix(5).map(escape).joined(separator: ", ")
        return people.count > 5 ? "\(shown) and \(people.count - 5) more" : shown
    }
}

extension RolloutDiff.Change {
    var service: String { action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action }
    var name: String { action.split(separator: ":", maxSplits: 1).last.map(String.init) ?? action }
    var levelText: String { accessLevel?.rawValue ?? "not in catalog" }
}

extension RolloutDiff.TierChanges {
    var countsText: String {
        let counts = [
            (added.count, "added"), (removed.count, "removed"), (movedIn.count, "moved in"),
            (movedOut.count, "moved out"),
        ]
        .filter { $0.0 > 0 }.map { "\(groupedDigits($0.0)) \($0.1)" }
        if counts.isEmpty {
            guard settings.isEmpty else { return "same actions" }
            let roomChanged = sizeBefore.map(\.capacity) != sizeAfter.map(\.capacity)
            let sizeChanged = sizeBefore.map(\.characters) != sizeAfter.map(\.characters)
            return "same actions, "
                + [sizeChanged ? "policy size" : nil, roomChanged ? "room" : nil]
                .compactMap { $0 }.joined(separator: " and ") + " changed"
        }
        return counts.joined(separator: ", ")
    }

    /// Every changed action with how it changed, by action name so that services stay together.
    var changes: [(mark: ChangeMark, change: RolloutDiff.Change)] {
        (added.map { (ChangeMark.added, $0) } + removed.map { (.removed, $0) } + movedIn.map { (.movedIn, $0) }
            + movedOut.map { (.movedOut, $0) })
            .sorted { caseInsensitiveLess($0.1.action, $1.1.action) }
    }
}

enum ChangeMark {
    case added, removed, movedIn, movedOut

    var symbol: String {
        switch self {
        case .added: return "+"
        case .removed: return "-"
        case .movedIn: return "<"
        case .movedOut: return ">"
        }
    }

    var word: String {
        switch self {
        case .added: return "added"
        case .removed: return "removed"
        case .movedIn: return "moved in"
        case .movedOut: return "moved out"
        }
    }

    func whereText(_ change: RolloutDiff.Change) -> String {
        switch self {
        case .added, .removed: return ""
        case .movedIn: return "from \(change.from ?? "no tier")"
        case .movedOut: return "to \(change.to ?? "no tier")"
        }
    }
}

/// An action name as code, or escaped text when it holds characters a code span cannot carry.
func codeSpan(_ text: String) -> String {
    let plain = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ":*?-_./".contains($0)) }
    return plain && !text.isEmpty ? "`\(text)`" : markdownEscaped(text)
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// `--format json`: the diff for tools, with the verdict and the headline. Absent sides (no tier,
/// no note) are left out of their objects.
extension RolloutDiff: Encodable {
    private enum Key: String, CodingKey {
        case format, equal, headline, old, new, tiers, ladder, notes, wouldBeDenied, raised
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("iamtiers.diff/1", forKey: .format)
        try container.encode(isEmpty, forKey: .equal)
        try container.encode(headline, forKey: .headline)
        try container.encode(old, forKey: .old)
        try container.encode(new, forKey: .new)
        try container.encode(tiers, forKey: .tiers)
        try container.encode(ladder, forKey: .ladder)
        try container.encode(notes, forKey: .notes)
        try container.encodeIfPresent(wouldBeDenied, forKey: .wouldBeDenied)
        try container.encodeIfPresent(raised, forKey: .raised)
    }
}

/// Markdown lines added while they fit a budget; what does not fit is counted by kind, in the order
/// first met, and a folded section opened is always closed.
struct MarkdownPage {
    var lines: [String]
    /// Bytes left, or nil for no limit.
    private var room: Int?
    /// A kind of thing left out, in the singular and the plural.
    typealias Kind = (one: String, many: String)
    private(set) var leftOut: [(kind: Kind, count: Int)] = []

    init(lines: [String], budget: Int?) {
        self.lines = lines
        room = budget.map { $0 - lines.reduce(0) { $0 + $1.utf8.count + 1 } }
    }

    /// Adds the block whole, or, when it does not fit (or one of its kind was already left out),
    /// counts it as left out; says whether it was added.
    @discardableResult
    mutating func add(_ block: [String], leftOut kind: Kind? = nil) -> Bool {
        let bytes = block.reduce(0) { $0 + $1.utf8.count + 1 }
        let cut = kind.map { kind in leftOut.contains { $0.kind == kind } } ?? false
        // 40 bytes stay free for the closing lines of a folded section.
        if let room, cut || bytes > room - 40 {
            if let kind { count(kind, 1) }
            return false
        }
        lines += block
        room = room.map { $0 - bytes }
        return true
    }

    mutating func count(_ kind: Kind, _ number: Int) {
        guard number > 0 else { return }
        if let index = leftOut.firstIndex(where: { $0.kind == kind }) {
            leftOut[index].count += number
        } else {
            leftOut.append((kind, number))
        }
    }

    /// Closing lines: always added (their bytes were kept free by `add`).
    mutating func close(_ block: [String]) {
        lines += block
        room = room.map { $0 - block.reduce(0) { $0 + $1.utf8.count + 1 } }
    }
}
