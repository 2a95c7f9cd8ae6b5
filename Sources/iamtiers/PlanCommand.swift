import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the rollout as a dated Markdown checklist, from the tiers and the usage.",
        discussion: """
            The friendly group first (the people named, or the three the tiers serve best), the alerts on \
            Admin use, the refusals to watch (iamtiers denied, and the Athena query for the tier roles), \
            everyone's daily role and who keeps Admin for break glass (from replay), then taking the old \
            role out of daily use and deleting it, each step dated from --start.
            """
    )

    @Argument(help: "The tiers file.")
    var tiers: String

    @Argument(help: "The usage file (from analyze).")
    var usage: String

    @Option(help: "Who goes first: comma-separated people (session names, e.g. e-mail addresses).")
    var friendly: String?

    @Option(help: "The day the rollout starts (YYYY-MM-DD, UTC; default: today).")
    var start: String?

    @Option(help: "The Athena table of CloudTrail logs, for the query to watch refusals with.")
    var athenaTable = "cloudtrail_logs"

    @Option(name: .shortAndLong, help: "Write the plan to this file (atomically) instead of standard output.")
    var output: String?

    func run() throws {
        // Today from midnight UTC by default: the watch query then sees the whole first day.
        var startDay = EventTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).startOfDay
        if let start {
            // Round-tripped, so that 2026-02-30 is refused rather than read as 2 March.
            guard start.count == 10, let time = EventTime(commandLine: start), time.day == start else {
                throw ValidationError("--start '\(start)' is not a day (YYYY-MM-DD)")
            }
            startDay = time
        }
        let catalog = try loadCatalog()
        let plan = RolloutPlan(
            tiers: try TiersFile.load(tiers, catalog: catalog).tiers, usage: try Usage.load(usage), catalog: catalog,
            friendly: (friendly ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            start: startDay, athenaTable: athenaTable, tiersPath: tiers, usagePath: usage)
        guard let output else { return printSanitizedLines(plan.markdown()) }
        try AtomicFile.write(Data(sanitizedLines(plan.markdown()).utf8), to: output)
        print("wrote \(output)")
    }
}
