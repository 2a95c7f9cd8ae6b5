import Foundation
import TestSupport
import Testing

/// The Athena SQL run by a real SQL engine: `athena-sql` writes it, sqlglot (PyPI) parses it as
/// Athena's dialect and translates it for DuckDB (PyPI), which runs the rollup over the fixtures
/// (`Scripts/athena-on-duckdb`); `analyze` of the result CSV must give the usage `analyze` gives
/// from the logs: actions, people, on-behalf counts and companions.
@Suite struct AthenaOnDuckDBTests {
    static let fixtures = Repository.root.appendingPathComponent("Tests/IAMTiersCoreTests/Fixtures/synthetic")
    static let script = Repository.root.appendingPathComponent("Scripts/athena-on-duckdb").path

    /// sqlglot and duckdb, which .ci/run installs; a developer machine may lack them.
    static var available: Bool {
        (try? run("/usr/bin/env", ["python3", "-c", "import duckdb, sqlglot"]).status) == 0
    }

    func usage(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test(arguments: [
        ("companions.json", ["--role", "Admin"]),
        ("principals.json", ["--user", "alice", "--user", "bob", "--principal", "arn:aws:iam::111122223333:root"]),
        ("principals.json", ["--role", "AWSReservedSSO_Admin"]),
        ("signins.json", ["--role", "Admin"]),
    ])
    func theRollupOnDuckDBGivesTheUsageOfTheLogs(fixture: String, selection: [String]) throws {
        guard Self.available else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("duckdb and sqlglot are not installed (.ci/run installs them)")
            }
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let logs = Self.fixtures.appendingPathComponent(fixture).path

        let sql = try IAMTiersBinary.run(["athena-sql", "--table", "cloudtrail"] + selection)
        #expect(sql.status == 0, "\(sql.stderr)")
        try sql.stdout.write(toFile: path("query.sql"), atomically: true, encoding: .utf8)
        // The rollup and the sign-in query, each as Athena would give its CSV.
        for (select, out) in [("1", "result.csv"), ("2", "sign-ins.csv")] {
            let athena = try run(
                "/usr/bin/env",
                ["python3", Self.script, "--sql", path("query.sql"), "--select", select, "--out", path(out), logs])
            #expect(athena.status == 0, "\(athena.stderr)")
        }

        #expect(try IAMTiersBinary.run(["analyze", logs, "-o", path("raw.json")] + selection).status == 0)
        let fromCSV = try IAMTiersBinary.run(
            ["analyze", path("result.csv"), path("sign-ins.csv"), "-o", path("csv.json")] + selection)
        #expect(fromCSV.status == 0, "\(fromCSV.stderr)")
        let raw = try usage(path("raw.json"))
        let csv = try usage(path("csv.json"))
        for field in ["actions", "people", "companions", "signIns"] {
            #expect(
                NSDictionary(dictionary: [field: raw[field] as Any]).isEqual(to: [field: csv[field] as Any]),
                "\(field) differ between the logs and the rollup")
        }
        let rawEvents = (raw["provenance"] as? [String: Any])?["events"] as? [String: Int]
        let csvEvents = (csv["provenance"] as? [String: Any])?["events"] as? [String: Int]
        for count in ["kept", "console", "denied", "onBehalf"] {
            #expect(rawEvents?[count] == csvEvents?[count], "\(count)")
        }
        #expect((raw["actions"] as? [Any])?.isEmpty == false)
        if fixture == "signins.json" { #expect((raw["signIns"] as? [Any])?.count == 2) }  // a refusal is no sign-in
    }

    @Test func everyStatementParsesAsAthenasDialect() throws {
        guard Self.available else { return }
        let sql = try IAMTiersBinary.run(
            "athena-sql", "--table", "cloudtrail", "--database", "security", "--role", "Admin", "--user", "alice",
            "--principal", "arn:aws:iam::111122223333:root", "--since", "2026-10-01", "--create-table",
            "s3://trail-bucket/AWSLogs/111122223333/")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-athena-\(UUID()).sql")
        try sql.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = """
            import sqlglot, sys
            statements = [s for s in sqlglot.parse(open(sys.argv[1]).read(), read="athena") if s is not None]
            print(" ".join(type(s).__name__ for s in statements))
            """
        let parsed = try run("/usr/bin/env", ["python3", "-c", check, file.path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout == "Create Select Select\n")
    }
}
