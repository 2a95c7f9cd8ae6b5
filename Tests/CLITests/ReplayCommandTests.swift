import Foundation
import TestSupport
import Testing

/// The generator's corpus (`--events 100000 --seed 7`) analysed for the IAM Identity Center admin
/// role, tiers suggested from it, then made once for the rollout tests.
enum GeneratedRollout {
    struct Corpus {
        var directory: URL
        var usage: String
        var tiers: String
        /// `_assumed` from the generator's truth file: role ARN → user → sign-ins.
        var assumed: [String: [String: Int]]
    }

    static let role = "AWSReservedSSO_AdministratorAccess*"

    static let corpus: Corpus? = {
        guard Repository.hasShared, let directory = try? temporaryDirectoryRemovedAtExit() else { return nil }
        let truth = directory.appendingPathComponent("truth.json")
        let generator = Repository.shared.appendingPathComponent("tools/gen-cloudtrail.py").path
        let logs = directory.appendingPathComponent("logs").path
        let usage = directory.appendingPathComponent("usage.json").path
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let made =
            (try? run(
                "/usr/bin/env",
                ["python3", generator, "--out", logs, "--events", "100000", "--seed", "7", "--truth", truth.path]))?
            .status == 0
            && (try? IAMTiersBinary.run("analyze", logs, "--role", role, "-o", usage))?.status == 0
            && (try? IAMTiersBinary.run("suggest", usage, "-o", tiers))?.status == 0
        // The logs are large and no test reads them again.
        try? FileManager.default.removeItem(atPath: logs)
        struct Truth: Decodable { var _assumed: [String: [String: Int]] }
        guard made, let data = try? Data(contentsOf: truth),
            let assumed = try? JSONDecoder().decode(Truth.self, from: data)._assumed
        else { return nil }
        return Corpus(directory: directory, usage: usage, tiers: tiers, assumed: assumed)
    }()
}

@Suite(.enabled(if: Repository.hasShared, "needs ../shared/tools/gen-cloudtrail.py"))
struct ReplayCommandTests {
    struct Report: Decodable {
        struct Coverage: Decodable {
            var tier: String
            var calls: Int
        }
        struct Person: Decodable {
            var person: String
            var calls: Int
            var signIns: Int?
            var coverage: [Coverage]
            var proposedTier: String?
        }
        struct Summary: Decodable {
            var tier: String
            var peopleFullyServed: Int
        }
        var format: String
        var tiers: [String]
        var people: [Person]
        var summary: [Summary]
    }

    /// The tiers as granted sets, read from tiers.yaml line by line (not by iamtiers' parser):
    /// each tier's own actions, the lower tiers' too where it inherits, and nil for AdministratorAccess.
    static func grantedSets(_ tiersFile: String) throws -> [(name: String, actions: Set<String>?)] {
        var tiers: [(name: String, actions: Set<String>?, inherits: Bool)] = []
        for line in try String(contentsOfFile: tiersFile, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("- name: ") {
                tiers.append((String(text.dropFirst(8)), [], true))
            } else if text.hasPrefix("open-items:") {
                break
            } else if !tiers.isEmpty {
                if text == "inherits: false" { tiers[tiers.count - 1].inherits = false }
                if text.contains("policy/AdministratorAccess") { tiers[tiers.count - 1].actions = nil }
                if text.hasPrefix("patterns:") { #expect(text == "patterns: []", "this reader lists actions only") }
                if text.hasPrefix("- {action: "), let end = text.firstIndex(where: { $0 == "," || $0 == "}" }) {
                    tiers[tiers.count - 1].actions?.insert(
                        String(text[text.index(text.startIndex, offsetBy: 11)..<end]))
                }
            }
        }
        var sets: [(name: String, actions: Set<String>?)] = []
        for (index, tier) in tiers.enumerated() {
            var granted = tier.actions
            if tier.inherits && index > 0, let own = granted { granted = sets[index - 1].actions.map { own.union($0) } }
            sets.append((tier.name, granted))
        }
        return sets
    }

    @Test func everyPersonsCoverageMatchesCountsFromTheUsageFile() throws {
        let corpus = try #require(GeneratedRollout.corpus)
        let result = try IAMTiersBinary.run("replay", corpus.tiers, corpus.usage, "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: result.stdoutData)
        #expect(report.format == "iamtiers.replay/1")
        let tiers = try Self.grantedSets(corpus.tiers)
        #expect(report.tiers == tiers.map(\.name))

        // The usage file's people, read as plain JSON.
        let usage = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: corpus.usage)))
                as? [String: Any])
        let people = try #require(usage["people"] as? [[String: Any]])
        #expect(report.people.count == people.count && people.count == 24)
        var fullyServed = Array(repeating: 0, count: tiers.count)
        for person in people {
            let name = try #require(person["name"] as? String)
            let actions = try #require(person["actions"] as? [[String: Any]])
            let calls = actions.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
            let replayed = try #require(report.people.first { $0.person == name })
            #expect(replayed.calls == calls)
            let expected = tiers.map { tier in
                actions.filter { action in
                    tier.actions.map { $0.contains(action["action"] as? String ?? "") } ?? true
                }
                .reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
            }
            #expect(replayed.coverage.map(\.calls) == expected, "\(name)")
            #expect(replayed.proposedTier == tiers[try #require(expected.firstIndex(of: calls))].name)
            for (index, covered) in expected.enumerated() where covered == calls { fullyServed[index] += 1 }
            // Sign-ins are the generator's own count over both accounts' roles.
            let signIns = corpus.assumed.filter { $0.key.contains("AWSReservedSSO_AdministratorAccess") }
                .reduce(0) { $0 + ($1.value[name] ?? 0) }
            #expect(replayed.signIns == signIns, "\(name)")
        }
        #expect(report.summary.map(\.peopleFullyServed) == fullyServed)
        // The premise that makes this test able to fail: the lower tiers cover part of each person's calls.
        #expect(report.people.allSatisfy { $0.coverage[0].calls > 0 && $0.coverage[0].calls < $0.calls })
    }

    @Test func theProposalIsWrittenAsCSVAndAsATable() throws {
        let corpus = try #require(GeneratedRollout.corpus)
        let csvFile = corpus.directory.appendingPathComponent("roles.csv").path
        let written = try IAMTiersBinary.run("replay", corpus.tiers, corpus.usage, "--format", "csv", "-o", csvFile)
        #expect(written.status == 0 && written.stdout == "wrote \(csvFile): 24 people\n")
        let rows = try String(contentsOfFile: csvFile, encoding: .utf8).split(separator: "\n")
        #expect(
            rows.first
                == "person,proposed_tier,proposed_role,calls,sign_ins,Read_percent,Operator_percent,Admin_percent")
        #expect(rows.count == 25)
        let table = try IAMTiersBinary.run("replay", corpus.tiers, corpus.usage).stdout
        #expect(table.hasPrefix("Replay of 10,123 calls by 24 people against Read, Operator, Admin\n"))
        #expect(table.contains("Only Admin serves (break glass): "))
    }
}
