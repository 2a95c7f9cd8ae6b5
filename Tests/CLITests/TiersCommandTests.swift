import Foundation
import TestSupport
import Testing

/// analyze -> suggest -> export on the bundled example, against golden files.
@Suite struct TiersCommandTests {
    let goldens = Repository.root.appendingPathComponent("Tests/CLITests/__Golden__")

    @Test func suggestAndExportTheBundledExample() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let usage = directory.appendingPathComponent("usage.json").path
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let policies = directory.appendingPathComponent("policies").path
        let example = Repository.root.appendingPathComponent("Examples/cloudtrail").path

        #expect(try IAMTiersBinary.run("analyze", example, "--role", "AdministratorAccess", "-o", usage).status == 0)
        let suggested = try IAMTiersBinary.run("suggest", usage, "-o", tiers)
        #expect(suggested.status == 0, "\(suggested.stderr)")
        // The example's role is a permission set's (AWSReservedSSO_…): the draft is permission sets.
        #expect(suggested.stdout.contains("Read        170      1 of 11 permission set  "), "\(suggested.stdout)")
        let text = try String(contentsOfFile: tiers, encoding: .utf8).replacingOccurrences(
            of: directory.path, with: "<tmp>")
        #expect(goldenMismatch(text, file: goldens.appendingPathComponent("example-tiers.yaml")) == nil)

        let exported = try IAMTiersBinary.run("export", tiers, "--out", policies)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.hasPrefix("wrote 2 files to \(policies)\n"))
        let files = try FileManager.default.contentsOfDirectory(atPath: policies).sorted()
        #expect(files == ["iamtiers-operator-1.json", "iamtiers-read-1.json"])
        for file in files {
            let json = try String(contentsOfFile: (policies as NSString).appendingPathComponent(file), encoding: .utf8)
            #expect(goldenMismatch(json, file: goldens.appendingPathComponent("example-export-iam/\(file)")) == nil)
        }
        try expectParliamentAccepts(policies)

        // Every other format, against golden files and the independent checkers.
        let all = directory.appendingPathComponent("all").path
        let formats = ["terraform", "cloudformation", "policy-sentry", "aws-config", "summary"]
        let everything = try IAMTiersBinary.run(
            ["export", tiers, "--out", all, "--account-id", "111122223333"] + formats.flatMap { ["--format", $0] })
        #expect(everything.status == 0, "\(everything.stderr)")
        let written = try FileManager.default.subpathsOfDirectory(atPath: all).sorted()
            .filter { !$0.hasSuffix("policies") }
        #expect(
            written == [
                "SUMMARY.md", "aws-config", "iamtiers-operator.yml", "iamtiers-read.yml", "main.tf",
                "policies/iamtiers-operator-1.json", "policies/iamtiers-read-1.json", "template.yaml",
            ])
        for file in written {
            let text = try String(contentsOfFile: (all as NSString).appendingPathComponent(file), encoding: .utf8)
            #expect(goldenMismatch(text, file: goldens.appendingPathComponent("example-export-all/\(file)")) == nil)
        }
        try expectCheckerAccepts(
            "cfn-lint", [(all as NSString).appendingPathComponent("template.yaml"), "--ignore-checks", "W3037"])
        try expectCheckerAccepts(
            "python3",
            [
                "-c", "import hcl2, sys; hcl2.load(open(sys.argv[1]))",
                (all as NSString).appendingPathComponent("main.tf"),
            ],
            probe: ["-c", "import hcl2"])
    }

    /// An independent checker installed by .ci/run (W3037 is cfn-lint not knowing actions newer than
    /// its own catalog). Missing on a developer machine: skipped; missing in CI: a failure.
    func expectCheckerAccepts(_ tool: String, _ arguments: [String], probe: [String] = ["--version"]) throws {
        guard (try? run("/usr/bin/env", [tool] + probe).status) == 0 else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("\(tool) \(probe) failed in CI") }
            return
        }
        let result = try run("/usr/bin/env", [tool] + arguments)
        #expect(result.status == 0, "\(tool): \(result.stdout)\(result.stderr)")
    }

    /// Parliament (PyPI, installed by .ci/run) is an independent IAM policy linter. Its findings at
    /// LOW severity are expected here: Resource "*" and actions newer than its 2025 catalog.
    func expectParliamentAccepts(_ folder: String) throws {
        guard (try? run("/usr/bin/env", ["parliament", "--version"]).status) == 0 else {
            // A developer machine may lack it; CI must not.
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("parliament is not installed (pip install parliament; .ci/run does it)")
            }
            return
        }
        let result = try run("/usr/bin/env", ["parliament", "--directory", folder, "--minimum_severity", "MEDIUM"])
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    @Test func suggestWithoutOutputPrintsTheTiersFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("rollup.csv")
        try "eventsource,eventname,calls\ns3.amazonaws.com,ListBuckets,3\niam.amazonaws.com,PassRole,1\n"
            .write(to: input, atomically: true, encoding: .utf8)
        let usage = directory.appendingPathComponent("usage.json").path
        #expect(try IAMTiersBinary.run("analyze", input.path, "-o", usage).status == 0)
        let printed = try IAMTiersBinary.run("suggest", usage)
        #expect(printed.stdout.hasPrefix("# iamtiers tier definitions"))
        #expect(printed.stdout.contains("      - {action: s3:ListAllMyBuckets, rule: configuration-read}"))
        #expect(printed.stdout.contains("      - {action: iam:PassRole, rule: privilege-escalation}"))
    }

    @Test func aBadTiersFileIsRefusedWithItsLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml")
        try "format: iamtiers.tiers/1\ntiers:\n  - name: Read\n    actions: [ec2:DescribeInstance]\n"
            .write(to: tiers, atomically: true, encoding: .utf8)
        let result = try IAMTiersBinary.run("export", tiers.path, "--out", directory.appendingPathComponent("out").path)
        #expect(result.status != 0)
        #expect(result.stderr.contains("tiers.yaml:4: unknown action 'ec2:DescribeInstance'"))
        #expect(result.stderr.contains("did you mean ec2:DescribeInstances"))
    }
}

@Suite struct CheckCommandTests {
    func write(_ text: String) throws -> URL {
        let file = try temporaryDirectory().appendingPathComponent("tiers.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    let header = "format: iamtiers.tiers/1\nsource: {catalog: '2026-08-21', generator: test}\n"

    @Test func cleanTiersPassWithASummary() throws {
        let file = try write(
            header + "tiers:\n  - name: Read\n    max-session-hours: 12\n    actions: [ec2:DescribeInstances]\n")
        let result = try IAMTiersBinary.run("check", file.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("no findings"))
    }

    @Test func findingsExitOneWithAList() throws {
        let file = try write(
            header
                + "tiers:\n  - name: Read\n    max-session-hours: 24\n    actions: [ec2:DescribeInstances, ssm:GetParameter]\n"
        )
        let result = try IAMTiersBinary.run("check", file.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("2 findings:"))
        #expect(result.stdout.contains("session: "))
        #expect(result.stdout.contains("IAM roles allow at most 12 h"))
        #expect(
            result.stdout.contains("risk: [Read] ssm:GetParameter data access below Admin; add a note to accept it"))
    }

    @Test func exportAndCheckFollowTheFilesCompressList() throws {
        let tiers =
            "tiers:\n  - name: Read\n    max-session-hours: 12\n    actions: [glue:ListSchemas, glue:ListSchemaVersions]\n"
        var exported: [String] = []
        for compress in ["", "compress: [glue]\n"] {
            let file = try write(header + compress + tiers)
            let out = file.deletingLastPathComponent().appendingPathComponent(
                "out-\(compress.isEmpty ? "listed" : "wild")")
            let result = try IAMTiersBinary.run("export", file.path, "--format", "iam", "--out", out.path)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            exported.append(
                try files.map { try String(contentsOfFile: out.appendingPathComponent($0).path, encoding: .utf8) }
                    .joined())
            #expect(try IAMTiersBinary.run("check", file.path).status == 0)
        }
        #expect(exported[0].contains("\"glue:ListSchemas\"") && !exported[0].contains("glue:ListSchema*"))
        #expect(exported[1].contains("\"glue:ListSchema*\"") && !exported[1].contains("glue:ListSchemas\""))
    }

    @Test func anUnreadableFileIsUnusableInputNotAFinding() throws {
        let result = try IAMTiersBinary.run("check", "/nonexistent/tiers.yaml")
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/tiers.yaml: cannot read the file"))
    }
}
