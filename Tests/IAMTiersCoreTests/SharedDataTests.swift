import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Reads the real public CloudTrail logs and the record shapes in ../shared and checks the counts the
/// developers' STATS.json and README give.
@Suite(.enabled(if: Repository.hasShared, "needs ../shared/data/cloudtrail"))
struct SharedCloudTrailTests {
    let cloudtrail = Repository.shared.appendingPathComponent("data/cloudtrail")

    struct Stats: Decodable {
        var source: String
        var events: Int
        var principals: Int
        var pairs: Int

        enum CodingKeys: String, CodingKey {
            case source, events
            case principals = "distinct_principals_userIdentity_arn"
            case pairs = "distinct_eventSource_eventName_pairs"
        }
    }

    func stats() throws -> [String: Stats] {
        let data = try Data(contentsOf: cloudtrail.appendingPathComponent("STATS.json"))
        return Dictionary(
            uniqueKeysWithValues: try JSONDecoder().decode([Stats].self, from: data).map { ($0.source, $0) })
    }

    /// Distinct callers as STATS.json counts them: one per userIdentity.arn (a role session is its
    /// role plus session name), one per service.
    func principals(_ totals: EventTotals) -> Int {
        Set(totals.calls.keys.filter { $0.principalKind != .unknown }.map { "\($0.principal)|\($0.session)" }).count
    }

    func pairs(_ totals: EventTotals) -> Int {
        Set(totals.calls.keys.map { "\($0.eventSource)|\($0.eventName)" }).count
    }

    @Test(arguments: ["sans-504-s3-ransomware-lab", "stratus-red-team-detonation-logs", "otrf-security-datasets"])
    func realSourcesAreReadCompletely(_ source: String) throws {
        let expected = try #require(try stats()[source])
        let (totals, summary) = EventReader.read(
            paths: [cloudtrail.appendingPathComponent(source).path], filter: EventFilter())
        #expect(totals.eventsRead == expected.events, "\(source)")
        #expect(pairs(totals) == expected.pairs, "\(source)")
        #expect(principals(totals) == expected.principals, "\(source)")
        #expect(summary.malformedRecords == 0, "\(summary.problems)")
    }

    @Test func theMalformedRealFileIsReportedAndStillRead() throws {
        let expected = try #require(try stats()["zmallen-cloudtrail2sightings"])
        let (totals, summary) = EventReader.read(
            paths: [cloudtrail.appendingPathComponent("zmallen-cloudtrail2sightings").path], filter: EventFilter())
        #expect(totals.eventsRead == expected.events)
        #expect(pairs(totals) == expected.pairs)
        // One file of the archive lacks two commas between records; both are reported, all 15 events read.
        #expect(
            summary.problems.map(\.message) == [
                "missing ',' at byte 3327; read on as if it were there",
                "missing ',' at byte 6226; read on as if it were there",
            ])
        #expect(summary.problems.allSatisfy { $0.path.hasSuffix("cloudtrail.zip:aws.execution.ec2-user-data.json") })
        #expect(summary.filesSkipped["not CloudTrail JSON or an Athena CSV"] == 2)  // LICENSE and SOURCE.txt
    }

    @Test func everyRecordShapeIsRead() throws {
        let shapes = Repository.shared.appendingPathComponent("data/record-shapes")
        let expectations: [(file: String, events: Int, shape: InputShape?)] = [
            ("01-s3-delivery-Records.real.json.gz", 3, .s3Delivery),
            ("02-json-array-of-events.grimoire.real-anonymized.json", 3, .jsonArray),
            ("03-lookup-events.aws-cli-doc-example.json", 1, .lookupEvents),
            ("04-cloudtrail-lake-get-query-results.aws-doc-example.json", 2, .lakeQueryResults),
            ("05-eventbridge-envelope.aws-doc-example.json", 1, .eventBridge),
            ("06-athena-result-row.hive-struct.real-format.json", 1, .singleEvent),
            ("07-ndjson-siem-export.otrf-logstash.real.jsonl", 3, .ndjson),
            ("08-records-with-datadog-forwarder-fields.real.json", 1, .s3Delivery),
        ]
        for expectation in expectations {
            let path = shapes.appendingPathComponent(expectation.file).path
            let (totals, summary) = EventReader.read(paths: [path], filter: EventFilter())
            #expect(totals.eventsRead == expectation.events, "\(expectation.file): \(summary.problems)")
            #expect(summary.problems.isEmpty, "\(expectation.file): \(summary.problems)")
            if let shape = expectation.shape {
                #expect(summary.shapes[shape.rawValue] == 1, "\(expectation.file): \(summary.shapes)")
            }
        }
    }
}
