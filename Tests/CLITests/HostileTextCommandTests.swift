import Foundation
import TestSupport
import Testing

/// Log text that used to write files the tool could not read back, or reach the terminal raw.
@Suite struct HostileTextCommandTests {
    @Test func aC1ControlInAnEventNameStillGivesATiersFileThatChecks() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let event = """
            {"Records":[{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Admin/alice\\u2028x",\
            "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/Admin"}}},"eventTime":"2026-10-01T08:00:00Z",\
            "eventSource":"s3.amazonaws.com","eventName":"Get\\u009b2JObject\\u0085\\u202e"}]}
            """
        try event.write(to: directory.appendingPathComponent("logs.json"), atomically: true, encoding: .utf8)
        let usage = directory.appendingPathComponent("usage.json").path
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let analyzed = try IAMTiersBinary.run("analyze", "--role", "Admin", directory.path, "-o", usage)
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let suggested = try IAMTiersBinary.run("suggest", usage, "-o", tiers)
        #expect(suggested.status == 0, "\(suggested.stderr)")
        let written = try String(contentsOfFile: tiers, encoding: .utf8)
        #expect(!written.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
        let checked = try IAMTiersBinary.run("check", tiers)
        #expect(checked.status != 2, "\(checked.stdout)\(checked.stderr)")
        #expect(!checked.stderr.contains("control characters"))
    }
}
