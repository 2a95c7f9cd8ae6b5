import ArgumentParser
import IAMTiersCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run iamtiers on the bundled example."
    )

    func run() throws {
        let catalog = try loadCatalog()
        print("iamtiers demo")
        print(
            "IAM catalog of \(catalog.info.date): \(formatCount(catalog.serviceCount)) services, \(formatCount(catalog.actionCount)) actions"
        )
    }
}
