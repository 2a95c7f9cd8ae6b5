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
        ).build(totals, summary, AnalysisOptions(selection: .role("AdministratorAccess"), includeDenied: true))
        let fixture = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff/usage.json")
        for data in [example.jsonData(), try Data(contentsOf: fixture)] {
            let path = try write(String(decoding: data, as: UTF8.self))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let decoded = try JSONDecoder().decode(Usage.self, from: data)
            #expect(try Usage.load(path) == decoded)
            #expect(decoded.people.contains { !$0.actions.isEmpty } && decoded.actions.contains { !$0.sources.isEmpty })
        }
        // Escapes in names, fields a newer version may add, and null times.
        var odd = example
        odd.people[0].name = "\"quoted\" \\ and \u{1B}[31m red / é"
        let text = String(decoding: odd.jsonData(), as: UTF8.self)
            .replacingOccurrences(of: "\"lastSeen\"", with: "\"future\" : {\"x\": [1, 2]}, \"lastSeen\"")
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Usage.load(path) == odd)
    }

    @Test func aFileThatIsNotAUsageSaysWhatItIs() throws {
        for (text, message) in [
            (#"{"format": "iamtiers.usage/0", "actions": 3}"#, "is 'iamtiers.usage/0', not iamtiers.usage/2"),
            (#"{"actions": []}"#, "is not a usage file: no \"format\" field"),
            (#"{"format": "iamtiers.usage/2", "actions": [{"count": 1}]}"#, "is not a usage file: missing \"action\""),
            (
                #"{"format": "iamtiers.usage/2", "actions": [{"action": "s3:GetObject", "count": -1}]}"#,
                "is not a usage file: a count must be a number from 0"
            ),
        ] {
            let path = try write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: Usage.LoadError.self) { try Usage.load(path) }
            do { _ = try Usage.load(path) } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }

    /// The reader answers like JSONDecoder: the same values for the same text, and an error where
    /// JSONDecoder gives one (found by a review that attacked it).
    @Test func oddTextReadsAsJSONDecoderReadsItOrNotAtAll() throws {
        let fixture = try String(
            contentsOf: Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff/usage.json"),
            encoding: .utf8)
        let original = try Usage.load(
            Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff/usage.json").path)
        func load(_ text: String) throws -> Usage {
            let path = try write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try Usage.load(path)
        }
        func refused(_ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try load(text)
                Issue.record("read: \(message)", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".contains(message), "\(error)", sourceLocation: sourceLocation)
            }
        }
        // Escaped keys are the same keys; a byte order mark is skipped.
        #expect(try load(fixture.replacingOccurrences(of: "\"actions\"", with: "\"act\\u0069ons\"")) == original)
        #expect(try load(fixture.replacingOccurrences(of: "\"count\"", with: "\"c\\u006funt\"")) == original)
        #expect(try load("\u{FEFF}" + fixture) == original)
        // Refused, as JSONDecoder refuses them.
        refused(
            fixture.replacingOccurrences(of: "\"count\": 300", with: "\"count\": 9223372036854775808"),
            "a count too large")
        refused(
            fixture.replacingOccurrences(of: "\"count\": 300", with: "\"count\": 300, \"count\": 0"),
            "\"count\" appears twice")
        refused(fixture.replacingOccurrences(of: "\"count\": 300", with: "\"Count\": 300"), "missing \"count\"")
        refused(
            fixture.replacingOccurrences(of: "\"count\": 300", with: "\"count\": 300.0"),
            "a count must be a whole number")
        refused(
            fixture.replacingOccurrences(of: "\"count\": 300", with: "\"count\": -0"), "a count must be a number from 0"
        )
        refused(
            fixture.replacingOccurrences(of: "\"format\"", with: "\"actions\": [], \"format\""),
            "\"actions\" appears twice")
        for bad in ["\\q", "\\uZZZZ", "\\ud800", "\t"] {
            refused(
                fixture.replacingOccurrences(of: "ec2:StartInstances", with: "ec2:Start\(bad)Instances"),
                "not a valid JSON string")
        }
        refused(fixture + "{}", "more after the end of the document")
        refused(String(fixture.prefix(fixture.count / 2)), "at byte")
        // A byte that is not UTF-8 inside a name.
        var bytes = Array(fixture.replacingOccurrences(of: "ec2:StartInstances", with: "ec2:StartInstance#").utf8)
        bytes[bytes.firstIndex(of: UInt8(ascii: "#"))!] = 0xFF
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-usage-\(UUID()).json").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: Usage.LoadError.self) { try Usage.load(path) }
    }
}
