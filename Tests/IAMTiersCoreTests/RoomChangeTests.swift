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
