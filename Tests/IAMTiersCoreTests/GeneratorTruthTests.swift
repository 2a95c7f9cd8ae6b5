import Foundation
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

    static let corpus: (directory: URL, truth: [String: RoleTruth], assumed: [String: [String: Int]])? = {
        guard Repository.hasShared, let directory = try? temporaryDirectory() else { return nil }
        let truthFile = directory.appendingPathComponent("truth.json")
        let generator = Repository.shared.appendingPathComponent("tools/gen-cloudtrail.py").path
        let result = try? run(
            "/usr/bin/env",
            [
                "python3", generator, "--out", directory.appendingPathComponent("logs").path, "--events", "30000",
                "--seed", "11", "--hostile", "--truth", truthFile.path,
            ])
        guard result?.status == 0, let data = try? Data(contentsOf: truthFile),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        var truth: [String: RoleTruth] = [:]
        for (key, value) in object where key != "_assumed" {
            guard let entry = try? JSONSerialization.data(withJSONObject: value) else { continue }
            truth[key] = try? JSONDecoder().decode(RoleTruth.self, from: entry)
        }
        return (directory.appendingPathComponent("logs"), truth, object["_assumed"] as? [String: [String: Int]] ?? [:])
    }()

    func analyse(role: String) throws -> Usage {
        let corpus = try #require(Self.corpus)
        let (totals, summary) = EventReader.read(paths: [corpus.directory.path], filter: EventFilter())
        let options = AnalysisOptions(role: RoleQuery(role), includeConsole: true, includeDenied: true)
        return try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test").build(
            totals, summary, options)
    }

    @Test func everyPeopleRoleIsReproducedExactly() throws {
        let corpus = try #require(Self.corpus)
        let peopleRoles = corpus.truth.filter { !$0.value.sessions.isEmpty }
        #expect(peopleRoles.count == 4)  // SSO and SAML admin roles in two accounts
        for (arn, truth) in peopleRoles {
            let usage = try analyse(role: arn)
            #expect(usage.roles.map(\.arn) == [arn])
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
            #expect(Set(usage.people.map(\.name)) == Set(truth.sessions), "\(arn)")
        }
    }

    @Test func signInsToEachRoleAreCountedPerUser() throws {
        let corpus = try #require(Self.corpus)
        for (arn, users) in corpus.assumed {
            let usage = try analyse(role: arn)
            let counted = Dictionary(uniqueKeysWithValues: usage.signIns.map { ($0.user, $0.count) })
            #expect(counted == users, "\(arn)")
        }
    }

    @Test func defaultsLeaveConsoleAndDeniedCallsOutButCountThem() throws {
        let corpus = try #require(Self.corpus)
        let (totals, summary) = EventReader.read(paths: [corpus.directory.path], filter: EventFilter())
        let builder = UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
        let defaults = try builder.build(totals, summary, AnalysisOptions(role: RoleQuery("AdministratorAccess")))
        let everything = try builder.build(
            totals, summary,
            AnalysisOptions(role: RoleQuery("AdministratorAccess"), includeConsole: true, includeDenied: true))
        #expect(defaults.roles.count == 2)
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
