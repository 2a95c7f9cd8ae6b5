import Foundation
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
        #expect(diff.settings.map(\.description) == ["Read: sessions up to 12 h → 8 h", "wildcards on: ec2"])
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
        #expect(
            diff.settings.map(\.description) == ["tier renamed: Operator → Data", "Data: sessions up to 1 h → 2 h"])
        new.tiers[1].name = "OPERATOR"  // only the letter case
        #expect(
            TierDiff(from: old, to: new, catalog: bundledCatalog).settings.first?.description
                == "OPERATOR: name Operator → OPERATOR"
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
            diff.settings.map(\.description) == [
                "tier renamed: Operator → Deploy", "tier added: Admin", "Deploy: role operator → deploy",
            ])
        #expect(diff.moves == [TierDiff.Move(action: "s3:ListAllMyBuckets", from: "Read", to: nil)])
        var fewer = old
        fewer.tiers.removeLast()
        #expect(
            TierDiff(from: old, to: fewer, catalog: bundledCatalog).settings.map(\.description) == [
                "tier removed: Operator"
            ])
    }

    @Test func policyDocumentsReadAsTiersWithWhatTheyCannotSay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-policies-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let statements = #"""
            {"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["ec2:describeinstances", "glue:ListSchema*", "madeup:DoThings"], "Resource": "*"},
              {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
              {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}}
            """#
        try statements.write(to: folder.appendingPathComponent("ops-1.json"), atomically: true, encoding: .utf8)
        try #"{"Statement": {"Effect": "Allow", "Action": "*"}}"#.write(
            to: folder.appendingPathComponent("break-glass-1.json"), atomically: true, encoding: .utf8)

        let loaded = try PolicyFileTiers.load(folder.path, catalog: bundledCatalog)
        #expect(loaded.tiers.tiers.map(\.roleName) == ["ops", "break-glass"])  // AdministratorAccess last
        let ops = loaded.tiers.tiers[0]
        #expect(ops.actions.map(\.action) == ["ec2:DescribeInstances", "madeup:DoThings"])
        #expect(ops.patterns == ["glue:ListSchema*"] && ops.deny == ["s3:DeleteBucket"])
        #expect(loaded.tiers.tiers[1].isAdministrator)
        #expect(loaded.warnings.count == 2)
        #expect(
            loaded.warnings.contains {
                $0.hasSuffix("ops-1.json: statement 3: NotAction cannot be compared action by action, skipped")
            })
        #expect(loaded.warnings.contains { $0.contains("'madeup:DoThings' is not in the IAM catalog") })
        #expect(PolicyFileTiers.roleName(ofFile: "policies/iamtiers-read-12.json") == "iamtiers-read")
        #expect(PolicyFileTiers.roleName(ofFile: "AdministratorAccess.json") == "AdministratorAccess")
    }

    /// Deployed policies compare by effect: listing an action in the AdministratorAccess tier is no
    /// change, and an action leaving the lower tiers lands in that tier.
    @Test func withoutAdminPlacementsAdministratorAccessGrantsTheRest() {
        var old = tiers(read: ["ec2:DescribeInstances"], operator: ["s3:PutObject"])
        old.tiers.append(Tier(name: "Admin", roleName: "admin", attachedPolicies: [Tier.administratorAccess]))
        var new = old
        new.tiers[1].actions = []
        new.tiers[2].actions = [Assignment(action: "s3:PutObject"), Assignment(action: "iam:CreateUser")]
        let diff = TierDiff(from: old, to: new, catalog: bundledCatalog, adminPlacements: false)
        #expect(diff.moves == [TierDiff.Move(action: "s3:PutObject", from: "Operator", to: "Admin")])
        #expect(TierDiff(from: old, to: new, catalog: bundledCatalog).moves.count == 2)
    }
}
