/// `iamtiers denied`: after a rollout, the calls IAM refused to sessions of the new tier roles,
/// mapped to IAM actions, and per action what would have allowed it: an addition to a tier (by
/// the suggestion rules, never below the tier the rules name), the tier that already has it,
/// Admin only, or nothing in the tiers at all (the refusal came from elsewhere).
public struct DeniedFollowUp: Sendable, Equatable, Encodable {
    public enum Verdict: String, Sendable, Equatable, Encodable, CaseIterable {
        /// Adding the action to `target` would have allowed the call.
        case add
        /// `target`, a higher tier, already allows it: the person needs that role for it.
        case useHigherTier = "use-higher-tier"
        /// `target`, a lower tier, has it, but the refused tier's role does not inherit it.
        case notInherited = "not-inherited"
        /// The tier the rules name denies it in its deny list: adding it there would not help.
        case deniedByTier = "denied-by-tier"
        /// The rules put it in Admin: outside any reasonable tier below.
        case admin
        /// The tier already allows it: an SCP, a permissions boundary, a resource policy or a
        /// condition refused it, and the tiers cannot fix that.
        case allowedByTier = "allowed-by-tier"
    }

    public struct Proposal: Sendable, Equatable, Encodable {
        public var action: String
        public var accessLevel: AccessLevel
        public var risk: [String]
        /// The suggestion rule the proposal follows.
        public var rule: String
        /// The tier whose role was refused.
        public var deniedIn: String
        public var verdict: Verdict
        public var target: String?
        public var calls: Int
        public var people: [String]
        public var firstSeen: EventTime?
        public var lastSeen: EventTime?
    }

    public struct UnmappedDenial: Sendable, Equatable, Encodable {
        public var deniedIn: String
        public var eventSource: String
        public var eventName: String
        public var calls: Int
        public var people: [String]
        public var reason: String
    }

    /// What a tool reading the JSON checks first, as in every file iamtiers writes.
    public static let format = "iamtiers.denied/1"
    public let format = DeniedFollowUp.format
    /// By verdict (in `Verdict` order), then target tier, most calls, action and refused tier.
    public var proposals: [Proposal]
    public var unmapped: [UnmappedDenial]
    /// Refused calls of the tier roles that were counted, and those left out as console page views.
    public var deniedCalls: Int
    public var consoleCallsLeftOut: Int
    /// The role ARNs seen for each tier (a tier's role may exist in several accounts).
    public var rolesSeen: [String: [String]]

    public init(
        totals: EventTotals, tiers set: TierSet, catalog: Catalog, mapping: CloudTrailMapping, includeConsole: Bool
    ) {
        let grants = TierGrants(set, catalog: catalog)
        let queries = set.tiers.map { RoleQuery($0.roleName) }
        struct Key: Hashable {
            var tier: Int
            var action: String
        }
        struct PairKey: Hashable {
            var eventSource: String
            var eventName: String
        }
        struct Seen {
            var calls = 0
            var people = Set<String>()
            var first: EventTime?
            var last: EventTime?

            mutating func add(_ session: String, _ tally: CallTally) {
                calls += tally.count
                if !session.isEmpty { people.insert(session) }
                first = [first, tally.first].compactMap { $0 }.min()
                last = [last, tally.last].compactMap { $0 }.max()
            }
        }
        var seen: [Key: Seen] = [:]
        var unmapped: [PairKey: (tier: Int, seen: Seen, reason: String)] = [:]
        var roles: [String: Set<String>] = [:]
        var denied = 0
        var console = 0
        totals.forEachCall { key, tally in
            guard key.principalKind == .role,
                let tier = queries.firstIndex(where: { $0.matches(roleArn: key.principal) })
            else { return }
            roles[set.tiers[tier].name, default: []].insert(key.principal)
            guard key.denied else { return }
            guard includeConsole || !key.console else {
                console += tally.count
                return
            }
            let outcome = mapping.map(eventSource: key.eventSource, eventName: key.eventName).outcome
            if case .noPermission = outcome { return }  // no IAM permission decides these calls
            denied += tally.count
            switch outcome {
            case .actions(let targets):
                for action in targets {
                    seen[Key(tier: tier, action: action.fullName), default: Seen()].add(key.session, tally)
                }
            case .unmapped(let reason):
                let pair = PairKey(eventSource: key.eventSource, eventName: key.eventName)
                unmapped[pair, default: (tier, Seen(), reason)].seen.add(key.session, tally)
            case .noPermission: break
            }
        }
        proposals = seen.compactMap { key, seen in
            guard let action = catalog.action(named: key.action) else { return nil }
            let rule = SuggestionRules.rule(for: action)
            let (verdict, target) = Self.verdict(for: action.fullName, rung: rule.rung, deniedIn: key.tier, set, grants)
            return Proposal(
                action: action.fullName, accessLevel: action.accessLevel, risk: action.risk.flags.names, rule: rule.id,
                deniedIn: set.tiers[key.tier].name, verdict: verdict, target: target.map { set.tiers[$0].name },
                calls: seen.calls, people: seen.people.sorted(), firstSeen: seen.first, lastSeen: seen.last)
        }
        .sorted { left, right in
            let order = Verdict.allCases
            let tierIndex = { (name: String?) in set.tiers.firstIndex { $0.name == name } ?? set.tiers.count }
            return (
                order.firstIndex(of: left.verdict)!, tierIndex(left.target), -left.calls, left.action,
                tierIndex(left.deniedIn)
            )
                < (
                    order.firstIndex(of: right.verdict)!, tierIndex(right.target), -right.calls, right.action,
                    tierIndex(right.deniedIn)
                )
        }
        self.unmapped = unmapped.map { pair, entry in
            UnmappedDenial(
                deniedIn: set.tiers[entry.tier].name, eventSource: pair.eventSource, eventName: pair.eventName,
                calls: entry.seen.calls, people: entry.seen.people.sorted(), reason: entry.reason)
        }
        .sorted { ($1.calls, $0.eventSource, $0.eventName) < ($0.calls, $1.eventSource, $1.eventName) }
        deniedCalls = denied
        consoleCallsLeftOut = console
        rolesSeen = roles.mapValues { $0.sorted() }
    }

    /// A tier that has the action already wins (a person placed it there); otherwise the tier the
    /// rules name on this ladder (`TierSet.tier(forRung:)`).
    private static func verdict(
        for action: String, rung: SuggestionRule.Rung, deniedIn tier: Int, _ set: TierSet, _ grants: TierGrants
    ) -> (Verdict, Int?) {
        if grants.allows(tier, action) { return (.allowedByTier, nil) }
        if grants.denies(tier, action) { return (.deniedByTier, tier) }
        // Placed in an AdministratorAccess tier by name: a person decided it is break glass.
        if let admin = set.tiers.firstIndex(where: { tier in
            tier.isAdministrator && tier.actions.contains { $0.action.lowercased() == action.lowercased() }
        }) {
            return (.admin, admin)
        }
        let daily = set.tiers.indices.filter { !set.tiers[$0].isAdministrator }
        if let holder = daily.first(where: { grants.allows($0, action) }) {
            return (holder > tier ? .useHigherTier : .notInherited, holder)
        }
        guard let ruled = set.tier(forRung: rung), !set.tiers[ruled].isAdministrator else {
            return (.admin, set.tier(forRung: .admin))
        }
        // Never lower than the refused tier unless its role inherits the lower one's grants.
        let target = ruled < tier && !inherits(set, from: tier, down: ruled) ? tier : ruled
        return (grants.denies(target, action) ? .deniedByTier : .add, target)
    }

    private static func inherits(_ set: TierSet, from upper: Int, down lower: Int) -> Bool {
        (lower + 1...upper).allSatisfy { set.tiers[$0].inherits }
    }

    /// The tiers with the proposals applied, as a new version: additions placed with the rule
    /// `access-denied` and a note saying who was refused when; everything else (or, with
    /// `asOpenItems`, every proposal) as an open item of kind `access-denied` for a person to decide.
    public func applied(to set: TierSet, asOpenItems: Bool) -> TierSet {
        var result = set
        // An action refused in several tiers is placed once, where its first proposal says, with
        // every refusal in the note; a tiers file holds each action in one tier only.
        var placed = Set(set.tiers.flatMap { $0.actions.map { $0.action.lowercased() } })
        var placedNow: [String: String] = [:]  // action (lower-cased) → the tier it went to
        for proposal in proposals {
            let key = proposal.action.lowercased()
            if proposal.verdict == .add && !asOpenItems {
                if let tier = placedNow[key], tier == proposal.target { continue }  // in that placement's note
                if !placed.contains(key), let target = result.tiers.firstIndex(where: { $0.name == proposal.target }) {
                    let refusals = proposals.filter {
                        $0.verdict == .add && $0.action == proposal.action && $0.target == proposal.target
                    }
                    result.tiers[target].actions.append(
                        Assignment(
                            action: proposal.action, rule: "access-denied",
                            note: refusals.map(\.refusal).joined(separator: "; ")))
                    result.tiers[target].actions = TiersFile.sortedAssignments(result.tiers[target].actions)
                    placed.insert(key)
                    placedNow[key] = proposal.target
                    continue
                }
            }
            result.openItems.append(
                .init(
                    kind: .accessDenied, action: proposal.action,
                    text: "\(proposal.action): \(proposal.refusal); \(proposal.advice)"))
        }
        for denial in unmapped {
            result.openItems.append(
                .init(
                    kind: .accessDenied,
                    text: "\(denial.eventSource) \(denial.eventName): refused \(counted(denial.calls, "time")) to "
                        + "\(denial.people.joined(separator: ", ")) in \(denial.deniedIn); no IAM action: \(denial.reason)"
                ))
        }
        return result
    }

    static func day(_ time: EventTime?) -> String { time?.day ?? "?" }
}

extension DeniedFollowUp.Proposal {
    /// Who was refused, where and when.
    var refusal: String {
        "refused \(counted(calls, "time")) to \(people.joined(separator: ", ")) in \(deniedIn), "
            + "\(DeniedFollowUp.day(firstSeen))…\(DeniedFollowUp.day(lastSeen))"
    }

    /// What to do, in words.
    public var advice: String {
        switch verdict {
        case .add:
            let add = "add it to \(target ?? "?")"
            return target == deniedIn
                ? add : add + " (refused in \(deniedIn): the person needs \(target ?? "?") for it)"
        case .useHigherTier: return "\(target ?? "?") already allows it: the person needs that role for it"
        case .notInherited:
            return "\(target ?? "?") has it, but \(deniedIn) does not inherit \(target ?? "?"): turn inheritance on, "
                + "or use that role"
        case .deniedByTier: return "\(target ?? "?")'s deny list refuses it: take it off that list first"
        case .admin: return "rule \(rule) puts it in Admin: break glass, or decide otherwise with a note"
        case .allowedByTier:
            return
                "\(deniedIn) already allows it: an SCP, permissions boundary, resource policy or condition refused it"
        }
    }
}
