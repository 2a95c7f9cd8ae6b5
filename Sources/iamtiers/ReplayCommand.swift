import ArgumentParser
import Foundation
import IAMTiersCore
import TUIKit

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay each person's observed calls against the tiers: who gets which role.",
        discussion: """
            For every person (the session names of the analysed role): the share of their calls each tier's \
            role would allow, and the lowest tier that allows all of them, which is the role to give them. \
            Then how many people, and their sign-ins, each tier fully serves, and the calls only Admin \
            serves (break glass). --format csv or json writes the role-assignment proposal for tools.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Argument(help: "The tiers file.")
    var tiers: String

    @Argument(help: "The usage file (from analyze).")
    var usage: String

    @Option(help: "table (default), csv (person → tier, with each tier's share) or json.")
    var format = Format.table

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    func run() throws {
        let catalog = try loadCatalog()
        let replay = Replay(
            tiers: try TiersFile.load(tiers, catalog: catalog).tiers, usage: try Usage.load(usage), catalog: catalog)
        let text: String
        switch format {
        case .table: text = replay.table()
        case .csv: text = replay.csv()
        case .json: text = try jsonText(replay)
        }
        guard let output else { return printSanitizedLines(text) }
        try AtomicFile.write(Data(sanitizedLines(text).utf8), to: output)
        print("wrote \(output): \(counted(replay.people.count, "person", "people"))")
    }
}
