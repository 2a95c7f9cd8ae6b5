import Foundation
import SafeText
import TestSupport
import Testing

@testable import IAMTiersCore

/// `analyze` against the exact counts ../shared/tools/gen-cloudtrail.py writes with --truth.
@Suite(.enabled(if: Repository.hasShared, "needs ../shared/tools/gen-cloudtrail.py"))
struct GeneratorTruthTests {
    struct RoleTruth: Decodable {
        var events: [String: Int]
        var denied: Int
        var sessions: [String]
    }

    typealias Corpus = (directory: URL, truth: [String: RoleTruth], assumed: [String: [String: Int]])

    /// Reads a `--truth` file: per role ARN its events, denied count and sessions; `_assumed` sign-ins.
    static func loadTruth(_ file: URL, logs: URL) -> Corpus? {
        guard let data = try? Data(contentsOf: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        var truth: [String: RoleTruth] = [:]
        for (key, value) in object where key != "_assumed" {
            guard let entry = try? JSONSerialization.data(withJSONObject: value) else { continue }
            truth[key] = try? JSONDecoder().decode(RoleTruth.self, from: entry)
        }
        return (logs, truth, object["_assumed"] as? [String: [String: Int]] ?? [:])
    }

    static let corpus: Corpus? = {
        guard Repository.hasShared, let directory = try? temporaryDirectoryRemovedAtExit() else { return nil }
        let truthFile = directory.appendingPathComponent("truth.json")
        let generator = Repository.shared.appendingPathComponent("tools/gen-cloudtrail.py").path
        let result = try? run(
            "/usr/bin/env",
            [
                "python3", generator, "--out", directory.appendingPathComponent("logs").path, "--events", "30000",
                "--seed", "11", "--hostile", "--truth", truthFile.path,
            ])
        guard result?.status == 0 else { return nil }
        return loadTruth(truthFile, logs: directory.appendingPathComponent("logs"))
    }()

    func analyse(role: String, in corpus: Corpus? = Self.corpus) throws -> Usage {
        let corpus = try #require(corpus)
        let (totals, summary) = EventReader.read(paths: [corpus.directory.path], filter: EventFilter())
        let options = AnalysisOptions(
            selection: PrincipalSelection(roles: [RoleQuery(role)]), includeConsole: true, includeDenied: true)
        return try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test").build(
            totals, summary, options)
    }

    @Test func everyPeopleRoleIsReproducedExactly() throws {
        let corpus = try #require(Self.corpus)
        #expect(corpus.truth.filter { !$0.value.sessions.isEmpty }.count == 4)  // SSO and SAML roles, two accounts
        try Self.checkPeopleRoles(corpus) { try analyse(role: $0, in: corpus) }
    }

    static func checkPeopleRoles(_ corpus: Corpus, analyse: (String) throws -> Usage) throws {
        let peopleRoles = corpus.truth.filter { !$0.value.sessions.isEmpty }
        #expect(!peopleRoles.isEmpty)
        for (arn, truth) in peopleRoles {
            let usage = try analyse(arn)
            #expect(usage.principals.map(\.arn) == [arn])
            // Per (eventSource, eventName): mapped pairs (a one-to-many pair shows under each of its
            // actions with the same counts), unmapped pairs and calls needing no permission.
            var pairs: [String: Int] = [:]
            for action in usage.actions {
                for source in action.sources { pairs["\(source.eventSource) \(source.eventName)"] = source.count }
            }
            for pair in usage.unmapped { pairs["\(pair.eventSource) \(pair.eventName)"] = pair.count }
            for pair in usage.noPermission { pairs["\(pair.eventSource) \(pair.eventName)"] = pair.count }
            #expect(pairs == truth.events, "\(arn)")
            #expect(usage.provenance.events.denied == truth.denied, "\(arn)")
            // Log text is made safe where it enters: hostile session names arrive cleaned.
            #expect(Set(usage.people.map(\.name)) == Set(truth.sessions.map(SafeText.cleaned)), "\(arn)")
            let signIns = Dictionary(uniqueKeysWithValues: usage.signIns.map { ($0.user, $0.count) })
            #expect(signIns == (corpus.assumed[arn] ?? [:]), "\(arn)")
        }
    }

    @Test func defaultsLeaveConsoleAndDeniedCallsOutButCountThem() throws {
        let corpus = try #require(Self.corpus)
        let (totals, summary) = EventReader.read(paths: [corpus.directory.path], filter: EventFilter())
        let builder = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
        let defaults = try builder.build(totals, summary, AnalysisOptions(selection: .role("AdministratorAccess")))
        let everything = try builder.build(
            totals, summary,
            AnalysisOptions(selection: .role("AdministratorAccess"), includeConsole: true, includeDenied: true))
        #expect(defaults.principals.count == 2)
        #expect(defaults.provenance.events.console > 0 && defaults.provenance.events.denied > 0)
        #expect(defaults.provenance.events.kept < everything.provenance.events.kept)
        // Every call left out by default is still counted, as console or denied.
        let included = Dictionary(uniqueKeysWithValues: everything.actions.map { ($0.action, $0.count) })
        for action in defaults.actions {
            #expect(action.count + action.console + action.denied == included[action.action], "\(action.action)")
        }
        #expect(summary.filesSkipped["CloudTrail digest file"] == 2)
    }
}

/// The bundled example against the generator's truth file shipped beside it: runs on any machine.
@Suite struct ExampleTruthTests {
    @Test func theBundledExampleIsReproducedExactly() throws {
        let examples = Repository.root.appendingPathComponent("Examples")
        let corpus = try #require(
            GeneratorTruthTests.loadTruth(
                examples.appendingPathComponent("cloudtrail-truth.json"),
                logs: examples.appendingPathComponent("cloudtrail")))
        try GeneratorTruthTests.checkPeopleRoles(corpus) { role in
            let (totals, summary) = EventReader.read(paths: [corpus.directory.path], filter: EventFilter())
            let options = AnalysisOptions(
                selection: PrincipalSelection(roles: [RoleQuery(role)]), includeConsole: true, includeDenied: true)
            return try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test").build(
                totals, summary, options)
        }
    }
}
