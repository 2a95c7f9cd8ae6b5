import Foundation
import TestSupport
import Testing

/// checkov (PyPI; .ci/run installs it in a virtual environment of its own) over the exported
/// Terraform and CloudFormation, for managed-policy roles and for permission sets. Its findings
/// must be the documented, expected ones (README, "Deploying"), each on the tier it is expected for.
@Suite struct CheckovTests {
    /// A check and the tiers' resources it is expected to fail on, with why.
    static let expected: [String: (resources: String, why: String)] = [
        "CKV_AWS_274": ("admin", "the Admin tier is AdministratorAccess by design: rare, and it alerts on use"),
        "CKV_AWS_355": (
            "read|operator",
            "tiers grant actions on every resource (\"*\"): the logs name the actions, not the resources"
        ),
        "CKV_AWS_288": ("operator", "Operator reads data by design (Terraform)"),
        "CKV_AWS_290": ("operator", "Operator writes data by design (Terraform)"),
        "CKV_AWS_108": ("operator", "Operator reads data by design (CloudFormation)"),
        "CKV_AWS_111": ("operator", "Operator writes data by design (CloudFormation)"),
    ]

    struct Report: Decodable {
        struct Summary: Decodable { var passed: Int }
        struct Results: Decodable {
            var failedChecks: [Check]
            enum CodingKeys: String, CodingKey { case failedChecks = "failed_checks" }
        }
        struct Check: Decodable {
            var checkID: String
            var resource: String
            enum CodingKeys: String, CodingKey {
                case checkID = "check_id"
                case resource
            }
        }
        var checkType: String
        enum CodingKeys: String, CodingKey {
            case checkType = "check_type"
            case summary, results
        }
        var summary: Summary
        var results: Results
    }

    @Test(arguments: ["managed", "identity-center"])
    func checkovFindsOnlyTheExpectedFindings(container: String) throws {
        guard let checkov = checkerPath("checkov") else {
            if isContinuousIntegration { Issue.record("checkov is not installed (.ci/run installs it)") }
            return
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = try exampleTiers(container: container, in: directory)
        let out = directory.appendingPathComponent("out").path
        let exported = try IAMTiersBinary.run(
            "export", tiers, "--out", out, "--format", "terraform", "--format", "cloudformation")
        #expect(exported.status == 0, "\(exported.stderr)")
        let scanned = try run(checkov, ["-d", out, "--skip-download", "--quiet", "-o", "json"])
        // One report per framework it ran checks of, as a list, or the report alone when only one did
        // (it has no checks for AWS::SSO::PermissionSet).
        let single = try? JSONDecoder().decode(Report.self, from: scanned.stdoutData)
        let reports = try single.map { [$0] } ?? JSONDecoder().decode([Report].self, from: scanned.stdoutData)
        let frameworks: Set<String> = container == "managed" ? ["terraform", "cloudformation"] : ["terraform"]
        #expect(Set(reports.map(\.checkType)) == frameworks, "\(scanned.stderr.suffix(300))")
        #expect(reports.allSatisfy { $0.summary.passed > 0 })
        var failed: [String] = []
        for finding in reports.flatMap(\.results.failedChecks) {
            let resource = finding.resource.lowercased()
            failed.append(finding.checkID)
            guard let expectation = Self.expected[finding.checkID] else {
                Issue.record("\(container): unexpected \(finding.checkID) on \(finding.resource)")
                continue
            }
            let tiers = expectation.resources.split(separator: "|")
            #expect(
                tiers.contains { resource.contains($0) }, "\(container): \(finding.checkID) on \(finding.resource)")
        }
        // The Admin tier's AdministratorAccess is always seen; the data checks never fire on Read.
        #expect(failed.contains("CKV_AWS_274"), "\(failed)")
    }
}
