import Testing

@testable import IAMTiersCore

@Suite struct TierDiffTests {
    func tiers(
        read: [String], readPatterns: [String] = [], operator operatorActions: [String] = [], readHours: Int = 12
    )
        -> TierSet
    {
        TierSet(
            source: .init(usage: nil, catalogDate: "", generator: "test"),
            tiers: [
                Tier(
                    name: "Read", roleName: "read", maxSessionHours: readHours,
                    actions: read.map { Assignment(action: $0) }, patterns: readPatterns),
                Tier(name: "Operator", roleName: "operator", actions: operatorActions.map { Assignment(action: $0) }),
            ])
    }

    @Test func aWildcardEqualToTheListItReplacesIsNoChange() throws {
        let listed = tiers(read: ["glue:ListSchemas", "glue:ListSchemaVersions"])
        let wildcard = tiers(read: [], readPatterns: ["glue:ListSchema*"])
        #expect(bundledCatalog.expand(try ActionPattern("glue:ListSchema*")).count == 2)  // the premise
        #expect(TierDiff(from: listed, to: wildcard, catalog: bundledCatalog).isEmpty)
    }

    @Test func aWiderWildcardShowsEveryActionItNowGrants() throws {
        let diff = TierDiff(
            from: tiers(read: ["glue:ListSchemas"]), to: tiers(read: [], readPatterns: ["glue:ListSchema*"]),
            catalog: bundledCatalog)
        #expect(diff.moves == [TierDiff.Move(action: "glue:ListSchemaVersions", from: nil, to: "Read")])
    }

    @Test func movesSettingsAndNotesAreReported() {
        let old = tiers(read: ["ec2:DescribeInstances", "ec2:StartInstances"])
        var new = tiers(read: ["ec2:DescribeInstances"], operator: ["ec2:StartInstances"], readHours: 8)
        new.tiers[0].actions[0].note = "on-call dashboards"
        new.compressedServices = ["ec2"]
        let diff = TierDiff(from: old, to: new, catalog: bundledCatalog)
        #expect(diff.moves == [TierDiff.Move(action: "ec2:StartInstances", from: "Read", to: "Operator")])
        #expect(diff.settings == ["Read: sessions up to 12 h → 8 h", "wildcards on: ec2"])
        #expect(
            diff.notes == [TierDiff.NoteChange(action: "ec2:DescribeInstances", from: nil, to: "on-call dashboards")])
    }

    @Test func aRenamedTierIsOneChangeNotAMoveOfAllItsActions() {
        let old = tiers(read: ["ec2:DescribeInstances"], operator: ["ec2:StartInstances"])
        var new = old
        new.tiers[1].name = "Data"
        new.tiers[1].maxSessionHours = 2
        let diff = TierDiff(from: old, to: new, catalog: bundledCatalog)
        #expect(diff.moves.isEmpty)
        #expect(diff.settings == ["tier renamed: Operator → Data", "Data: sessions up to 1 h → 2 h"])
        new.tiers[1].name = "OPERATOR"  // only the letter case
        #expect(
            TierDiff(from: old, to: new, catalog: bundledCatalog).settings.first == "OPERATOR: name Operator → OPERATOR"
        )
    }

    @Test func addedAndRemovedTiersAndUngrantedActions() {
        let old = tiers(read: ["s3:ListAllMyBuckets"])
        var new = tiers(read: [])
        new.tiers.removeLast()
        new.tiers.append(Tier(name: "Deploy", roleName: "deploy"))
        new.tiers.append(Tier(name: "Admin", roleName: "admin"))
        let diff = TierDiff(from: old, to: new, catalog: bundledCatalog)
        // Operator's place now holds Deploy: a rename; Admin is new.
        #expect(
            diff.settings == ["tier renamed: Operator → Deploy", "tier added: Admin", "Deploy: role operator → deploy"])
        #expect(diff.moves == [TierDiff.Move(action: "s3:ListAllMyBuckets", from: "Read", to: nil)])
        var fewer = old
        fewer.tiers.removeLast()
        #expect(TierDiff(from: old, to: fewer, catalog: bundledCatalog).settings == ["tier removed: Operator"])
    }
}
