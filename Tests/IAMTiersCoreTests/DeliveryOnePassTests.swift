import Foundation
import Testing

@testable import IAMTiersCore

/// Whole delivery files are read in one pass and handed to the splitter at the first thing that is
/// not a plain record: what they yield must be what the splitter alone yields.
@Suite struct DeliveryOnePassTests {
    static let first = event("s3.amazonaws.com", "ListBuckets")
    static let second = event("ec2.amazonaws.com", "DescribeInstances", session: "bob@corp.example")
    static let third = event("iam.amazonaws.com", "GetRole")

    static let contents: [String: String] = [
        "clean": #"{"Records":[\#(first),\#(second),\#(third)]}"#,
        "missing comma between records": #"{"Records":[\#(first) \#(second),\#(third)]}"#,
        "missing comma inside a record":
            #"{"Records":[\#(first),\#(second.replacingOccurrences(of: ",\"eventName\"", with: " \"eventName\"")),\#(third)]}"#,
        "broken record": #"{"Records":[\#(first),{"eventName": tru},\#(third)]}"#,
        "a string for a record": #"{"Records":[\#(first),"x",\#(third)]}"#,
        "trailing comma": #"{"Records":[\#(first),]}"#,
        "mistyped field":
            #"{"Records":[\#(first),\#(second.replacingOccurrences(of: "\"eventTime\":\"2026-10-01T08:00:00Z\"", with: "\"eventTime\":7")),\#(third)]}"#,
        "text after the object": #"{"Records":[\#(first)]} trailing"#,
        "two delivery objects": "{\"Records\":[\(first)]}\n{\"Records\":[\(second)]}",
        "no records": #"{"Records":[]}"#,
        "another key first": #"{"version":1,"Records":[\#(first),\#(second)]}"#,
        "byte-order mark and blank lines": "\u{FEFF}\n\n{\"Records\":[\(first),\(second)]}\n",
        "cut short": #"{"Records":[\#(first),\#(second)"#,
    ]

    @Test(arguments: contents.keys.sorted())
    func aWholeGzipFileReadsAsThePlainFileDoes(_ name: String) throws {
        let text = try #require(Self.contents[name])
        let (plain, plainSummary) = try readInput(["logs.json": bytes(text)])
        let (whole, wholeSummary) = try readInput(["logs.json": try gzipped(text)])
        #expect(whole.calls == plain.calls)
        #expect(whole.eventsRead == plain.eventsRead)
        #expect(wholeSummary.problems == plainSummary.problems)
        #expect(wholeSummary.malformedRecords == plainSummary.malformedRecords)
        #expect(wholeSummary.shapes == plainSummary.shapes)
        #expect(wholeSummary.filesRead == plainSummary.filesRead)
        #expect(wholeSummary.filesUnreadable == plainSummary.filesUnreadable)
    }

    @Test func theOnePassReadsPlainRecordsAndHandsOverAtTheFirstFault() throws {
        func handover(_ text: String) -> (EventExtractor.DeliveryHandover?, events: Int) {
            var result = ExtractionResult()
            var repaired: [Int] = []
            var events = 0
            let found = Array(text.utf8).withUnsafeBufferPointer { buffer in
                EventExtractor.extractDelivery(
                    buffer, from: 0, result: &result, repairedCommas: &repaired, recordRead: { _, _ in },
                    emit: { _, _ in events += 1 })
            }
            return (found, events)
        }
        let clean = try #require(Self.contents["clean"])
        let (end, all) = handover(clean)
        #expect(end?.offset == clean.utf8.count - 2 && end?.records == 3 && end?.needsComma == true)
        #expect(all == 3)
        let gap = try #require(Self.contents["missing comma between records"])
        let (atSecond, one) = handover(gap)
        #expect(atSecond?.offset == #"{"Records":["#.utf8.count + Self.first.utf8.count + 1 && atSecond?.records == 1)
        #expect(atSecond?.needsComma == true && one == 1)
        let (atBroken, _) = handover(try #require(Self.contents["broken record"]))
        #expect(atBroken?.records == 1 && atBroken?.needsComma == false)
        #expect(handover(try #require(Self.contents["another key first"])).0 == nil)
    }
}
