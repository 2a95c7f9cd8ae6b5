import Foundation
import TestSupport
import Testing

@Suite struct AthenaSQLCommandTests {
    func golden(_ name: String) -> URL {
        Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/\(name)")
    }

    @Test func tableRollupAndSignInQueriesMatchTheGoldenFile() throws {
        let result = try IAMTiersBinary.run(
            "athena-sql", "--table", "cloudtrail", "--database", "security", "--role", "AdministratorAccess",
            "--since", "2026-10-01", "--until", "2026-11-01", "--create-table",
            "s3://trail-bucket/AWSLogs/111122223333/",
            "--regions", "us-east-1,eu-west-1", "--first-day", "2025/01/01")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(goldenMismatch(result.stdout, file: golden("athena-sql.sql")) == nil)
    }

    @Test func rolesAreMatchedExactlyNeverWithLikeAnywhere() throws {
        let byName = try IAMTiersBinary.run("athena-sql", "--table", "t", "--role", "Admin").stdout
        #expect(!byName.contains("LIKE"))
        #expect(byName.contains("'(?i):role/(.*/)?(Admin|AWSReservedSSO_Admin_[0-9a-f]+)$'"))
        #expect(byName.contains("-- no --since/--until: every day is scanned (and paid for)"))
        let byArn = try IAMTiersBinary.run("athena-sql", "--table", "t", "--role", "arn:aws:iam::1:role/o'brien").stdout
        #expect(byArn.contains("lower(useridentity.sessioncontext.sessionissuer.arn) = 'arn:aws:iam::1:role/o''brien'"))
        let quoted = try IAMTiersBinary.run(
            "athena-sql", "--table", "Cloud-Trail", "--database", "sec", "--role", "Admin", "--create-table",
            "s3://b/AWSLogs/111122223333/"
        ).stdout
        #expect(quoted.contains("CREATE EXTERNAL TABLE IF NOT EXISTS sec.`Cloud-Trail` ("))
        #expect(quoted.contains("FROM sec.\"Cloud-Trail\""))
        let injected = try IAMTiersBinary.run(
            "athena-sql", "--table", "t", "--role", "Admin", "--create-table", "s3://b/AWSLogs/1/\nDROP TABLE x;")
        #expect(injected.status != 0 && injected.stdout.isEmpty)
        let byPath = try IAMTiersBinary.run("athena-sql", "--table", "t", "--role", "team/ops+admin").stdout
        #expect(byPath.contains("'(?i):role/team/ops\\+admin$'"))
    }

    @Test func theTableNeedsItsAccounts() throws {
        let result = try IAMTiersBinary.run(
            "athena-sql", "--table", "t", "--role", "Admin", "--create-table", "s3://bucket/AWSLogs/o-abc123/")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--accounts"))
        let org = try IAMTiersBinary.run(
            "athena-sql", "--table", "t", "--role", "Admin", "--create-table", "s3://bucket/AWSLogs/o-abc123",
            "--accounts", "111122223333,444455556666")
        #expect(
            org.stdout.contains(
                "'storage.location.template' = 's3://bucket/AWSLogs/o-abc123/${account}/CloudTrail/${region}/${day}'"))
        #expect(org.stdout.contains("'projection.account.values' = '111122223333,444455556666'"))
    }

    @Test func writingAUsageFileTwiceReplacesIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("rollup.csv")
        try "eventsource,eventname,calls\ns3.amazonaws.com,ListBuckets,3\n".write(
            to: input, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("usage.json").path
        for _ in 0..<2 {
            let result = try IAMTiersBinary.run("analyze", input.path, "-o", output)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(leftovers == ["rollup.csv", "usage.json"])
    }
}

extension AthenaSQLCommandTests {
    /// The projected regions are botocore's (the SDKs' maintained list), as Scripts/update-regions
    /// wrote them: regenerated from the installed botocore they are the same, but for the date.
    @Test func theProjectedRegionsAreBotocoresCommercialPartition() throws {
        guard (try? run("/usr/bin/env", ["python3", "-c", "import botocore"]).status) == 0 else {
            if isContinuousIntegration { Issue.record("botocore is not installed (.ci/run installs it)") }
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = Repository.root.appendingPathComponent("Sources/IAMTiersCore/Athena/CommercialRegions.swift")
        let text = try String(contentsOf: shipped, encoding: .utf8)
        let date = try #require(text.firstMatch(of: /taken (\d{4}-\d{2}-\d{2})/)).1
        let out = directory.appendingPathComponent("regions.swift").path
        let generated = try run(
            "/usr/bin/env",
            [
                "python3", Repository.root.appendingPathComponent("Scripts/update-regions").path, "--date",
                String(date),
                "--out", out,
            ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let fresh = try String(contentsOfFile: out, encoding: .utf8)
        let regions = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("        \"") } }
        #expect(regions(fresh) == regions(text), "run Scripts/update-regions with this botocore and commit the result")
        for region in ["ap-east-2", "ap-southeast-6"] { #expect(text.contains("\"\(region)\"")) }
        let sql = try IAMTiersBinary.run(
            "athena-sql", "--table", "t", "--role", "Admin", "--create-table", "s3://b/AWSLogs/111122223333/")
        #expect(sql.stdout.contains("-- Regions: every commercial region (botocore "))
        #expect(sql.stdout.contains("ap-southeast-6"))
    }
}
