import IAMTiersCore

/// Companions on the curation screen: what an action needs besides itself (from the tiers file's
/// `companion-of` rules and the usage), what a companion serves, and where companions go when the
/// actions they serve move.
extension CurationState {
    /// The companions an action needs, sorted.
    public func companions(of action: String) -> [String] {
        let fromTiers = tiers.companionAssignments().map(\.assignment).filter { $0.companionOf.contains(action) }
            .map(\.action)
        let fromUsage = (companionsNeeded[action] ?? []).map(\.action)
        return Set(fromTiers + fromUsage).sorted(by: caseInsensitiveLess)
    }

    /// The actions a companion serves, sorted.
    public func actionsServed(by companion: String) -> [String] {
        let assignment = tierIndex(of: companion).flatMap { index in
            tiers.tiers[index].actions.first { $0.action == companion }
        }
        let fromUsage = (companionEntries[companion] ?? []).map(\.neededBy)
        return Set((assignment?.companionOf ?? []) + fromUsage).sorted(by: caseInsensitiveLess)
    }

    /// What the requests said a companion needs to be granted on (the roles `iam:PassRole` passes).
    func usageScopes(of action: String) -> [Assignment.Scope] {
        TierSuggester.scopes(of: companionEntries[action] ?? [])
    }

    /// Where the companions of `targets` go once they are in `tier`, when that moves them.
    func companionMoves(for targets: [String], to tier: Int) -> [(action: String, tier: Int?, rule: String?)] {
        let followers = Set(targets.flatMap(companions(of:))).subtracting(targets).sorted(by: caseInsensitiveLess)
        guard !followers.isEmpty else { return [] }
        // The tiers as they will be: the targets in `tier`, everything else where the index says.
        let moving = Set(targets)
        let after: (String) -> Int? = { moving.contains($0) ? tier : self.tierIndex(of: $0) }
        return followers.compactMap { companion in
            guard
                let placement = tiers.companionTier(
                    of: companion, serving: actionsServed(by: companion), tierOf: after),
                placement.tier != tierIndex(of: companion)
            else { return nil }
            return (companion, placement.tier, Assignment.companionRule(of: placement.serving))
        }
    }

    /// What AWS's lists and the catalog say the selected action may also need, given what it needed.
    public func possibleCompanions(of used: Usage.ActionUsage) -> [String] {
        companionFinder?.possibleCompanions(of: used, needed: Set(companions(of: used.action))) ?? []
    }
}
