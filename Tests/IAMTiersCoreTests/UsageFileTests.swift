import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// `Usage.load` reads the large arrays with the byte scanner: it must read exactly what
/// JSONDecoder reads, and say what a file is when it is not a usage file.
@Suite struct UsageFileTests {
    func write(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-usage-\(UUID()).json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func theScannerReadsWhatJSONDecoderReads() throws {
        let logs = Repository.root.appendingPathComponent("Examples/cloudtrail").path
        let (totals, summary) = EventReader.read(paths: [logs], filter: EventFilter())
        let example = try UsageBuilder(
            catalog: bundledCatalog, mapping: mapping, generator: "test"
        ).build(totals, summary, AnalysisOptions(role: RoleQuery("AdministratorAccess"), includeDenied: true))
        let fixture = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff/usage.json")
        for data in [try example.jsonData(), try Data(contentsOf: fixture)] {
            let path = try write(String(decoding: data, as: UTF8.self))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let decoded = try JSONDecoder().decode(Usage.self, from: data)
            #expect(try Usage.load(path) == decoded)
            #expect(decoded.people.contains { !$0.actions.isEmpty } && decoded.actions.contains { !$0.sources.isEmpty })
        }
        // Escapes in names, fields a newer version may add, and null times.
        var odd = example
        odd.people[0].name = "\"quoted\" \\ and \u{1B}[31m red / é"
        let text = String(decoding: try odd.jsonData(), as: UTF8.self)
            .replacingOccurrences(of: "\"lastSeen\"", with: "\"future\" : {\"x\": [1, 2]}, \"lastSeen\"")
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Usage.load(path) == odd)
    }

    @Test func aFileThatIsNotAUsageSaysWhatItIs() throws {
        for (text, message) in [
            (#"{"format": "iamtiers.usage/0", "actions": 3}"#, "is 'iamtiers.usage/0', not iamtiers.usage/1"),
            (#"{"actions": []}"#, "is not a usage file: no \"format\" field"),
            (#"{"format": "iamtiers.usage/1", "actions": [{"count": 1}]}"#, "is not a usage file: missing \"action\""),
            (
                #"{"format": "iamtiers.usage/1", "actions": [{"action": "s3:GetObject", "count": -1}]}"#,
                "is not a usage file: expected a count"
            ),
        ] {
            let path = try write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: Usage.LoadError.self) { try Usage.load(path) }
            do { _ = try Usage.load(path) } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }
}
