import Foundation
import SafeText
import TestSupport
import Testing
import Yams

@testable import IAMTiersCore

/// A small seeded generator (SplitMix64), so a failing case can be replayed from its seed.
private struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Pieces of text that break files, terminals or readers, mixed with ordinary text.
private let hostilePieces: [String] = [
    "alice", "é", "日本", "🍎", "👩‍💻", "🏳️‍🌈", "e\u{301}", "\u{200D}", "\u{1B}[2J", "\u{1B}]0;title\u{07}", "\u{9B}31m",
    "\u{85}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}", "\u{200F}", "\u{061C}", "\u{FEFF}", "\u{D7FF}",
    "\u{E000}",
    "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}", "\u{0}", "\u{7F}", "\t", "\n", "\r", "\"", "\\", "'", ": ", " #", "- ", "&a",
    "*b", "!tag", "|", ">", "%", "@", "`", "{", "}", "[", "]", ",", "?", "~", "null", "true", "0x1F", "  ",
]

private func hostileText(_ random: inout SeededRandom) -> String {
    (0..<Int.random(in: 1...6, using: &random)).map { _ in hostilePieces.randomElement(using: &random)! }.joined()
}

/// JSON string literal of `text`; sometimes with a lone surrogate escape JSON allows and UTF-8 cannot hold.
private func jsonLiteral(_ text: String, _ random: inout SeededRandom) throws -> String {
    let literal = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    return Bool.random(using: &random) ? literal : String(literal.dropLast()) + "\\ud800\""
}

@Suite struct HostileTextTests {
    @Test func theRuleCoversEveryClassTheIssueNames() {
        for scalar in ["\u{0}", "\u{1B}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{2028}", "\u{2029}"] {
            #expect(SafeText.isUnsafe(scalar.unicodeScalars.first!), "\(scalar.unicodeScalars.first!.value)")
        }
        for scalar in ["\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}", "\u{FEFF}"] {
            #expect(SafeText.isUnsafe(scalar.unicodeScalars.first!), "\(scalar.unicodeScalars.first!.value)")
        }
        #expect(SafeText.cleaned("👩‍💻 e\u{301} 日本") == "👩‍💻 e\u{301} 日本")
        #expect(SafeText.cleaned("a\u{9B}2Jb\u{2028}c") == "a\u{FFFD}b\u{FFFD}c")
    }

    /// Random hostile text in every field of an event that reaches a file: analyze, suggest, save
    /// and load give back equal values, and none of them carries an unsafe character.
    @Test(arguments: 0..<40)
    func hostileTextSurvivesAnalyzeSuggestSaveAndLoad(seed: Int) throws {
        var random = SeededRandom(state: UInt64(seed))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var sessions: [String] = []
        var events: [String] = []
        for _ in 0..<6 {
            let session = hostileText(&random)
            sessions.append(session)
            let arn = try jsonLiteral("arn:aws:sts::111122223333:assumed-role/Admin/\(session)", &random)
            let name = try jsonLiteral("Get" + hostileText(&random), &random)
            let source = try jsonLiteral(
                Bool.random(using: &random) ? "s3.amazonaws.com" : hostileText(&random), &random)
            let agent = try jsonLiteral(hostileText(&random), &random)
            let error = try jsonLiteral(hostileText(&random), &random)
            let address = try jsonLiteral(hostileText(&random), &random)
            events.append(
                """
                {"userIdentity":{"type":"AssumedRole","arn":\(arn),"accountId":"111122223333",\
                "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Admin"}}},\
                "eventTime":"2026-10-01T08:00:00Z","eventSource":\(source),"eventName":\(name),"userAgent":\(agent),\
                "errorCode":\(error),"sourceIPAddress":\(address),"recipientAccountId":"111122223333"}
                """)
        }
        let logs = directory.appendingPathComponent("logs.json")
        try Data("{\"Records\":[\(events.joined(separator: ","))]}".utf8).write(to: logs)

        let (totals, summary) = EventReader.read(paths: [logs.path], filter: EventFilter())
        #expect(totals.eventsRead == 6, "seed \(seed): \(summary.problems)")
        let usage = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: .role("Admin"), includeDenied: true))
        let usageData = usage.jsonData()
        for text in try allStrings(in: usageData) {
            #expect(!text.unicodeScalars.contains(where: SafeText.isUnsafe), "seed \(seed): \(text.debugDescription)")
        }
        let expectedPeople = Set(sessions.map { SafeText.cleaned($0).replacingOccurrences(of: "\u{FFFD}", with: "") })
        let people = Set(usage.people.map { $0.name.replacingOccurrences(of: "\u{FFFD}", with: "") })
        #expect(people.isSubset(of: expectedPeople), "seed \(seed)")

        let usagePath = directory.appendingPathComponent("usage.json").path
        try usageData.write(to: URL(fileURLWithPath: usagePath))
        #expect(try Usage.load(usagePath) == usage, "seed \(seed)")

        let tiers = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(from: usage, usagePath: usagePath)
        let tiersPath = directory.appendingPathComponent("tiers.yaml").path
        try TiersFile.save(tiers, to: tiersPath)
        let saved = try String(contentsOfFile: tiersPath, encoding: .utf8)
        #expect(!saved.unicodeScalars.contains { $0 != "\n" && SafeText.isUnsafe($0) }, "seed \(seed)")
        #expect(try TiersFile.load(tiersPath, catalog: bundledCatalog).tiers == tiers, "seed \(seed)")
    }

    @Test func everyStringTheTiersWriterGetsComesBack() throws {
        var random = SeededRandom(state: 99)
        for _ in 0..<300 {
            // libyaml drops an escaped byte-order mark; log text never has one once it is cleaned.
            let hostile = hostileText(&random)
            for text in [hostile, SafeText.cleaned(hostile)] where !text.unicodeScalars.contains("\u{FEFF}") {
                let yaml = "format: x\nvalue: \(TiersFile.yamlScalar(text))\n"
                let node = try #require(try Yams.compose(yaml: yaml))
                #expect(node["value"]?.string == text, "\(text.debugDescription) as \(TiersFile.yamlScalar(text))")
            }
        }
    }

    private func allStrings(in json: Data) throws -> [String] {
        var found: [String] = []
        func walk(_ value: Any) {
            if let text = value as? String { found.append(text) }
            if let array = value as? [Any] { array.forEach(walk) }
            if let object = value as? [String: Any] {
                for (key, value) in object {
                    found.append(key)
                    walk(value)
                }
            }
        }
        walk(try JSONSerialization.jsonObject(with: json))
        return found
    }
}
