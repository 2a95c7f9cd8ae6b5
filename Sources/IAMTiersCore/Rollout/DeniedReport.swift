/// `iamtiers denied` for people: text for the terminal, Markdown for a pull request.
extension DeniedFollowUp {
    static let sectionTitles: [Verdict: String] = [
        .add: "Add", .useHigherTier: "Already in a higher tier (use that role)",
        .notInherited: "In a lower tier the refused role does not inherit",
        .deniedByTier: "Refused by a tier's own deny list",
        .admin: "Admin only (outside any tier below Admin)",
        .allowedByTier: "Allowed by the tiers: refused elsewhere (SCP, boundary, resource policy, condition)",
    ]

    public var headline: String {
        let people = Set(proposals.flatMap(\.people) + unmapped.flatMap(\.people)).count
        let actions = Set(proposals.map(\.action)).count
        var text =
            "Access denied to the tier roles: \(counted(deniedCalls, "call")) by \(counted(people, "person", "people"))"
            + ", \(counted(actions, "action"))"
        if consoleCallsLeftOut > 0 {
            text += " (\(counted(consoleCallsLeftOut, "call")) from console page views left out: --include-console)"
        }
        let additions = Set(proposals.filter { $0.verdict == .add }.map(\.action)).count
        return text + ". " + (additions == 0 ? "Nothing to add." : "\(counted(additions, "addition")) proposed.")
    }

    /// Sections in verdict order; additions one per target tier.
    var sections: [(title: String, proposals: [Proposal])] {
        var sections: [(String, [Proposal])] = []
        for verdict in Verdict.allCases {
            let matching = proposals.filter { $0.verdict == verdict }
            guard !matching.isEmpty else { continue }
            if verdict == .add {
                var targets: [String] = []
                for proposal in matching where !targets.contains(proposal.target ?? "") {
                    targets.append(proposal.target ?? "")
                }
                for target in targets { sections.append(("Add to \(target)", matching.filter { $0.target == target })) }
            } else {
                sections.append((Self.sectionTitles[verdict] ?? verdict.rawValue, matching))
            }
        }
        return sections
    }

    public func text() -> String {
        var lines = [headline]
        if rolesSeen.isEmpty {
            lines.append("No session of a tier role is in the input: check the role names in the tiers file.")
        }
        for (title, proposals) in sections {
            lines += ["", "\(title) (\(counted(proposals.count, "action")))"]
            lines += Replay.aligned(
                proposals.map { proposal in
                    [
                        "  " + proposal.action, proposal.accessLevel.rawValue, counted(proposal.calls, "call"),
                        Replay.names(proposal.people), "\(Self.day(proposal.firstSeen))…\(Self.day(proposal.lastSeen))",
                        "refused in \(proposal.deniedIn)",
                    ]
                }, rightAligned: [2])
        }
        if !unmapped.isEmpty {
            lines += ["", "Not mapped to an IAM action (\(unmapped.count))"]
            lines += Replay.aligned(
                unmapped.map {
                    [
                        "  \($0.eventSource) \($0.eventName)", counted($0.calls, "call"), Replay.names($0.people),
                        $0.reason,
                    ]
                }, rightAligned: [1])
        }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    public func markdown() -> String {
        var lines = ["### iamtiers denied", "", "**\(markdownEscaped(headline))**"]
        for (title, proposals) in sections {
            lines += [
                "",
                "<details open><summary><b>\(htmlEscaped(title))</b>: \(counted(proposals.count, "action"))</summary>",
                "", "| action | level | calls | people | seen | refused in | advice |",
                "|---|---|---:|---|---|---|---|",
            ]
            for proposal in proposals {
                let cells = [
                    codeSpan(proposal.action), proposal.accessLevel.rawValue, groupedDigits(proposal.calls),
                    markdownEscaped(Replay.names(proposal.people)),
                    "\(Self.day(proposal.firstSeen))…\(Self.day(proposal.lastSeen))",
                    markdownEscaped(proposal.deniedIn),
                    markdownEscaped(proposal.advice),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            lines += ["", "</details>"]
        }
        if !unmapped.isEmpty {
            lines += ["", "**Not mapped to an IAM action**", ""]
            lines += unmapped.map {
                "- \(markdownEscaped("\($0.eventSource) \($0.eventName)")): \(counted($0.calls, "call")), "
                    + markdownEscaped("\(Replay.names($0.people)); \($0.reason)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
