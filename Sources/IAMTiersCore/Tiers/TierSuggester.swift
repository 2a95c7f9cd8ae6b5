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
        // What replaces an IAM Identity Center permission set's role is permission sets too.
        if !usage.principals.isEmpty
            && usage.principals.allSatisfy({ RoleQuery.permissionSet(ofRoleArn: $0.arn) != nil })
        {
            for index in set.tiers.indices { set.tiers[index].container = .identityCenter }
        }
        var consoleOnly = 0
        for used in usage.actions {
            guard let action = catalog.action(named: used.action) else {
                set.openItems.append(
                    .init(
                        kind: .notInCatalog, action: used.action,
                        text: "\(used.action): not in the IAM catalog of \(catalog.info.date)"))
                continue
            }
            guard used.count > 0 else {
                // Calls only from console page views are noise left out on purpose; refusals are a question.
                if used.denied > 0 {
                    set.openItems.append(
                        .init(
                            kind: .deniedOnly, action: action.fullName,
                            text:
                                "\(action.fullName): refused \(counted(used.denied, "time")), never allowed; decide whether anyone needs it"
                        ))
                } else {
                    consoleOnly += 1
                }
                continue
            }
            let rule = SuggestionRules.rule(for: action)
            // The default ladder has every rung.
            let tier = set.tier(forRung: rule.rung)!
            set.tiers[tier].actions.append(Assignment(action: action.fullName, rule: rule.id))
            if action.verdict == .unassessed {
                set.openItems.append(
                    .init(
                        kind: .unassessedRead, action: action.fullName,
                        text: "\(action.fullName): a read nobody has assessed, so it went to "
                            + "\(set.tiers[tier].name), not Read; move it down only if it returns configuration, "
                            + "not data or secrets"))
            }
        }
        if consoleOnly > 0 {
            set.openItems.append(
                .init(
                    kind: .consoleOnly,
                    text: "\(consoleOnly) actions were called only by console page views and are left out; "
                        + "analyze with --include-console to see them as usage"))
        }
        for pair in usage.unmapped {
            set.openItems.append(
                .init(
                    kind: .unmapped, text: "\(pair.eventSource) \(pair.eventName): \(pair.count) calls, \(pair.reason)"
                ))
        }
        placeCompanions(usage, in: &set)
        // Possible companions are shown per action in the editor: nothing to decide for the draft.
        for hint in usage.hints {
            guard let kind = TierSet.OpenItem.Kind(hint: hint.kind) else { continue }
            let because =
                hint.because.isEmpty
                ? ""
                : " (seen: \(hint.because.prefix(8).joined(separator: ", "))"
                    + (hint.because.count > 8 ? ", …" : "") + ")"
            let actions = hint.actions.isEmpty ? "" : " Consider: \(hint.actions.prefix(8).joined(separator: ", "))."
            set.openItems.append(.init(kind: kind, action: hint.actions.first, text: hint.message + because + actions))
        }
        for index in set.tiers.indices {
            set.tiers[index].actions = TiersFile.sortedAssignments(set.tiers[index].actions)
        }
        return set
    }

    /// Each companion goes where `TierSet.companionTier` says, with rule `companion-of: …`, but never
    /// a data or secret read into a configuration-read tier (the actions it serves go up with it).
    /// `iam:PassRole` is scoped to the roles the requests passed, per service they were passed to.
    func placeCompanions(_ usage: Usage, in set: inout TierSet) {
        let companions = Dictionary(grouping: usage.companions, by: \.action)
        for action in companions.keys.sorted() {
            let entries = companions[action]!
            guard let known = catalog.action(named: action) else { continue }
            guard let placement = set.companionTier(of: known.fullName, serving: entries.map(\.neededBy)) else {
                let needing = Set(entries.map(\.neededBy)).sorted().joined(separator: ", ")
                set.openItems.append(
                    .init(
                        kind: .companionWithoutAction, action: known.fullName,
                        text: "\(known.fullName): needed by \(needing), which the logs do not show as usage "
                            + "(\(entries[0].reason)); place \(needing) where it belongs and \(known.fullName) with it")
                )
                continue
            }
            let serving = entries.filter { placement.serving.contains($0.neededBy) }
            var target = placement.tier
            let current = set.tierIndex(of: known.fullName)
            if set.tiers[target].configurationReadOnly && !known.isConfigurationRead {
                // A configuration-read tier never takes data or secrets: the pair goes up together.
                target = max(target, set.tier(forRung: SuggestionRules.rule(for: known).rung) ?? target)
                raise(placement.serving, to: target, with: known, in: &set)
            }
            if let current { set.tiers[current].actions.removeAll { $0.action == known.fullName } }
            set.tiers[target].actions.append(
                Assignment(
                    action: known.fullName, rule: Assignment.companionRule(of: Array(Set(serving.map(\.neededBy)))),
                    scopes: Self.scopes(of: serving)))
            for resource in Set(serving.flatMap(\.resources)).sorted() where resource.hasSuffix(":role/*") {
                set.openItems.append(
                    .init(
                        kind: .passRoleScope, action: known.fullName,
                        text: "\(known.fullName) for \(Set(serving.map(\.neededBy)).sorted().joined(separator: ", ")) "
                            + "is scoped to \(resource): the logs name only an instance profile, not its role; "
                            + "narrow it to the profile's role"))
            }
        }
    }

    /// Moves actions below `tier` up to it, because a companion they need cannot go lower.
    private func raise(_ actions: [String], to tier: Int, with companion: CatalogAction, in set: inout TierSet) {
        for action in Set(actions).sorted() {
            guard let from = set.tierIndex(of: action), from < tier,
                let position = set.tiers[from].actions.firstIndex(where: { $0.action == action })
            else { continue }
            var moved = set.tiers[from].actions.remove(at: position)
            moved.rule = "with-companion: \(companion.fullName)"
            set.tiers[tier].actions.append(moved)
            set.openItems.append(
                .init(
                    kind: .movedWithCompanion, action: action,
                    text: "\(action) went to \(set.tiers[tier].name) with \(companion.fullName), which it needs and "
                        + "which is \(companion.configurationReadObjection ?? "not a configuration read"): "
                        + "\(set.tiers[from].name) holds configuration reads only; move both down only if neither "
                        + "returns data or secrets"))
        }
    }

    /// The resources the companion was needed on, one scope per set of services they were passed to.
    public static func scopes(of entries: [Usage.Companion]) -> [Assignment.Scope] {
        guard entries.contains(where: { !$0.resources.isEmpty }) else { return [] }
        var byServices: [[String]: Set<String>] = [:]
        for entry in entries { byServices[entry.passedTo.sorted(), default: []].formUnion(entry.resources) }
        return byServices.keys.sorted { $0.joined() < $1.joined() }.map {
            Assignment.Scope(resources: Array(byServices[$0]!), passedTo: $0)
        }
    }
}
