import Foundation
import TestSupport
import Testing

/// One exit-code policy for every command: 0 fine, 1 findings or differences, 2 unusable input or
/// an I/O error (one line naming the file, never the usage text), 64 only for a bad command line.
@Suite struct ExitStatusTests {
    @Test func unusableInputIsStatus2WithOneLineAndNoUsageText() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.json").path
        try "{\"not\": \"a usage file\"}".write(toFile: bad, atomically: true, encoding: .utf8)
        let badTiers = directory.appendingPathComponent("bad.yaml").path
        try "format: iamtiers.tiers/1\ntiers: [\n".write(toFile: badTiers, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("missing.yaml").path
        for arguments in [
            ["suggest", bad], ["export", badTiers, "--out", directory.path], ["check", badTiers], ["check", missing],
            ["edit", bad], ["diff", badTiers, badTiers], ["replay", badTiers, bad], ["plan", badTiers, bad],
        ] {
            let result = try IAMTiersBinary.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("iamtiers: "), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Usage:") && !result.stderr.contains("USAGE:"), "\(arguments)")
        }
    }

    @Test func aBadCommandLineIsStatus64WithTheUsage() throws {
        for arguments in [
            ["analyze", "--no-such-option"], ["suggest"], ["analyze", "x", "--since", "yesterday"],
            ["export", "t.yaml", "--out", "o", "--account-id", "12345"],
            ["analyze", "x", "--account", "1111222233334"],
            ["denied", "x", "--tiers", "t.yaml", "--account", "11112222333a"],
            [
                "athena-sql", "--table", "t", "--role", "R", "--create-table", "s3://b/AWSLogs/", "--accounts",
                "111122223333,12",
            ],
        ] {
            let result = try IAMTiersBinary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status)")
            #expect(result.stderr.contains("Usage:") || result.stderr.contains("USAGE:"), "\(arguments)")
            if arguments.contains(where: { $0.hasPrefix("--account") }) {
                #expect(result.stderr.contains("is not an AWS account ID (12 digits"), "\(arguments): \(result.stderr)")
            }
        }
    }
}
