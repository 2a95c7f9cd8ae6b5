import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Hands out at most `pieceSize` bytes a read, so records, strings and escapes straddle reads.
private final class TrickleSource: ByteSource {
    private let bytes: [UInt8]
    private let pieceSize: Int
    private var position = 0

    init(_ bytes: [UInt8], pieceSize: Int) {
        self.bytes = bytes
        self.pieceSize = pieceSize
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let count = min(pieceSize, buffer.count, bytes.count - position)
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}

/// Reads `bytes` as one stream arriving in pieces of `pieceSize`.
private func readTrickled(_ bytes: [UInt8], pieceSize: Int, limits: InputLimits = InputLimits()) -> (
    EventTotals, EventReader.FileOutcome
) {
    var accumulator = UsageAccumulator(filter: EventFilter())
    var outcome = EventReader.FileOutcome()
    let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: EventReader.chunkBytes)
    defer { chunk.deallocate() }
    EventReader.readStream(
        TrickleSource(bytes, pieceSize: pieceSize), name: "stream", insideArchive: false, limits: limits, chunk: chunk,
        into: &accumulator, outcome: &outcome)
    return (accumulator.finish(), outcome)
}

@Suite struct StreamingInputTests {
    /// Every container shape, with escaped quotes and backslashes where a cut can fall inside them.
    static let shapes: [String: String] = {
        let tricky = event("s3.amazonaws.com", "GetObject", session: #"a\\\"b\\"#, extra: #","userAgent":"x\"}]{[\\""#)
        let inner = event("iam.amazonaws.com", "ListRoles").replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        return [
            "s3":
                "{\"Other\":{\"Records\":1},\"Records\":[\(tricky),\(event("ec2.amazonaws.com", "DescribeVpcs"))],\"x\":[]}",
            "lookup": "{\"Events\":[{\"EventId\":\"1\",\"CloudTrailEvent\":\"\(inner)\"}],\"NextToken\":\"t\"}",
            "lake": "{\"QueryResultRows\":[[{\"eventName\":\"ListBuckets\"},{\"eventSource\":\"s3.amazonaws.com\"}]]}",
            "array": "[\(tricky) , \(tricky)]",
            "ndjson": "\u{FEFF}\(tricky)\n{\"detail\":\(event("sqs.amazonaws.com", "ListQueues"))}\n",
        ]
    }()

    static let expectedShapes: [String: Set<InputShape>] = [
        "s3": [.s3Delivery], "lookup": [.lookupEvents], "lake": [.lakeQueryResults], "array": [.jsonArray],
        "ndjson": [.singleEvent, .eventBridge, .ndjson],
    ]

    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func everyWayOfCuttingTheStreamReadsTheSameEvents(pieceSize: Int) throws {
        for (name, text) in Self.shapes {
            let whole = readTrickled(bytes(text), pieceSize: .max)
            let cut = readTrickled(bytes(text), pieceSize: pieceSize)
            #expect(whole.1.problems.isEmpty, "\(name): \(whole.1.problems)")
            #expect(whole.1.shapes == Self.expectedShapes[name], "\(name)")
            #expect(whole.0.eventsRead > 0, "\(name)")
            #expect(cut.0.calls == whole.0.calls, "\(name) in pieces of \(pieceSize)")
            #expect(cut.1.shapes == whole.1.shapes, "\(name) in pieces of \(pieceSize)")
            #expect(cut.1.problems == whole.1.problems, "\(name) in pieces of \(pieceSize)")
        }
    }

    @Test func theSharedRecordShapesReadAlikeWholeAndCut() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/record-shapes").standardized
        guard FileManager.default.fileExists(atPath: folder.path) else {
            print("skipped: ../shared/data/record-shapes is not beside the project")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".txt") }
        #expect(files.count >= 8)
        for file in files {
            let content = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            let whole = readTrickled(content, pieceSize: .max)
            let cut = readTrickled(content, pieceSize: 5)
            #expect(whole.0.eventsRead > 0, "\(file)")
            #expect(cut.0.calls == whole.0.calls, "\(file)")
            #expect(cut.1.problems == whole.1.problems, "\(file)")
        }
    }

    @Test func aRecordOverTheLimitIsNamedAndTheOthersAreRead() throws {
        var limits = InputLimits()
        limits.maximumRecordBytes = 4000
        let big = event(
            "s3.amazonaws.com", "PutObject", extra: ",\"userAgent\":\"\(String(repeating: "A", count: 9000))\"")
        let text =
            "{\"Records\":[\(event("s3.amazonaws.com", "ListBuckets")),\(big),\(event("s3.amazonaws.com", "GetObject"))]}"
        let (totals, outcome) = readTrickled(bytes(text), pieceSize: 1000, limits: limits)
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1, "s3.amazonaws.com GetObject": 1])
        #expect(outcome.malformedRecords == 1)
        let problem = try #require(outcome.problems.first)
        #expect(problem.record == 1)
        #expect(problem.message.hasSuffix("is larger than 3.9 KiB: skipped"), "\(problem.message)")
    }

    @Test func aFileOverThePerFileLimitKeepsWhatCameBefore() throws {
        var limits = InputLimits()
        limits.maximumFileBytes = 3000
        let text = (0..<20).map { _ in event("s3.amazonaws.com", "ListBuckets") }.joined(separator: "\n")
        let (totals, outcome) = readTrickled(bytes(text), pieceSize: 1000, limits: limits)
        #expect(totals.eventsRead > 0 && totals.eventsRead < 20)
        #expect(
            outcome.problems.map(\.message).contains {
                $0.contains("more than 2.9 KiB of content (the per-file limit)")
            })
    }

    @Test func aGzipBombIsStoppedAndNamedWhileTheOtherFilesAreRead() throws {
        var limits = InputLimits()
        limits.inflationFloor = 1 << 20
        let bomb = try gzipped("[" + String(repeating: " ", count: 8 << 20) + "]")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(bomb).write(to: directory.appendingPathComponent("bomb.json.gz"))
        try Data(bytes("[\(event("s3.amazonaws.com", "ListBuckets"))]")).write(
            to: directory.appendingPathComponent("good.json"))
        let (totals, summary) = EventReader.read(paths: [directory.path], filter: EventFilter(), limits: limits)
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1])
        #expect(summary.problems.count == 1)
        #expect(summary.problems.first?.path.hasSuffix("bomb.json.gz") == true)
        #expect(summary.problems.first?.message.contains("a decompression bomb") == true)
        #expect(summary.filesUnreadable == 1 && summary.filesRead == 1)
    }

    @Test func aZipBombMemberIsStoppedAndTheOtherMembersAreRead() throws {
        var limits = InputLimits()
        limits.inflationFloor = 1 << 20
        let archive = try zip([
            "a.json": bytes("[\(event("s3.amazonaws.com", "ListBuckets"))]"),
            "b.json": bytes("[" + String(repeating: " ", count: 8 << 20) + "]"),
        ])
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(archive).write(to: directory.appendingPathComponent("logs.zip"))
        let (totals, summary) = EventReader.read(paths: [directory.path], filter: EventFilter(), limits: limits)
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1])
        #expect(summary.problems.map(\.path) == ["\(directory.path)/logs.zip:b.json"])
        #expect(summary.problems.first?.message.contains("a decompression bomb") == true)
    }

    @Test func aCutGzipKeepsTheEventsBeforeTheCut() throws {
        let text = (0..<400).map { event("s3.amazonaws.com", "GetObject", session: "person\($0)") }.joined(
            separator: "\n")
        let compressed = try gzipped(text)
        let (totals, outcome) = readTrickled(Array(compressed.prefix(compressed.count / 2)), pieceSize: 4096)
        #expect(totals.eventsRead > 10 && totals.eventsRead < 400)
        let message = try #require(outcome.problems.last?.message)
        #expect(message.hasPrefix("not valid gzip data (truncated); "), "\(message)")
        #expect(message.hasSuffix("events before it were read"))
        if case .unreadable = outcome.status { Issue.record("a file with events read is not unreadable") }
    }

    @Test func junkAfterTheGzipDataIsNamedNotFatal() throws {
        let compressed = try gzipped("[\(event("s3.amazonaws.com", "ListBuckets"))]") + bytes("trailing junk, not gzip")
        let (totals, outcome) = readTrickled(compressed, pieceSize: 4096)
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1])
        #expect(outcome.problems.map(\.message) == ["data after the last gzip member is not gzip: ignored"])
    }
}
