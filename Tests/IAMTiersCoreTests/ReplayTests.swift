import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Replay on the crafted usage of the diff tests (alice, bob, carol) against its v2 tiers.
@Suite struct ReplayTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff")

    func load() throws -> (TierSet, Usage) {
        let tiers = try TiersFile.load(fixtures.appendingPathComponent("v2.yaml").path, catalog: bundledCatalog).tiers
        return (tiers, try Usage.load(fixtures.appendingPathComponent("usage.json").path))
    }

    @Test func eachPersonGetsTheLowestTierAllowingAllTheirCalls() throws {
        let (tiers, usage) = try load()
        let replay = Replay(tiers: tiers, usage: usage, catalog: bundledCatalog)
        #expect(replay.people.map(\.person) == ["alice@corp.example", "bob@corp.example", "carol@corp.example"])
        #expect(
            replay.people.map { $0.coverage.map(\.calls) } == [[150, 150, 210], [100, 180, 240], [100, 107, 107]])
        #expect(replay.people.map(\.proposedTier) == ["Admin", "Admin", "Operator"])
        #expect(replay.people[0].onlyAdmin == ["s3:PutObject"])
        #expect(replay.summary.map(\.peopleFullyServed) == [0, 1, 3])
        #expect(replay.summary.map(\.proposedFor) == [0, 1, 2])
        #expect(replay.onlyAdmin.map(\.action) == ["s3:PutObject"])
        #expect(replay.people.allSatisfy { $0.signIns == nil })  // the crafted usage has no sign-ins
        #expect(Replay.percent(106.0 / 107.0) == "99.0%" && Replay.percent(0.99996) == "99.9%")
    }

    @Test func denyListsAndInheritanceDecideWhatARoleMayCall() throws {
        var (tiers, usage) = try load()
        tiers.tiers[1].deny = ["ec2:Start*"]
        tiers.tiers[1].inherits = false  // Operator no longer carries Read's actions
        var grants = TierGrants(tiers, catalog: bundledCatalog)
        // Admin's role holds AdministratorAccess: it gets none of the lower tiers' policies, their
        // deny lists included; a denial for it goes in its own deny list.
        #expect(!grants.allows(1, "ec2:StartInstances") && grants.allows(2, "ec2:StartInstances"))
        #expect(!grants.allows(1, "ec2:DescribeInstances") && grants.allows(2, "ec2:DescribeInstances"))
        #expect(grants.allows(0, "ec2:DescribeVolumeStatus"))  // through Read's wildcard
        tiers.tiers[2].deny = ["ec2:Start*"]
        grants = TierGrants(tiers, catalog: bundledCatalog)
        #expect(!grants.allows(2, "ec2:StartInstances") && grants.allows(2, "ec2:StopInstances"))
        let carol = Replay(tiers: tiers, usage: usage, catalog: bundledCatalog).people[2]
        #expect(carol.coverage.map(\.calls) == [100, 0, 100] && carol.proposedTier == nil)
        usage.signIns = [
            Usage.SignIn(
                roleArn: "arn:aws:iam::111122223333:role/Admin", user: "Carol@corp.example", count: 3, firstSeen: nil,
                lastSeen: nil, sourceAddresses: 1)
        ]
        #expect(Replay(tiers: tiers, usage: usage, catalog: bundledCatalog).people.map(\.signIns) == [0, 0, 3])
    }

    @Test func theCSVIsSafeForSpreadsheets() {
        #expect(Replay.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(Replay.csvField("a,b") == "\"a,b\"" && Replay.csvField("alice@corp.example") == "alice@corp.example")
    }

    /// The diff's "would be denied" list follows the roles as deployed: a deny list counts.
    @Test func theRolloutDiffHonoursDenyLists() throws {
        let (tiers, usage) = try load()
        var denying = tiers
        denying.tiers[1].deny = ["dynamodb:GetItem"]
        let diff = RolloutDiff(
            old: tiers, new: denying, oldLabel: "v2", newLabel: "v2-deny", catalog: bundledCatalog, usage: usage)
        #expect(diff.wouldBeDenied?.map(\.action) == ["dynamodb:GetItem"])
        #expect(diff.wouldBeDenied?.first?.people == ["bob@corp.example"])
        // Against the old admin role itself, every used action left to Admin is listed.
        let adminRole = TierSet(
            source: tiers.source,
            tiers: [Tier(name: "Admin", roleName: "AdministratorAccess", attachedPolicies: [Tier.administratorAccess])])
        let fromAdmin = RolloutDiff(
            old: adminRole, new: tiers, oldLabel: "admin", newLabel: "v2", catalog: bundledCatalog, usage: usage)
        #expect(fromAdmin.wouldBeDenied?.map(\.action) == ["s3:PutObject"])
        #expect(fromAdmin.wouldBeDenied?.first?.from == "Admin (everything)")
    }

    @Test func aUsageFileWithImpossibleCountsIsRefused() throws {
        let text = try String(contentsOf: fixtures.appendingPathComponent("usage.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"count\": 300", with: "\"count\": 9223372036854775807")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-usage-\(UUID()).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: Usage.LoadError.self) { try Usage.load(file.path) }
        // Each count possible, their sum not: every later sum must stay far from overflowing.
        let halves = try String(contentsOf: fixtures.appendingPathComponent("usage.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"count\": 300", with: "\"count\": 600000000000000000")
            .replacingOccurrences(of: "\"count\": 120", with: "\"count\": 600000000000000000")
        try halves.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: Usage.LoadError.self) { try Usage.load(file.path) }
    }

    @Test func namesFromLogsCannotBreakTheCSVOrTheMarkdown() throws {
        #expect(Replay.csvField("a\r\n=evil()") == "\"a\r\n=evil()\"")
        var (tiers, usage) = try load()
        tiers.tiers[0].name = "Read<img src=x>"
        var old = tiers
        old.tiers[0].maxSessionHours = 12
        let markdown = RolloutDiff(
            old: old, new: tiers, oldLabel: "a", newLabel: "b", catalog: bundledCatalog, usage: usage
        ).markdown()
        #expect(markdown.contains("<summary><b>Read&lt;img src=x&gt;</b>"))
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<img"))  // escaped in table cells
        usage.people[0].name = "x|y\r\nz"
        #expect(markdownEscaped(usage.people[0].name) == "x\\|y z")
    }
}
