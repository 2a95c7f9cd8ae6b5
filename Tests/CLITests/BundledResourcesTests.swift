import Foundation
import TestSupport
import Testing

/// The executable carries copies of Examples/cloudtrail and Themes (Scripts/bundle-resources):
/// they must say what the project's folders say.
@Suite struct BundledResourcesTests {
    let resources = Repository.root.appendingPathComponent("Sources/iamtiers/Resources")

    @Test func theThemesAreTheProjectsThemes() throws {
        let themes = Repository.root.appendingPathComponent("Themes")
        let names = try FileManager.default.contentsOfDirectory(atPath: themes.path).filter { $0.hasSuffix(".toml") }
        let bundled = try FileManager.default.contentsOfDirectory(
            atPath: resources.appendingPathComponent("Themes").path)
        #expect(Set(bundled) == Set(names), "run Scripts/bundle-resources")
        for name in names {
            #expect(
                try Data(contentsOf: themes.appendingPathComponent(name))
                    == Data(contentsOf: resources.appendingPathComponent("Themes/\(name)")),
                "\(name) differs: run Scripts/bundle-resources")
        }
    }

    @Test func theExampleIsTheProjectsExample() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func usage(of input: String) throws -> [String: Any] {
            let output = folder.appendingPathComponent(UUID().uuidString + ".json")
            let result = try IAMTiersBinary.run("analyze", input, "--role", "AdministratorAccess", "-o", output.path)
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        }
        let project = try usage(of: Repository.root.appendingPathComponent("Examples/cloudtrail").path)
        let bundled = try usage(of: resources.appendingPathComponent("example-cloudtrail.json.gz").path)
        for key in ["actions", "people", "companions", "hints", "unmapped"] {
            #expect(
                NSDictionary(dictionary: project).value(forKey: key) as? NSArray
                    == NSDictionary(dictionary: bundled).value(forKey: key) as? NSArray,
                "\(key) differs: run Scripts/bundle-resources")
        }
        #expect(project["actions"] != nil)
    }
}
