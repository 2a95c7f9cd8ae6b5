import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct DeniedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "denied",
        abstract: "After a rollout: what IAM refused the tier roles' sessions, and what to add to which tier.",
        discussion: """
            Reads CloudTrail again (any input analyze accepts), keeps the AccessDenied and \
            UnauthorizedOperation events of sessions of the tier roles (matched by the role names in the \
            tiers file), maps them to IAM actions and proposes, per action, what would have allowed it: an \
            addition to a tier (by the suggestion rules, with people, calls, first and last seen), the higher \
            tier that already has it, Admin only, or nothing in the tiers (an SCP, boundary, resource policy \
            or condition refused it). -o writes the tiers with the additions applied as a new version (then \
            `iamtiers diff` shows it; the rest become open items); --as-open-items applies nothing and \
            records every proposal as an open item for `edit` (i) instead.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @Argument(help: "Files or folders to read (folders recursively).")
    var paths: [String]

    @Option(help: "The tiers file whose roles were rolled out.")
    var tiers: String

    @OptionGroup var selection: EventSelectionOptions

    @Flag(help: "Keep refusals from console page views (left out by default, as in analyze).")
    var includeConsole = false

    @Option(help: "text (default), markdown or json.")
    var format = Format.text

    @Option(name: .shortAndLong, help: "Write the tiers with the proposals applied here (a new version).")
    var output: String?

    @Flag(help: "With -o: apply nothing; record every proposal as an open item for edit to show.")
    var asOpenItems = false

    func validate() throws {
        if asOpenItems && output == nil { throw ValidationError("--as-open-items needs -o FILE to write them to") }
    }

    func run() throws {
        let filter = try selection.filter(selection: nil)
        let catalog = try loadCatalog()
        let set: TierSet
        do {
            set = try TiersFile.load(tiers, catalog: catalog).tiers
        } catch {
            printError(TerminalText.sanitized("iamtiers: \(error)"))
            throw ExitCode(2)
        }
        let (totals, summary) = EventReader.read(paths: paths, filter: filter)
        for problem in summary.problems { printError("iamtiers: \(TerminalText.sanitized(problem.description))") }
        guard summary.filesRead > 0 || totals.eventsRead > 0 else {
            printError("iamtiers: no usable input in \(paths.joined(separator: " "))")
            throw ExitCode(2)
        }
        let followUp = DeniedFollowUp(
            totals: totals, tiers: set, catalog: catalog, mapping: try CloudTrailMapping.bundled(catalog: catalog),
            includeConsole: includeConsole)
        switch format {
        case .text: printSanitizedLines(followUp.text())
        case .markdown: printSanitizedLines(followUp.markdown())
        case .json: try printJSON(followUp)
        }
        if let output {
            try TiersFile.save(followUp.applied(to: set, asOpenItems: asOpenItems), to: output)
            printError("iamtiers: wrote \(output); iamtiers diff \(tiers) \(output) shows the change")
        }
    }
}
