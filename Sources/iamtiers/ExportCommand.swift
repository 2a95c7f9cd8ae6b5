import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write deployable policies for a tiers file.",
        discussion: """
            iam: one JSON document per policy, ready for `aws iam create-policy --policy-document file://…`, \
            named <role>-<n>.json. Tiers that attach AdministratorAccess need none.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case iam
    }

    @Argument(help: "The tiers file.")
    var tiers: String

    @Option(help: "The folder to write into (created if missing).")
    var out: String

    @Option(help: "What to write: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: Format = .iam

    @Option(help: "Managed policies a role may hold (10 by default, at most 20 after a quota increase).")
    var managedPolicyQuota = AWSLimits.managedPoliciesPerRole

    @Flag(help: "Replace action lists by wildcards wherever that grants nothing the role does not have anyway.")
    var compress = false

    @Option(help: "Compress only this service's actions (repeatable), e.g. --compress-service ec2.")
    var compressService: [String] = []

    @Option(help: "Wildcards: readable (CamelCase words, each replacing two or more actions) or smallest.")
    var compressionStyle: Compressor.Style = .readable

    @Option(help: "Statements: per-service (readable Sids) or compact (one statement per document, fewest characters).")
    var layout: PolicySynthesizer.Layout = .perService

    func run() throws {
        let catalog = try loadCatalog()
        let loaded: TiersFile.Loaded
        do { loaded = try TiersFile.load(tiers, catalog: catalog) } catch { throw ValidationError("\(error)") }
        for warning in loaded.warnings { printError("iamtiers: \(warning)") }
        let scope: CompressionScope =
            compress ? .all : compressService.isEmpty ? .off : .services(Set(compressService.map { $0.lowercased() }))
        let policies = PolicySynthesizer(
            managedPolicyQuota: managedPolicyQuota, compression: scope, style: compressionStyle, layout: layout,
            catalog: catalog
        ).policies(for: loaded.tiers)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var written = 0
        for (tier, policy) in zip(loaded.tiers.tiers, policies) {
            for (index, document) in policy.documents.enumerated() {
                let path = (out as NSString).appendingPathComponent("\(tier.roleName)-\(index + 1).json")
                try AtomicFile.write(Data(document.prettyJSON.utf8), to: path)
                written += 1
            }
        }
        print("wrote \(written) policy documents to \(out)")
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
extension PolicySynthesizer.Layout: ExpressibleByArgument {}
