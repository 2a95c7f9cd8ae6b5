/// Drafts tiers from a usage file: every used action goes to the rung its rule names, on the
/// default ladder; what the logs could not settle becomes an open item.
public struct TierSuggester {
    public let catalog: Catalog
    public let generator: String

    public init(catalog: Catalog, generator: String) {
        self.catalog = catalog
        self.generator = generator
    }

    public func suggest(from usage: Usage, usagePath: String?) -> TierSet {
        var set = TierSet.defaultLadder(
            source: TierSet.Source(usage: usagePath, catalogDate: catalog.info.date, generator: generator))
        var consoleOnly = 0
        for used in usage.actions {
            guard let action = catalog.action(named: used.action) else {
                set.openItems.append(
                    .init(
                        kind: "not-in-catalog", text: "\(used.action): not in the IAM catalog of \(catalog.info.date)"))
                continue
            }
            guard used.count > 0 else {
                // Calls only from console page views are noise left out on purpose; refusals are a question.
                if used.denied > 0 {
                    set.openItems.append(
                        .init(
                            kind: "denied-only",
                            text:
                                "\(action.fullName): refused \(counted(used.denied, "time")), never allowed; decide whether anyone needs it"
                        ))
                } else {
                    consoleOnly += 1
                }
                continue
            }
            let rule = SuggestionRules.rule(for: action)
            set.tiers[rule.rung.rawValue].actions.append(Assignment(action: action.fullName, rule: rule.id))
            if action.verdict == .unassessed {
                set.openItems.append(
                    .init(
                        kind: "unassessed-read",
                        text: "\(action.fullName): a read nobody has assessed, so it went to "
                            + "\(set.tiers[rule.rung.rawValue].name), not Read; move it down only if it returns configuration, "
                            + "not data or secrets"))
            }
        }
        if consoleOnly > 0 {
            set.openItems.append(
                .init(
                    kind: "console-only",
                    text: "\(consoleOnly) actions were called only by console page views and are left out; "
                        + "analyze with --include-console to see them as usage"))
        }
        for pair in usage.unmapped {
            set.openItems.append(
                .init(
                    kind: "unmapped", text: "\(pair.eventSource) \(pair.eventName): \(pair.count) calls, \(pair.reason)"
                ))
        }
        for hint in usage.hints where hint.kind != .noPermission {
            let because =
                hint.because.isEmpty
                ? ""
                : " (seen: \(hint.because.prefix(8).joined(separator: ", "))"
                    + (hint.because.count > 8 ? ", …" : "") + ")"
            let actions = hint.actions.isEmpty ? "" : " Consider: \(hint.actions.prefix(8).joined(separator: ", "))."
            set.openItems.append(.init(kind: hint.kind.rawValue, text: hint.message + because + actions))
        }
        for index in set.tiers.indices {
            set.tiers[index].actions = TiersFile.sortedAssignments(set.tiers[index].actions)
        }
        return set
    }
}
