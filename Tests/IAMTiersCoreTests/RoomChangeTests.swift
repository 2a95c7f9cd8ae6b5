import IAMTiersCore
import Testing

/// Attaching a managed policy takes room: the meter says of what, and diffs say that it changed.
@Suite struct RoomChangeTests {
    func ladder() throws -> TierSet {
        TierSuggester(catalog: bundledCatalog, generator: "test").suggest(
            from: try exampleUsage(), usagePath: "usage.json")
    }

    @Test func anAttachmentToALowerTierShrinksTheRoomOfEveryTierThatInheritsIt() throws {
        var old = try ladder()
        for index in old.tiers.indices { old.tiers[index].container = .managed }
        var new = old
        new.tiers[0].attachedPolicies = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        let before = PolicySynthesizer(catalog: bundledCatalog).policies(for: old)[1].meter
        let after = PolicySynthesizer(catalog: bundledCatalog).policies(for: new)[1].meter
        #expect(after.capacity == before.capacity - AWSLimits.managedPolicySize)
        #expect(after.attachedPolicies == before.attachedPolicies + 1 && after.policyQuota == 10)
        #expect(after.inheritedPolicies == before.inheritedPolicies)

        let text = RolloutDiff(old: old, new: new, oldLabel: "v1", newLabel: "v2", catalog: bundledCatalog, usage: nil)
            .text()
        #expect(text.contains("same actions, room changed"), "\(text)")
        #expect(
            text.contains(
                "of \(groupedDigits(before.capacity)) → \(groupedDigits(after.capacity)) characters"), "\(text)")
        #expect(text.contains("room taken by managed policies attached (0 → 1)"), "\(text)")
    }
}

/// Re-metering only the tiers a move touched gives what metering everything gives.
@Suite struct IncrementalSynthesisTests {
    /// Permission sets and an inline tier copy what they inherit; managed policies attach it.
    @Test(arguments: [PolicyContainer.identityCenter, .managed], [false, true])
    func movesBetweenTiersReuseTheOthersAndAgreeWithTheWhole(container: PolicyContainer, wildcards: Bool) throws {
        var set = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(
            from: try exampleUsage(), usagePath: "usage.json")
        for index in set.tiers.indices { set.tiers[index].container = container }
        set.tiers.insert(Tier(name: "Middle", roleName: "middle"), at: 1)
        set.tiers[1].container = .inline  // copies what it inherits: a move into Read changes it too
        // Wildcards for two services: moves there are re-metered whole, moves elsewhere keep them.
        if wildcards { set.compressedServices = ["ec2", "glue"] }
        let synthesizer = PolicySynthesizer(compression: set.compressionScope, catalog: bundledCatalog)
        var policies = synthesizer.policies(for: set)
        var generator = SystemRandomNumberGenerator()
        for step in 0..<60 {
            let from = Int.random(in: 0..<set.tiers.count, using: &generator)
            guard !set.tiers[from].actions.isEmpty else { continue }
            let to = (from + 1 + step % (set.tiers.count - 1)) % set.tiers.count
            let moved = set.tiers[from].actions.remove(at: Int.random(in: 0..<set.tiers[from].actions.count))
            set.tiers[to].insert(moved)
            let service = String(moved.action.prefix { $0 != ":" }).lowercased()
            policies = synthesizer.policies(for: set, reusing: policies, changed: [from: [service], to: [service]])
            #expect(policies == synthesizer.policies(for: set), "step \(step): \(moved.action) \(from) → \(to)")
        }
    }
}
