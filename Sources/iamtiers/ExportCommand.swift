import ArgumentParser
import Foundation
import IAMTiersCore

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

    func run() throws {
        let catalog = try loadCatalog()
        let loaded: TiersFile.Loaded
        do { loaded = try TiersFile.load(tiers, catalog: catalog) } catch { throw ValidationError("\(error)") }
        for warning in loaded.warnings { printError("iamtiers: \(warning)") }
        let policies = PolicySynthesizer(managedPolicyQuota: managedPolicyQuota).policies(for: loaded.tiers)
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
        if policies.contains(where: { !$0.meter.fits }) { throw ExitCode(1) }
    }
}
