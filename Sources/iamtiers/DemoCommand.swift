import ArgumentParser
import Foundation
import IAMTiersCore
import IAMTiersUI
import NCursesBackend

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run iamtiers on the bundled example: what the administrator role of Examples/cloudtrail is used for.",
        discussion: """
            Analyses the bundled example, a copy of the project's Examples/cloudtrail carried by the \
            executable (4,000 synthetic CloudTrail events of six people using an IAM Identity Center \
            AdministratorAccess role, see Examples/README.md), and opens the curation screen \
            on a copy in a temporary folder (printed on exit), drafted by the suggestion rules. Without a \
            terminal, or on one that cannot show it (TERM=dumb), it prints the usage, as \
            `iamtiers analyze Examples/cloudtrail --role AdministratorAccess` does.
            """
    )

    @OptionGroup var display: DisplayOptions

    @Flag(help: "For a room watching: people and account IDs as pseudonyms, a larger detail pane, notes first.")
    var workshop = false

    func run() throws {
        guard let example = bundledResource("example-cloudtrail.json.gz") else {
            throw RuntimeError("the bundled example is missing from this build (Scripts/bundle-resources writes it)")
        }
        let catalog = try loadCatalog()
        let mapping = try CloudTrailMapping.bundled(catalog: catalog)
        let options = AnalysisOptions(selection: .role("AdministratorAccess"))
        let (totals, summary) = EventReader.read(paths: [example], filter: options.filter)
        let usage = try UsageBuilder(catalog: catalog, mapping: mapping, generator: "iamtiers \(IAMTiers.version)")
            .build(totals, summary, options)
        // Also on a terminal that cannot show the full screen (TERM=dumb, an editor's shell buffer).
        guard NCursesTerminal.fullScreenProblem(environment: ProcessInfo.processInfo.environment) == nil else {
            print("iamtiers demo: the usage of AdministratorAccess in the bundled example (Examples/cloudtrail)\n")
            printSummary(usage)
            print("\nnext: iamtiers analyze Examples/cloudtrail --role AdministratorAccess -o usage.json")
            return
        }
        // Work on a copy, so that saving works and the example stays clean.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let usagePath = folder.appendingPathComponent("usage.json").path
        try AtomicFile.write(usage.jsonData(), to: usagePath)
        let session = try CurationSession.open(
            usagePath: usagePath, tiersPath: folder.appendingPathComponent("tiers.yaml").path, workshop: workshop)
        let status = try session.run(noColor: display.colorsDisabled, themes: display.themes())
        print("the demo's files are in \(folder.path)")
        if status != 0 { throw ExitCode(status) }
    }
}
