import Foundation
import TestSupport
import Testing

@Suite struct AnalyzeCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/IAMTiersCoreTests/Fixtures/cloudtrail")

    func write(_ files: [String: String]) throws -> URL {
        let directory = try temporaryDirectory()
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    func roleEvent(_ role: String, _ session: String, _ name: String) -> String {
        """
        {"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/\(role)/\(session)",\
        "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/\(role)"}}},"eventTime":"2026-10-01T08:00:00Z",\
        "eventSource":"s3.amazonaws.com","eventName":"\(name)"}
        """
    }

    @Test func withoutASelectionEveryPrincipalIsListedWithTheTotals() throws {
        let fixture = fixtures.deletingLastPathComponent().appendingPathComponent("synthetic/principals.json")
        let result = try IAMTiersBinary.run("analyze", fixture.path)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(
            lines == [
                "principals in the input (pick with --role NAME, --user NAME or --principal ARN):",
                "type events sessions principal",
                "role 3 2 arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd",
                "IAM user 3 1 arn:aws:iam::111122223333:user/ops/alice",
                "root 2 1 arn:aws:iam::111122223333:root",
                "IAM user 2 1 arn:aws:iam::111122223333:user/bob",
                "federated user 1 1 arn:aws:sts::111122223333:federated-user/contractor",
                "events 13 read: 11 by these principals, 1 by AWS services, 1 service events, 0 unidentified, "
                    + "0 incomplete, 0 outside the window, 0 other accounts",
            ])
        let unknown = try IAMTiersBinary.run("analyze", fixtures.path, "--role", "Nobody")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no principal matches --role Nobody"))
    }

    @Test func writesTheUsageFileAndPrintsASummaryOtherwise() throws {
        let directory = try write([
            "a.json": "[\(roleEvent("Admin", "alice", "ListBuckets")),\(roleEvent("Admin", "bob", "ListBuckets")),"
                + "\(roleEvent("ci", "gha", "PutObject"))]"
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("usage.json").path
        let written = try IAMTiersBinary.run(
            "analyze", directory.appendingPathComponent("a.json").path, "--role", "Admin", "-o", output)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout == "wrote \(output): 1 actions, 2 calls, 2 people\n")
        let usage =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(usage?["format"] as? String == "iamtiers.usage/2")
        let actions = usage?["actions"] as? [[String: Any]]
        #expect(actions?.first?["action"] as? String == "s3:ListAllMyBuckets")
        #expect(actions?.first?["people"] as? [String] == ["alice", "bob"])

        let summary = try IAMTiersBinary.run(
            "analyze", directory.appendingPathComponent("a.json").path, "--role", "Admin")
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("role      arn:aws:iam::1:role/Admin"))
        #expect(summary.stdout.contains("s3:ListAllMyBuckets"))
    }

    @Test func nothingUsableExitsTwoNamingTheInput() throws {
        let directory = try write(["junk.json": "not json at all"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try IAMTiersBinary.run("analyze", directory.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("junk.json: neither CloudTrail JSON nor an Athena rollup CSV: skipped"))
        #expect(result.stderr.contains("no usable input"))
    }

    @Test func logTextNeverReachesTheTerminalRaw() throws {
        // ESC and BEL, the 8-bit CSI (C1), NEL, the line separator and a right-to-left override.
        let directory = try write([
            "a.json": "[\(roleEvent("Admin", "x\\u001b]0;pwned\\u0007y", "No\\u001b[31mSuchCall")),"
                + "\(roleEvent("Admin", "z\\u009b2J\\u0085\\u2028w", "Get\\u202eKcab\\u2066Call"))]"
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try IAMTiersBinary.run("analyze", directory.path, "--role", "Admin")
        #expect(result.status == 0)
        let forbidden: [UInt32] = [0x1B, 0x07, 0x9B, 0x85, 0x2028, 0x202E, 0x2066]
        #expect(
            !result.stdout.unicodeScalars.contains { forbidden.contains($0.value) }, "\(result.stdout.debugDescription)"
        )
        #expect(!result.stderr.unicodeScalars.contains { forbidden.contains($0.value) })
        #expect(result.stdout.contains("s3.amazonaws.com No\u{FFFD}SuchCall"))
        #expect(result.stdout.contains("s3.amazonaws.com Get\u{FFFD}Kcab\u{FFFD}Call"))
    }

    @Test func badDatesAreRejected() throws {
        let result = try IAMTiersBinary.run("analyze", fixtures.path, "--since", "last tuesday")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--since 'last tuesday' is not a date"))
    }
}
