import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write deployable policies and templates for a tiers file.",
        discussion: """
            Formats (repeat --format for several): iam (one JSON document per policy, <role>-<n>.json, ready \
            for `aws iam create-policy --policy-document file://…`), terraform (main.tf and policies/), \
            cloudformation (template.yaml), policy-sentry (one actions-mode YAML per tier), aws-config \
            (~/.aws/config profiles), summary (SUMMARY.md for a pull request). Exits 1 when a tier does not fit.
            """
    )

    @Argument(help: "The tiers file.")
    var tiers: String

    @Option(help: "The folder to write into (created if missing).")
    var out: String

    @Option(help: "What to write (repeatable): \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: [ExportFormat] = [.iam]

    @Option(help: "The AWS account of the roles (12 digits), for role ARNs in aws-config.")
    var accountId: String?

    func validate() throws {
        if let accountId { try checkAccountID(accountId, option: "--account-id") }
    }

    @Option(
        help:
            "replay's proposal (replay --format json -o FILE): permission sets are exported with account assignments for its people."
    )
    var assignments: String?

    @Option(help: "Managed policies a role may hold (10 by default, at most 20 after a quota increase).")
    var managedPolicyQuota = AWSLimits.managedPoliciesPerRole

    @Flag(help: "Replace action lists by wildcards wherever that grants nothing the role does not have anyway.")
    var compress = false

    @Option(
        help:
            "Also compress this service's actions (repeatable; adds to the tiers file's compress list), e.g. --compress-service ec2."
    )
    var compressService: [String] = []

    @Option(help: "Wildcards: readable (CamelCase words, each replacing two or more actions) or smallest.")
    var compressionStyle: Compressor.Style = .readable

    @Option(help: "Statements: per-service (readable Sids) or compact (one statement per document, fewest characters).")
    var layout: PolicySynthesizer.Layout = .perService

    func run() throws {
        let catalog = try loadCatalog()
        let loaded: TiersFile.Loaded
        loaded = try TiersFile.load(tiers, catalog: catalog)
        for warning in loaded.warnings { printError("iamtiers: \(warning)") }
        // The services the tiers file compresses (`w` in the editor), and any named here.
        let services = loaded.tiers.compressedServices.union(compressService.map { $0.lowercased() })
        let scope: CompressionScope = compress ? .all : services.isEmpty ? .off : .services(services)
        let policies = PolicySynthesizer(
            managedPolicyQuota: managedPolicyQuota, compression: scope, style: compressionStyle, layout: layout,
            catalog: catalog
        ).policies(for: loaded.tiers)
        let findings = TierReview(catalog: catalog).check(
            loaded.tiers, policies: policies, warnings: loaded.warnings, usage: nil)
        var exporter = Exporter(
            set: loaded.tiers, policies: policies, findings: findings, catalog: catalog, accountID: accountId)
        if let assignments { exporter.assignments = try ProposedAssignment.load(assignments) }
        let written = try exporter.write(format, to: out, on: LocalFileSystem())
        print("wrote \(counted(written, "file")) to \(out)")
        if format.contains(.cloudformation) {
            let template = (out as NSString).appendingPathComponent("template.yaml")
            let bytes = (try? FileManager.default.attributesOfItem(atPath: template)[.size] as? Int) ?? 0
            print("deploy template.yaml (in \(out)) with:")
            for line in exporter.cloudFormationDeployment(templateBytes: bytes) { print("  " + line) }
        }
        printTierSummary(loaded.tiers, policies)
        printPatterns(policies)
        if policies.contains(where: { !$0.meter.fits }) { throw ExitCode(1) }
    }
}

/// Each wildcard compression chose, with what it grants today; AWS may add matching actions later.
func printPatterns(_ policies: [TierPolicies]) {
    let all = policies.flatMap { policy in policy.patterns.map { (policy.tier, $0) } }
    guard !all.isEmpty else { return }
    print("\nwildcards (each grants only actions the role has anyway; AWS may add more that match):")
    for (tier, pattern) in all {
        print(
            TerminalText.sanitized(
                "  " + padded(tier, 12) + padded(pattern.pattern, 44) + "replaces \(pattern.replaces), matches "
                    + counted(pattern.matches.count, "action") + " today"))
    }
}

extension Compressor.Style: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension PolicySynthesizer.Layout: ExpressibleByArgument {}
