import Foundation
import TestSupport
import Testing

/// Cloudsplaining (PyPI, installed by .ci/run) is the risk scanner security teams run over IAM
/// policies. A Read tier must give it nothing to report in the four classes that matter for a role
/// used every day: Data Exfiltration, Credentials Exposure, Privilege Escalation, Resource Exposure.
@Suite struct RiskScanTests {
    static let highRisk = ["Data Exfiltration", "Credentials Exposure", "Privilege Escalation", "Resource Exposure"]

    /// The bundled example, drafted as `demo` drafts it.
    @Test func theExamplesReadTierHasNoHighRiskFinding() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let usage = directory.appendingPathComponent("usage.json").path
        let example = Repository.root.appendingPathComponent("Examples/cloudtrail").path
        #expect(try IAMTiersBinary.run("analyze", example, "--role", "AdministratorAccess", "-o", usage).status == 0)
        try expectReadTierClean(usage: usage, in: directory, actions: 170)
    }

    /// Every catalog action called once (an Athena rollup CSV of all of them, read by `analyze`):
    /// whatever the draft puts in Read passes the scan.
    @Test func theWholeCatalogsReadTierHasNoHighRiskFinding() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var csv = "eventsource,eventname,calls,session_name\n"
        for action in try catalogActions() { csv += "\(action.service).amazonaws.com,\(action.name),1,someone\n" }
        let rollup = directory.appendingPathComponent("rollup.csv")
        try csv.write(to: rollup, atomically: true, encoding: .utf8)
        let usage = directory.appendingPathComponent("usage.json").path
        let analyzed = try IAMTiersBinary.run("analyze", rollup.path, "-o", usage)
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        // Every configuration read but sts:GetCallerIdentity, which needs no permission, and
        // glue:BatchGetCustomEntityTypes, whose per-item companion is a data read.
        try expectReadTierClean(usage: usage, in: directory, actions: 7_777)
    }

    /// Every action of the catalog, from `catalog expand '*'`.
    func catalogActions() throws -> [(service: Substring, name: Substring)] {
        let expanded = try IAMTiersBinary.run("catalog", "expand", "*")
        return expanded.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (parts[0], parts[1])
        }
    }

    /// suggest, export, then one scan of all the Read tier's documents together (they are attached
    /// to one role, so combinations across documents count too).
    func expectReadTierClean(usage: String, in directory: URL, actions: Int) throws {
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let policies = directory.appendingPathComponent("policies").path
        let suggested = try IAMTiersBinary.run("suggest", usage, "-o", tiers)
        #expect(suggested.stdout.contains("  Read        \(groupedDigits(actions))  "), "\(suggested.stdout)")
        _ = try IAMTiersBinary.run("export", tiers, "--out", policies)
        let readTier = try merged(policies, role: "iamtiers-read", into: directory)
        let operatorTier = try merged(policies, role: "iamtiers-operator", into: directory)

        guard (try? run("/usr/bin/env", ["cloudsplaining", "--version"]).status) == 0 else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("cloudsplaining is not installed (pip install cloudsplaining; .ci/run does it)")
            }
            return
        }
        // -aR: flag risky actions whatever their resources or conditions.
        let scan = try run("/usr/bin/env", ["cloudsplaining", "scan-policy-file", "-i", readTier.path, "-aR"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let found = Self.highRisk.filter { scan.stdout.contains("capable of \($0)") }
        #expect(found.isEmpty, "cloudsplaining found \(found) in the Read tier:\n\(scan.stdout)")
        // The scan is not blind: the Operator tier of the same draft holds data reads, and it says so.
        let operatorScan = try run("/usr/bin/env", ["cloudsplaining", "scan-policy-file", "-i", operatorTier.path])
        #expect(operatorScan.stdout.contains("capable of Data Exfiltration"), "\(operatorScan.stdout)")
    }

    /// All documents of one role's tier as one policy.
    func merged(_ policies: String, role: String, into directory: URL) throws -> URL {
        let documents = try FileManager.default.contentsOfDirectory(atPath: policies).filter {
            $0.hasPrefix(role + "-")
        }.sorted()
        #expect(!documents.isEmpty)
        var statements: [Any] = []
        for name in documents {
            let data = try Data(contentsOf: URL(fileURLWithPath: policies).appendingPathComponent(name))
            let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            statements += try #require(document["Statement"] as? [Any])
        }
        let file = directory.appendingPathComponent("\(role).json")
        try JSONSerialization.data(withJSONObject: ["Version": "2012-10-17", "Statement": statements]).write(to: file)
        return file
    }
}

private func groupedDigits(_ value: Int) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.groupingSeparator = ","
    return formatter.string(from: NSNumber(value: value)) ?? "\(value)"
}
