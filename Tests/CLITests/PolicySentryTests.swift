import Foundation
import TestSupport
import Testing

/// `export --format policy-sentry`: templates that `policy_sentry write-policy` (the release whose
/// database they are written for, installed by .ci/run) accepts, and whose policies grant the tier's
/// actions, the dependent actions the template names, and nothing else.
@Suite struct PolicySentryTests {
    static let tiersFile = """
        format: iamtiers.tiers/1
        tiers:
          - name: Read
            role: crafted-read
            configuration-read-only: true
            patterns: [acm:Describe*]
            deny: [acm:DescribeCertificate]
            actions:
              - {action: kms:CreateCustomKeyStore, note: "not a read: here for its dependent action"}
              - {action: s3:GetBucketPolicy}
              - {action: account-access:GetApplication}
              - {action: es:GetApplication}
          - name: Admin
            role: crafted-admin
            attach: [arn:aws:iam::aws:policy/AdministratorAccess]

        """

    /// A template's action list, and the lists its comments name: dependents Policy Sentry adds,
    /// actions newer than its database, actions it would leave out.
    struct Template {
        var actions: [String] = []
        var lists: [String: [String]] = [:]
        var dependents: [String] { lists["dependents", default: []] }
        var newer: [String] { lists["newer", default: []] }
        var foreign: [String] { lists["foreign", default: []] }

        init(_ text: String) {
            var section = ""
            for line in text.split(separator: "\n").map(String.init) {
                if line.hasPrefix("# Policy Sentry adds") { section = "dependents" }
                if line.contains("newer than that database") { section = "newer" }
                if line.contains("another service's") { section = "foreign" }
                if line.hasPrefix("- ") { actions.append(String(line.dropFirst(2))) }
                if line.hasPrefix("#   ") && !line.contains(": ") {
                    lists[section, default: []].append(line.dropFirst(4).replacingOccurrences(of: "- ", with: ""))
                }
            }
        }
    }

    func export(_ tiers: String, into directory: URL) throws -> [String: String] {
        let out = directory.appendingPathComponent("sentry").path
        let result = try IAMTiersBinary.run("export", tiers, "--out", out, "--format", "policy-sentry")
        #expect(result.status == 0, "\(result.stderr)")
        var templates: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where name.hasSuffix(".yml") {
            templates[name] = try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8)
        }
        return templates
    }

    @Test func wildcardsAreWrittenOutAndNewerActionsAndDependentsNamed() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml")
        try Self.tiersFile.write(to: tiers, atomically: true, encoding: .utf8)
        let templates = try export(tiers.path, into: directory)
        #expect(templates.keys.sorted() == ["crafted-read.yml"])  // AdministratorAccess needs none
        let text = try #require(templates["crafted-read.yml"])
        let template = Template(text)
        #expect(text.contains("#   acm:Describe*: 5 actions"), "\(text)")
        #expect(template.actions.contains("acm:DescribeCertificate") && !template.actions.contains("acm:Describe*"))
        #expect(
            template.newer == [
                "account-access:GetApplication", "acm:DescribeAcmeAccount", "acm:DescribeAcmeDomainValidation",
                "acm:DescribeAcmeEndpoint", "acm:DescribeAcmeExternalAccountBinding",
            ], "\(text)")
        #expect(template.foreign == ["es:GetApplication"], "\(text)")
        #expect(
            template.dependents == [
                "cloudhsm:DescribeClusters", "ec2:DescribeVpcEndpointServices", "iam:CreateServiceLinkedRole",
            ],
            "\(text)")
        #expect(text.contains("deny list (1 action) has no place"))
        #expect(text.contains("mode: actions\nname: crafted-read\nactions:\n"))
    }

    @Test func policySentryWritesExactlyTheTiersKnownActionsAndTheNamedDependents() throws {
        guard let sentry = checkerPath("policy_sentry") else {
            if isContinuousIntegration { Issue.record("policy_sentry is not installed (.ci/run installs it)") }
            return
        }
        let version = try run(sentry, ["--version"]).stdout
        guard version.contains("0.15.2") else {
            Issue.record("\(sentry) is \(version), not 0.15.2, whose database the templates are written for")
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let crafted = directory.appendingPathComponent("tiers.yaml")
        try Self.tiersFile.write(to: crafted, atomically: true, encoding: .utf8)
        let example = Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/example-tiers.yaml").path
        var checked = 0
        for (index, tiers) in [crafted.path, example].enumerated() {
            let folder = directory.appendingPathComponent("\(index)")
            for (name, text) in try export(tiers, into: folder) {
                let path = folder.appendingPathComponent("sentry/\(name)").path
                let written = try run(sentry, ["write-policy", "--input-file", path])
                #expect(written.status == 0, "\(name): \(written.stderr.suffix(400))")
                let policy = try #require(
                    try JSONSerialization.jsonObject(with: written.stdoutData) as? [String: Any], "\(name)")
                let statements = try #require(policy["Statement"] as? [[String: Any]])
                let granted = Set(statements.flatMap { ($0["Action"] as? [String]) ?? [] }.map { $0.lowercased() })
                // Every action given, and nothing beyond the tier but the dependents named (an action
                // listed to add by hand may come in as another one's dependent).
                let template = Template(text)
                let given = Set(template.actions.map { $0.lowercased() })
                let named = given.union((template.dependents + template.foreign).map { $0.lowercased() })
                #expect(given.subtracting(granted).isEmpty, "\(name): left out \(given.subtracting(granted))")
                #expect(granted.subtracting(named).isEmpty, "\(name): beyond the tier \(granted.subtracting(named))")
                #expect(!given.isEmpty)
                checked += 1
            }
        }
        #expect(checked == 3)
    }
}
