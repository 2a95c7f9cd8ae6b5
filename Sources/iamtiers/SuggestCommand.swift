import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Draft tiers from a usage file: each used action to Read, Operator or Admin by documented rules.",
        discussion: """
            Rules go by the catalog's access level and risk facts, never by the verb; each assignment records \
            the rule that made it (see the README). Unmapped calls and hints become open items. Without -o the \
            tiers file is printed.
            """
    )

    @Argument(help: "A usage file written by iamtiers analyze.")
    var usage: String

    @Option(name: .shortAndLong, help: "Write the tiers file here (YAML, format iamtiers.tiers/1).")
    var output: String?

    func run() throws {
        let catalog = try loadCatalog()
        let loaded: Usage
        loaded = try Usage.load(usage)
        let tiers = TierSuggester(catalog: catalog, generator: "iamtiers \(IAMTiers.version)")
            .suggest(from: loaded, usagePath: usage)
        guard let output else {
            print(TiersFile.text(of: tiers), terminator: "")
            return
        }
        try TiersFile.save(tiers, to: output)
        print("wrote \(output)")
        printTierSummary(tiers, PolicySynthesizer().policies(for: tiers))
    }
}

/// One line per tier: actions, documents and characters against the container's limits.
func printTierSummary(_ set: TierSet, _ policies: [TierPolicies]) {
    print("  " + padded("tier", 12) + padded("actions", 9) + padded("policies", 24) + "size")
    for (tier, policy) in zip(set.tiers, policies) {
        let size =
            policy.sizeText(of: tier)
            + (policy.meter.fits ? "" : "  DOES NOT FIT: " + policy.meter.problems.joined(separator: "; "))
        let line =
            "  " + padded(tier.name, 12) + padded(groupedDigits(tier.actions.count), 9)
            + padded(policy.documentsText(of: tier), 24) + size
        print(TerminalText.sanitized(line))
    }
    if !set.openItems.isEmpty { print("  \(set.openItems.count) open items (see open-items in the file)") }
}
