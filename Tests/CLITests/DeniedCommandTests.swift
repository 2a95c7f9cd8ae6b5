import Foundation
import TestSupport
import Testing

/// `iamtiers denied` on the refusals `Fixtures/denied/make-events.py` wrote for the roles of
/// `Fixtures/diff/v2.yaml`: one refusal per verdict, plus noise it must ignore.
@Suite struct DeniedCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures")
    var events: String { fixtures.appendingPathComponent("denied/cloudtrail.json").path }
    var tiers: String { fixtures.appendingPathComponent("diff/v2.yaml").path }

    struct Report: Decodable {
        struct Proposal: Decodable, Equatable {
            var action: String
            var verdict: String
            var target: String?
            var deniedIn: String
            var calls: Int
            var people: [String]
        }
        var proposals: [Proposal]
        var deniedCalls: Int
        var consoleCallsLeftOut: Int
    }

    @Test func proposesExactlyTheMissingActions() throws {
        let result = try IAMTiersBinary.run("denied", events, "--tiers", tiers, "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: result.stdoutData)
        let additions = report.proposals.filter { $0.verdict == "add" }.map { "\($0.target ?? "") ← \($0.action)" }
        #expect(
            additions == [
                "Read ← ec2:DescribeVpcs", "Read ← rds:DescribeDBInstances", "Operator ← lambda:InvokeFunction",
                "Operator ← s3:PutObject",
            ])
        let others = report.proposals.filter { $0.verdict != "add" }.map { "\($0.verdict) \($0.action)" }
        #expect(
            others == [
                "use-higher-tier s3:GetObject", "admin iam:CreateUser", "allowed-by-tier dynamodb:GetItem",
            ])
        let vpcs = try #require(report.proposals.first)
        #expect(
            vpcs.calls == 4 && vpcs.people == ["alice@corp.example", "bob@corp.example"] && vpcs.deniedIn == "Read")
        // 20 refusals of the tier roles; the console page view's 6 left out; the other role's 3 ignored.
        #expect(report.deniedCalls == 20 && report.consoleCallsLeftOut == 6)
    }

    @Test func theTextReportMatchesItsGoldenFile() throws {
        let result = try IAMTiersBinary.run("denied", events, "--tiers", tiers)
        #expect(
            goldenMismatch(
                result.stdout, file: Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/denied.txt"))
                == nil)
        let markdown = try IAMTiersBinary.run("denied", events, "--tiers", tiers, "--format", "markdown").stdout
        #expect(markdown.contains("| `s3:PutObject` | Write | 2 | carol@corp.example |"))
    }

    /// Applied, the proposals are a new version that `diff` shows; as open items, nothing moves.
    @Test func appliedAsANewVersionOrAsOpenItems() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let next = directory.appendingPathComponent("v3.yaml").path
        #expect(try IAMTiersBinary.run("denied", events, "--tiers", tiers, "-o", next).status == 0)
        let diff = try IAMTiersBinary.run("diff", tiers, next, "--format", "json")
        #expect(diff.status == 1)
        struct Diff: Decodable {
            struct Tier: Decodable {
                struct Change: Decodable { var action: String }
                var tier: String
                var movedIn: [Change]
            }
            var tiers: [Tier]
        }
        let moved = try JSONDecoder().decode(Diff.self, from: diff.stdoutData).tiers.map {
            "\($0.tier): \($0.movedIn.map(\.action).joined(separator: " "))"
        }
        #expect(
            moved == [
                "Read: ec2:DescribeVpcs rds:DescribeDBInstances", "Operator: lambda:InvokeFunction s3:PutObject",
                "Admin: ",
            ])
        let text = try String(contentsOfFile: next, encoding: .utf8)
        #expect(text.components(separatedBy: "{kind: access-denied,").count - 1 == 4)  // 3 verdicts + 1 unmapped
        #expect(
            text.contains(
                "{action: s3:PutObject, rule: access-denied, note: \"refused 2 times to carol@corp.example in Read,"))

        let items = directory.appendingPathComponent("items.yaml").path
        #expect(try IAMTiersBinary.run("denied", events, "--tiers", tiers, "-o", items, "--as-open-items").status == 0)
        let itemsText = try String(contentsOfFile: items, encoding: .utf8)
        #expect(itemsText.components(separatedBy: "{kind: access-denied,").count - 1 == 8)
        #expect(
            itemsText.contains(
                "s3:PutObject: refused 2 times to carol@corp.example in Read, 2026-11-02…2026-11-02; add it to Operator (refused in Read: the person needs Operator for it)"
            ))
        #expect(try IAMTiersBinary.run("diff", tiers, items).stdout.contains("open items: 0 → 8"))
    }

    @Test func unreadableInputAndTiersAreErrors() throws {
        let missing = try IAMTiersBinary.run("denied", "/nonexistent", "--tiers", tiers)
        #expect(missing.status == 2)
        let nowhere = try IAMTiersBinary.run("denied", events, "--tiers", tiers, "--as-open-items")
        #expect(nowhere.status != 0 && nowhere.stderr.contains("--as-open-items needs -o FILE"))
        let badTiers = try IAMTiersBinary.run("denied", events, "--tiers", events)
        #expect(badTiers.status == 2 && badTiers.stderr.contains("cloudtrail.json"))
    }
}
