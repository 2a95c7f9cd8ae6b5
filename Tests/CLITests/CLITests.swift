import Foundation
import TestSupport
import Testing

/// The bundled example's tiers (the golden draft: permission sets, as the example's role is one)
/// with every tier in `container`, written into `directory` as tiers.yaml; returns its path.
func exampleTiers(container: String, in directory: URL) throws -> String {
    let golden = Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/example-tiers.yaml")
    let tiers = directory.appendingPathComponent("tiers.yaml").path
    try String(contentsOf: golden, encoding: .utf8)
        .replacingOccurrences(of: "container: identity-center", with: "container: \(container)")
        .write(toFile: tiers, atomically: true, encoding: .utf8)
    return tiers
}

/// Runs the real `iamtiers` binary that `swift test` built beside the test bundle.
struct IAMTiersBinary {
    static let path: String = {
        let productsDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = productsDirectory.appendingPathComponent("iamtiers").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        // Swift Testing may run from inside the .xctest bundle on some toolchains.
        return productsDirectory.deletingLastPathComponent().appendingPathComponent("iamtiers").path
    }()

    static func run(_ arguments: String...) throws -> ProcessResult { try run(arguments) }

    static func run(_ arguments: [String]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "IAMTIERS_CATALOG")
        return try TestSupport.run(path, arguments, environment: environment)
    }
}

@Suite struct CLITests {
    @Test func helpListsTheSubcommands() throws {
        let result = try IAMTiersBinary.run("--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("demo"))
        #expect(result.stdout.contains("catalog"))
    }

    @Test func versionNamesTheCatalogDate() throws {
        let result = try IAMTiersBinary.run("--version")
        #expect(result.status == 0)
        #expect(result.stdout.contains("iamtiers 0.1.0"))
        #expect(result.stdout.contains("IAM catalog of 2026-08-21"))
    }

    @Test func statsReportServicesActionsAndLevels() throws {
        let result = try IAMTiersBinary.run("catalog", "stats")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.first == "IAM action catalog of 2026-08-21")
        #expect(lines.contains("services 455"))
        #expect(lines.contains("actions 21,788"))
        #expect(lines.contains("Permissions management 415"))

        let json = try IAMTiersBinary.run("catalog", "stats", "--json")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(decoded?["actions"] as? Int == 21_788)
        #expect(decoded?["services"] as? Int == 455)
    }

    @Test func expandPrintsOneActionALineAndTheCountOnStderr() throws {
        let result = try IAMTiersBinary.run("catalog", "expand", "s3:*Object")
        #expect(result.status == 0)
        #expect(result.stdout == "s3:DeleteObject\ns3:GetObject\ns3:PutObject\ns3:ReplicateObject\ns3:RestoreObject\n")
        #expect(result.stderr == "5 actions\n")

        let describe = try IAMTiersBinary.run("catalog", "expand", "ec2:Describe*")
        let names = describe.stdout.split(separator: "\n")
        #expect(names.allSatisfy { $0.lowercased().hasPrefix("ec2:describe") })
        #expect(describe.stderr == "\(names.count) actions\n")
    }

    @Test func expandOfNothingFails() throws {
        let result = try IAMTiersBinary.run("catalog", "expand", "s3:Nothing*Here")
        #expect(result.status == 1)
        #expect(result.stderr.contains("no action in the catalog (2026-08-21) matches 's3:Nothing*Here'"))
    }

    @Test func showPrintsTheFactsOfAnAction() throws {
        let result = try IAMTiersBinary.run("catalog", "show", "S3:GETOBJECT")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("s3:GetObject\n"))
        #expect(result.stdout.contains("access level       Read"))
        #expect(result.stdout.contains("data access (iam-dataset)"))
        #expect(result.stdout.contains("object  arn:${Partition}:s3:::${BucketName}/${ObjectName}"))
        #expect(result.stdout.contains("s3:TlsVersion"))
    }

    @Test func unknownActionSuggestsTheClosestNamesAndExitsOne() throws {
        let result = try IAMTiersBinary.run("catalog", "show", "s3:ListBuckets")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unknown action 's3:ListBuckets'"))
        #expect(result.stderr.contains("did you mean:"))
        #expect(result.stderr.contains("s3:ListAllMyBuckets"))
    }
}
