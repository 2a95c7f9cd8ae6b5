import Foundation
import TestSupport
import Testing

/// `iamtiers diff` on crafted versions: v1 → v2 moves actions between tiers (down, up, and out to
/// Admin), widens a wildcard, changes a session duration and an alert, and adds a note;
/// v1-wildcard writes two of v1's actions as the wildcard that equals them.
@Suite struct DiffCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff")
    let goldens = Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/diff")

    func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    func diff(_ arguments: String...) throws -> (status: Int32, output: String) {
        let result = try IAMTiersBinary.run(["diff"] + arguments)
        return (result.status, result.stdout.replacingOccurrences(of: fixtures.path + "/", with: ""))
    }

    @Test(arguments: ["text", "markdown", "json"])
    func movesSessionsAndDeniedUseMatchTheGoldenFiles(format: String) throws {
        let result = try diff(
            fixture("v1.yaml"), fixture("v2.yaml"), "--usage", fixture("usage.json"), "--format", format)
        #expect(result.status == 1)
        let file = goldens.appendingPathComponent(
            "v1-v2.\(format == "markdown" ? "md" : format == "json" ? "json" : "txt")")
        #expect(goldenMismatch(result.output, file: file) == nil)
    }

    /// A comment cut to its budget on stdout, the whole report in the file -o names.
    @Test func aMarkdownCommentFitsItsBudgetAndPointsToTheWholeReport() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let full = directory.appendingPathComponent("diff.md").path
        let result = try diff(
            fixture("v1.yaml"), fixture("v2.yaml"), "--usage", fixture("usage.json"), "--format", "markdown",
            "--max-characters", "2000", "-o", full)
        #expect(result.status == 1)
        #expect(result.output.utf8.count <= 2_000, "\(result.output)")
        #expect(result.output.contains("**Cut to fit a comment of 2,000 characters**: left out "), "\(result.output)")
        #expect(result.output.contains("the whole diff is in `\(full)`"))
        // Who would be denied comes before the tiers' details.
        #expect(result.output.contains("<details open><summary><b>Would be denied below Admin</b>"))
        let whole = try String(contentsOfFile: full, encoding: .utf8).replacingOccurrences(
            of: fixtures.path + "/", with: "")
        #expect(goldenMismatch(whole, file: goldens.appendingPathComponent("v1-v2.md")) == nil)
        let refused = try IAMTiersBinary.run("diff", fixture("v1.yaml"), fixture("v2.yaml"), "--max-characters", "100")
        #expect(refused.status == 64)
    }

    @Test func theReportSaysWhatTheIssueAsksFor() throws {
        let text = try diff(fixture("v1.yaml"), fixture("v2.yaml"), "--usage", fixture("usage.json")).output
        // A move between tiers, with from/to; a session change; a wider wildcard's new actions.
        #expect(text.contains("< GetMetricData                 Read   from Operator"))
        #expect(text.contains("sessions up to 12 h → 8 h"))
        #expect(text.contains("< DescribeVolumeStatus          List   from Admin"))
        // The used action that loses its tier below Admin, with its calls and people.
        #expect(
            text.contains("s3:PutObject  120 calls  2 people  Operator → Admin  alice@corp.example, bob@corp.example"))
    }

    @Test func aWildcardEqualToItsListIsNoChange() throws {
        let result = try diff(fixture("v1.yaml"), fixture("v1-wildcard.yaml"))
        #expect(result.status == 0)
        #expect(result.output.contains("No changes: both versions grant the same actions in the same tiers."))
        #expect(result.output.contains("size: 355 → 329 of 61,440 characters"))
    }

    @Test func identicalVersionsExitZeroAndErrorsExitTwo() throws {
        #expect(try diff(fixture("v2.yaml"), fixture("v2.yaml")).status == 0)
        let missing = try IAMTiersBinary.run("diff", fixture("v1.yaml"), fixture("absent.yaml"))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("absent.yaml"))
    }

    /// The exported policies of a version are that version; the old admin role's policy document
    /// against the tiers denies, below Admin, exactly the used actions placed in Admin.
    @Test func exportedPoliciesAndAnAdminPolicyCompareWithTiersFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exported = directory.appendingPathComponent("policies").path
        #expect(try IAMTiersBinary.run("export", fixture("v2.yaml"), "--out", exported).status == 0)
        #expect(try diff(fixture("v2.yaml"), exported).status == 0)
        #expect(try diff(exported, fixture("v2.yaml")).status == 0)
        #expect(try diff(exported, fixture("v1.yaml")).status == 1)

        // One exported document is its role's tier; a folder holding two formats counts each once.
        let single = try diff(fixture("v2.yaml"), (exported as NSString).appendingPathComponent("iamtiers-read-1.json"))
        #expect(!single.output.contains("tier renamed") && single.output.contains("tier removed: Operator"))
        let both = directory.appendingPathComponent("both").path
        #expect(
            try IAMTiersBinary.run(
                "export", fixture("v2.yaml"), "--out", both, "--format", "iam", "--format", "terraform"
            )
            .status == 0)
        #expect(try diff(fixture("v2.yaml"), both).status == 0)

        // Two policy folders have no known order: nothing is called "moved up" unless --tiers gives it.
        let older = directory.appendingPathComponent("older").path
        #expect(try IAMTiersBinary.run("export", fixture("v1.yaml"), "--out", older).status == 0)
        let unordered = try diff(older, exported, "--usage", fixture("usage.json"))
        #expect(unordered.status == 1 && !unordered.output.contains("Moved up a tier"))
        #expect(unordered.output.contains("s3:PutObject  120 calls"))
        let ordered = try diff(older, exported, "--usage", fixture("usage.json"), "--tiers", fixture("v2.yaml"))
        #expect(ordered.output.contains("Moved up a tier (1 used action)"))
        #expect(ordered.output.contains("ec2:StartInstances  7 calls  1 person  Read → Operator"))

        let admin = directory.appendingPathComponent("AdministratorAccess.json")
        try #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.write(
            to: admin, atomically: true, encoding: .utf8)
        let result = try IAMTiersBinary.run(
            "diff", admin.path, fixture("v2.yaml"), "--usage", fixture("usage.json"), "--format", "json")
        #expect(result.status == 1)
        struct Report: Decodable {
            struct Impact: Decodable { var action: String }
            var wouldBeDenied: [Impact]
        }
        let report = try JSONDecoder().decode(Report.self, from: result.stdoutData)
        #expect(report.wouldBeDenied.map(\.action) == ["s3:PutObject"])
    }
}
