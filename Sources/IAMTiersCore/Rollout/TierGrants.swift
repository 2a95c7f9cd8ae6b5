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
            names.reserveCapacity(entries.count)
            for entry in entries {
                // Names differ from the catalog's only in letter case; wildcards stand for what they match.
                if entry.hasWildcard, let pattern = try? ActionPattern(entry) {
                    names.formUnion(catalog.expand(pattern).map { $0.fullName.lowercased() })
                } else {
                    names.insert(entry.lowercased())
                }
            }
            return names
        }
        // As `export` deploys them: a role gets the lower tiers' grants while it inherits, down to an
        // AdministratorAccess tier (not included); their Deny statements only where both tiers'
        // policies are managed ones it attaches (inline policies copy the allowed actions alone).
        let own = set.tiers.map { $0.isAdministrator ? nil : names($0.actions.map(\.action) + $0.patterns) }
        let ownDenied = set.tiers.map { names($0.deny) }
        var granted: [Set<String>?] = []
        var denied: [Set<String>] = []
        for (index, tier) in set.tiers.enumerated() {
            var allowed = own[index]
            var refused = ownDenied[index]
            for lower in set.inheritedTiers(of: index) {
                allowed?.formUnion(own[lower] ?? [])  // nil stays nil: AdministratorAccess allows all
                if tier.container == .managed && set.tiers[lower].container == .managed {
                    refused.formUnion(ownDenied[lower])
                }
            }
            granted.append(allowed)
            denied.append(refused)
        }
        tierNames = set.tiers.map(\.name)
        self.granted = granted
        self.denied = denied
    }

    public func isAdministrator(_ tier: Int) -> Bool { granted[tier] == nil }

    public func allows(_ tier: Int, _ action: String) -> Bool { allows(tier, lowercased: action.lowercased()) }

    /// For callers that ask about the same name for every tier: lowered once.
    func allows(_ tier: Int, lowercased name: String) -> Bool {
        !denied[tier].contains(name) && granted[tier].map { $0.contains(name) } ?? true
    }

    /// Whether the tier's role is refused the action by a deny list (its own or an attached one).
    public func denies(_ tier: Int, _ action: String) -> Bool { denied[tier].contains(action.lowercased()) }

    /// The lowest tier below AdministratorAccess that allows the action.
    public func lowestDailyTier(allowing action: String) -> Int? {
        lowestDailyTier(allowingLowercased: action.lowercased())
    }

    func lowestDailyTier(allowingLowercased name: String) -> Int? {
        tierNames.indices.first { !isAdministrator($0) && allows($0, lowercased: name) }
    }
}
