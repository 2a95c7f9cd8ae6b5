import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check tiers for CI and reviewers: limits, sessions, risky actions, uncovered usage.",
        discussion: """
            Exits 1 with a list when a policy exceeds a limit or cannot be packed within the quota, a session \
            setting is impossible, a risky action sits below Admin without a note accepting it, or (with \
            --usage) a used action is in no tier or only in Admin without a note. Exits 0 with a summary \
            otherwise.
            """
    )

    @Argument(help: "The tiers file.")
    var tiers: String

    @Option(help: "A usage file: also check that every used action is granted below Admin.")
    var usage: String?

    @Option(help: "Managed policies a role may hold (10 by default, at most 20 after a quota increase).")
    var managedPolicyQuota = AWSLimits.managedPoliciesPerRole

    func run() throws {
        let catalog = try loadCatalog()
        let loaded: TiersFile.Loaded
        let used: Usage?
        do {
            loaded = try TiersFile.load(tiers, catalog: catalog)
            used = try usage.map(Usage.load)
        } catch {
            printError("iamtiers: \(error)")
            throw ExitCode(2)
        }
        let policies = PolicySynthesizer(
            managedPolicyQuota: managedPolicyQuota, compression: loaded.tiers.compressionScope, catalog: catalog
        ).policies(for: loaded.tiers)
        let findings = TierReview(catalog: catalog).check(
            loaded.tiers, policies: policies, warnings: loaded.warnings, usage: used)
        printTierSummary(loaded.tiers, policies)
        guard !findings.isEmpty else {
            print("\nno findings: the tiers fit their limits and every risky action is accepted with a note")
            return
        }
        print("\n\(findings.count) finding\(findings.count == 1 ? "" : "s"):")
        for finding in findings { print(TerminalText.sanitized("  \(finding.kind.rawValue): \(finding)")) }
        throw ExitCode(1)
    }
}
