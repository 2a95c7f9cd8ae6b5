/// What each tier's role may call: its own actions and wildcards, those of the tiers it inherits,
/// minus its deny list; a role holding AdministratorAccess may call anything it does not deny.
/// Replay and the access-denied follow-up ask it whether a tier would have allowed a call.
public struct TierGrants: Sendable {
    public let tierNames: [String]
    /// Per tier, the granted actions (lower-cased), or nil for AdministratorAccess.
    private let granted: [Set<String>?]
    private let denied: [Set<String>]

    public init(_ set: TierSet, catalog: Catalog) {
        func names(_ entries: [String]) -> Set<String> {
            var names = Set<String>()
            for entry in entries {
                if let pattern = try? ActionPattern(entry), entry.contains("*") || entry.contains("?") {
                    names.formUnion(catalog.expand(pattern).map { $0.fullName.lowercased() })
                } else {
                    names.insert((catalog.action(named: entry)?.fullName ?? entry).lowercased())
                }
            }
            return names
        }
        var granted: [Set<String>?] = []
        var denied: [Set<String>] = []
        for (index, tier) in set.tiers.enumerated() {
            let inherited = tier.inherits && index > 0
            var own: Set<String>? = tier.isAdministrator ? nil : names(tier.actions.map(\.action) + tier.patterns)
            if inherited, let mine = own { own = granted[index - 1].map { mine.union($0) } }
            granted.append(own)
            denied.append(names(tier.deny).union(inherited ? denied[index - 1] : []))
        }
        tierNames = set.tiers.map(\.name)
        self.granted = granted
        self.denied = denied
    }

    public var count: Int { tierNames.count }

    public func isAdministrator(_ tier: Int) -> Bool { granted[tier] == nil }

    public func allows(_ tier: Int, _ action: String) -> Bool {
        let name = action.lowercased()
        return !denied[tier].contains(name) && granted[tier].map { $0.contains(name) } ?? true
    }

    /// The lowest tier below AdministratorAccess that allows the action.
    public func lowestDailyTier(allowing action: String) -> Int? {
        tierNames.indices.first { !isAdministrator($0) && allows($0, action) }
    }
}
