import Foundation
import Testing

@testable import IAMTiersCore

/// The usage file is written by hand for speed; users diff it against files JSONEncoder wrote, so
/// it must be the same bytes, field for field.
@Suite struct UsageFileWriterTests {
    func encodedByFoundation(_ usage: Usage) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(usage), as: UTF8.self) + "\n"
    }

    /// Every optional set and every array filled, with text that needs escaping and keys that sort
    /// by byte (upper case before `_` before lower case before non-ASCII): a field the writer
    /// forgets, misorders or escapes differently shows here.
    static let everyField: Usage = {
        let time = EventTime(secondsSinceEpoch: 1_790_000_000)
        let odd = "\"quoted\" \\ / \u{0}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1B}\u{1F}\u{7F} é \u{2028} 😀"
        return Usage(
            generator: "test \(odd)", catalog: .init(date: "2026-11-01", version: "v7"),
            provenance: .init(
                inputs: ["logs/", odd],
                files: .init(
                    read: 3, skipped: ["digest": 1, "Zip": 2, "_x": 3, "é": 4], unreadable: 1, bytes: 1 << 40),
                events: .init(
                    read: 1, kept: 2, console: 3, denied: 4, onBehalf: 5, otherPrincipals: 6, outsideWindow: 7,
                    otherAccounts: 8, serviceEvents: 9, dataEvents: 10, dataEventsOfAnyone: 11, noPermission: 12,
                    unmapped: 13, malformed: 14),
                window: .init(first: time, last: EventTime(secondsSinceEpoch: 1_790_086_400)),
                filters: .init(
                    selection: ["--role", "Admin"], since: time, until: time, account: "123456789012",
                    includeConsole: true, includeDenied: false),
                shapes: ["records-array": 2, "NDJSON": 1],
                problems: [
                    .init(path: "a.json", record: 7, message: odd), .init(path: "b.json", record: nil, message: "m"),
                ]),
            principals: [.init(arn: "arn:aws:iam::1:role/A", type: "role", events: 5, sessions: 2)],
            actions: [
                .init(
                    action: "s3:GetObject", accessLevel: .permissionsManagement, risk: ["credential-exposure"],
                    count: 9, denied: 1, console: 2, onBehalf: 3, firstSeen: time, lastSeen: time,
                    people: [odd, "zoe"],
                    sources: [
                        .init(
                            eventSource: "s3.amazonaws.com", eventName: "GetObject", count: 9, denied: 1, console: 2,
                            onBehalf: 3, rule: "direct")
                    ]),
                .init(
                    action: "s3:ListBuckets", accessLevel: .list, risk: [], count: 1, denied: 0, console: 0,
                    onBehalf: 0, firstSeen: nil, lastSeen: nil, people: [], sources: []),
            ],
            people: [
                .init(
                    name: odd, calls: 4, denied: 1, firstSeen: time, lastSeen: nil,
                    actions: [.init(action: "s3:GetObject", count: 4, denied: 1)])
            ],
            unmapped: [
                .init(
                    eventSource: "new.amazonaws.com", eventName: "Do\u{1}It", count: 1, denied: 0, console: 1,
                    reason: "no rule", people: ["ann"])
            ],
            noPermission: [
                .init(eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", count: 2, rule: "none")
            ],
            signIns: [
                .init(
                    roleArn: "arn:aws:iam::1:role/A", user: "ann", count: 3, firstSeen: time, lastSeen: time,
                    sourceAddresses: 2)
            ],
            companions: [
                .init(
                    action: "iam:PassRole", neededBy: "ec2:RunInstances", rule: "passes-role", reason: "r", calls: 2,
                    people: ["ann"], sources: ["ec2.amazonaws.com RunInstances"],
                    resources: ["arn:aws:iam::1:role/B"], passedTo: ["ec2.amazonaws.com"])
            ],
            hints: [.init(kind: .possibleCompanions, message: odd, actions: ["kms:Decrypt"], because: ["s3:GetObject"])]
        )
    }()

    @Test func theWriterWritesWhatJSONEncoderWrites() throws {
        var empty = Self.everyField
        empty.provenance.window = nil
        empty.provenance.filters = .init(
            selection: [], since: nil, until: nil, account: nil, includeConsole: false, includeDenied: false)
        empty.provenance.files.skipped = [:]
        (empty.actions, empty.people, empty.hints, empty.companions) = ([], [], [], [])
        for usage in [Self.everyField, empty, try exampleUsage()] {
            let written = String(decoding: usage.jsonData(), as: UTF8.self)
            let expected = try encodedByFoundation(usage)
            #expect(written == expected)
            if written != expected {
                let line = zip(written.split(separator: "\n"), expected.split(separator: "\n")).first { $0 != $1 }
                Issue.record("first different line: \(String(describing: line))")
            }
        }
    }
}
