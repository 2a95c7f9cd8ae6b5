import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two versions of the tiers, by effect, and who a rollout would deny.",
        discussion: """
            OLD and NEW are tiers files, or IAM policies: a folder as `export --format iam` writes it (one \
            tier per role), or one policy document (e.g. the current admin role's, where "Action": "*" is \
            AdministratorAccess). Wildcards are expanded against the catalog, so a pattern and the list it \
            stands for are no change. With --usage, the used actions no tier below Admin grants any more are \
            listed with their calls and people, most calls first. Exits 0 when the versions are equal, 1 when \
            they differ, 2 on error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @Argument(help: "The old version: a tiers file, a folder of IAM policies or one policy document.")
    var old: String

    @Argument(help: "The new version, likewise.")
    var new: String

    @Option(help: "A usage file: list the used actions the new version would deny below Admin.")
    var usage: String?

    @Option(
        name: .customLong("tiers"),
        help:
            "A tiers file naming and ordering the tiers of policy inputs (without it, two policy folders have no known order)."
    )
    var ladder: String?

    @Option(help: "text (default), markdown (for a pull-request comment) or json.")
    var format = Format.text

    @Option(
        help:
            "Markdown: cut the comment to this many characters (GitHub takes 65,536), saying what was left out; 0 for no limit."
    )
    var maxCharacters = RolloutDiff.markdownBudget

    @Option(
        name: .shortAndLong,
        help: "Write the whole report to this file (atomically); the Markdown comment on stdout then points to it.")
    var output: String?

    func validate() throws {
        if maxCharacters < 0 || (1..<2_000).contains(maxCharacters) {
            throw ValidationError("--max-characters takes 0 (no limit) or at least 2,000")
        }
    }

    func run() throws {
        let report: RolloutDiff
        do {
            let catalog = try Catalog.bundled()
            let reference = try ladder.map { try TiersFile.load($0, catalog: catalog).tiers }
            let oldSet = try PolicyFileTiers.loadVersion(old, alignedWith: reference, catalog: catalog)
            // Policies take the names, order and settings of the version they are compared with.
            let newSet = try PolicyFileTiers.loadVersion(new, alignedWith: reference ?? oldSet.tiers, catalog: catalog)
            let oldTiers =
                oldSet.fromPolicies && reference == nil && !newSet.fromPolicies
                ? PolicyFileTiers.aligned(oldSet.tiers, with: newSet.tiers) : oldSet.tiers
            for warning in oldSet.warnings + newSet.warnings {
                printError(TerminalText.sanitized("iamtiers: \(warning)"))
            }
            report = RolloutDiff(
                old: oldTiers, new: newSet.tiers, oldLabel: old, newLabel: new, catalog: catalog,
                usage: try usage.map(Usage.load),
                orderKnown: reference != nil || !(oldSet.fromPolicies && newSet.fromPolicies))
        } catch {
            printError(TerminalText.sanitized("iamtiers: \(error)"))
            throw ExitCode(2)
        }
        func whole() throws -> String {
            switch format {
            case .text: return report.text()
            case .markdown: return report.markdown()
            case .json: return try jsonText(report)
            }
        }
        if let output {
            try AtomicFile.write(Data(sanitizedLines(try whole()).utf8), to: output)
            printError("iamtiers: wrote \(output)")
        }
        if format == .markdown && maxCharacters > 0 {
            printSanitizedLines(report.markdown(budget: maxCharacters, fullReport: output))
        } else if output == nil {
            printSanitizedLines(try whole())
        }
        if !report.isEmpty { throw ExitCode(1) }
    }
}
