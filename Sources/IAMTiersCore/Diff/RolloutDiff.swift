/// What `iamtiers diff` reports: the effective changes between two versions of the tiers, tier by
/// tier, with sizes against the limits, and (given the usage) which used actions the new version
/// would deny below Admin. Built on `TierDiff` comparing by effect.
public struct RolloutDiff: Sendable, Equatable {
    /// One action whose tier changed; nil on a side means no tier grants it there.
    public struct Change: Sendable, Equatable, Encodable {
        public var action: String
        /// Nil for an action the catalog does not know.
        public var accessLevel: AccessLevel?
        public var risk: [String]
        public var from: String?
        public var to: String?
    }

    /// A tier's policies on one side, as `export` would write them.
    public struct Size: Sendable, Equatable, Encodable {
        public var characters: Int
        public var capacity: Int
        public var documents: Int
        public var documentLimit: Int
        public var perDocumentLimit: Int
        public var container: String
        public var administratorAccess: Bool
        /// Why it does not fit, in words; empty when it fits.
        public var problems: [String]
        /// Managed policies attached to the role, its own and inherited, and lower tiers' policies
        /// attached as they are: what takes room from the quota.
        public var attachedPolicies: Int
        public var inheritedPolicies: Int
    }

    public struct TierChanges: Sendable, Equatable, Encodable {
        public var tier: String
        public var added: [Change]
        public var removed: [Change]
        public var movedIn: [Change]
        public var movedOut: [Change]
        public var settings: [String]
        public var sizeBefore: Size?
        public var sizeAfter: Size?

        public var actionCount: Int { added.count + removed.count + movedIn.count + movedOut.count }
        /// No grant or setting changed; the policies may still be written smaller or larger.
        public var isEmpty: Bool { actionCount == 0 && settings.isEmpty }
    }

    /// A used action that the new version grants later than the old one did, or not below Admin.
    public struct Impact: Sendable, Equatable, Encodable {
        public var action: String
        public var accessLevel: AccessLevel?
        public var risk: [String]
        public var calls: Int
        public var people: [String]
        /// The lowest tier below Admin that granted it before, and grants it now (nil: only Admin, or none).
        public var from: String
        public var to: String?
    }

    public var old: String
    public var new: String
    /// Every tier that changed, or whose policies changed size, in the new ladder's order, then the
    /// tiers that are gone.
    public var tiers: [TierChanges]
    /// Changes to the whole ladder: tiers added, removed or renamed, wildcards, open items.
    public var ladder: [String]
    public var notes: [TierDiff.NoteChange]
    /// Used actions no tier below Admin grants any more, most calls first (nil without usage).
    public var wouldBeDenied: [Impact]?
    /// Used actions that move to a higher tier below Admin, most calls first (nil without usage, or
    /// when the order of the tiers is not known: two policy folders without a tiers file).
    public var raised: [Impact]?

    /// Equal by effect: the same actions in the same tiers with the same settings and notes.
    public var isEmpty: Bool { tiers.allSatisfy(\.isEmpty) && ladder.isEmpty && notes.isEmpty }

    public init(
        old: TierSet, new: TierSet, oldLabel: String, newLabel: String, catalog: Catalog, usage: Usage?,
        orderKnown: Bool = true
    ) {
        self.old = oldLabel
        self.new = newLabel
        let diff = TierDiff(from: old, to: new, catalog: catalog, adminPlacements: false)
        let renamed = TierDiff.renamedToNewNames(old, new)

        func change(_ move: TierDiff.Move) -> Change {
            let known = catalog.action(named: move.action)
            return Change(
                action: move.action, accessLevel: known?.accessLevel, risk: known?.risk.flags.names ?? [],
                from: move.from, to: move.to)
        }
        let sizesBefore = Self.sizes(old, names: renamed.tiers.map(\.name), catalog)
        let sizesAfter = Self.sizes(new, names: new.tiers.map(\.name), catalog)
        let names =
            new.tiers.map(\.name)
            + renamed.tiers.map(\.name).filter { name in
                !new.tiers.contains { $0.name.lowercased() == name.lowercased() }
            }
        let moves = diff.moves.map(change)
        tiers = names.map { name in
            let key = name.lowercased()
            return TierChanges(
                tier: name,
                added: moves.filter { $0.from == nil && $0.to?.lowercased() == key },
                removed: moves.filter { $0.to == nil && $0.from?.lowercased() == key },
                movedIn: moves.filter { $0.from != nil && $0.to?.lowercased() == key },
                movedOut: moves.filter { $0.to != nil && $0.from?.lowercased() == key },
                settings: diff.settings.filter { $0.tier?.lowercased() == key }.map(\.change),
                sizeBefore: sizesBefore[key], sizeAfter: sizesAfter[key])
        }
        .filter { !$0.isEmpty || $0.sizeBefore != $0.sizeAfter }
        ladder = diff.settings.filter { $0.tier == nil }.map(\.change)
        notes = diff.notes
        if let usage {
            (wouldBeDenied, raised) = Self.impact(of: usage, before: renamed, after: new, catalog: catalog)
            if !orderKnown { raised = nil }
        }
    }

    /// Sizes as each version deploys (Sids carry the tier name), under the names the report uses.
    private static func sizes(_ set: TierSet, names: [String], _ catalog: Catalog) -> [String: Size] {
        let policies = PolicySynthesizer(compression: set.compressionScope, catalog: catalog).policies(for: set)
        var sizes: [String: Size] = [:]
        for ((tier, policy), name) in zip(zip(set.tiers, policies), names) {
            sizes[name.lowercased()] = Size(
                characters: policy.meter.used, capacity: policy.meter.capacity, documents: policy.meter.documents,
                documentLimit: policy.meter.documentLimit, perDocumentLimit: policy.meter.perDocumentLimit,
                container: tier.container.rawValue, administratorAccess: tier.isAdministrator,
                problems: policy.meter.problems, attachedPolicies: policy.meter.attachedPolicies,
                inheritedPolicies: policy.meter.inheritedPolicies)
        }
        return sizes
    }

    /// Used actions whose lowest tier below Admin, as the roles are deployed (inheritance, deny
    /// lists), is gone or higher. A version made only of AdministratorAccess tiers (the old admin
    /// role's own policy) served every action to everyone: that is the baseline then.
    private static func impact(of usage: Usage, before: TierSet, after: TierSet, catalog: Catalog) -> (
        denied: [Impact], raised: [Impact]
    ) {
        let old = TierGrants(before, catalog: catalog)
        let new = TierGrants(after, catalog: catalog)
        let oldIsAdminRole = !before.tiers.isEmpty && before.tiers.allSatisfy(\.isAdministrator)
        let baseline = oldIsAdminRole ? "\(before.tiers[0].name) (everything)" : nil
        let rank = Dictionary(
            after.tiers.enumerated().map { ($1.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var denied: [Impact] = []
        var raised: [Impact] = []
        for used in usage.actions where used.count > 0 {
            let name = catalog.action(named: used.action)?.fullName ?? used.action
            let lowercased = name.lowercased()
            guard
                let from = old.lowestDailyTier(allowingLowercased: lowercased).map({ before.tiers[$0].name })
                    ?? baseline
            else { continue }
            let now = new.lowestDailyTier(allowingLowercased: lowercased)
            let impact = Impact(
                action: name, accessLevel: used.accessLevel, risk: used.risk, calls: used.count, people: used.people,
                from: from, to: now.map { after.tiers[$0].name } ?? after.tiers.last(where: \.isAdministrator)?.name)
            if let now {
                if let was = rank[from.lowercased()], now > was { raised.append(impact) }
            } else {
                denied.append(impact)
            }
        }
        func byImpact(_ left: Impact, _ right: Impact) -> Bool {
            (-left.calls, -left.people.count, left.action) < (-right.calls, -right.people.count, right.action)
        }
        return (denied.sorted(by: byImpact), raised.sorted(by: byImpact))
    }
}
