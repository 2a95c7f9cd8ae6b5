import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

@Suite struct GzipTests {
    @Test func roundTripsWhatGzipWrites() throws {
        let compressed = try gzipBytes("hello, catalog\n")
        #expect(Gzip.isCompressed(compressed))
        #expect(try Gzip.decompress(compressed) == Array("hello, catalog\n".utf8))
    }

    @Test func concatenatedMembersAreAllRead() throws {
        let both = try gzipBytes("first\n") + gzipBytes("second\n")
        #expect(try Gzip.decompress(both) == Array("first\nsecond\n".utf8))
    }

    @Test func truncatedDataIsAnError() throws {
        let compressed = try gzipBytes(String(repeating: "records ", count: 500))
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(compressed.prefix(compressed.count / 2))) }
        #expect(throws: GzipError.self) { try Gzip.decompress([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff]) }
    }

    /// Compresses with the system's gzip(1), an independent implementation.
    func gzipBytes(_ text: String) throws -> [UInt8] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("data")
        try Data(text.utf8).write(to: file)
        return [UInt8](try run("/bin/gzip", ["-c", "-n", file.path]).stdoutData)
    }
}

/// libdeflate's one-call inflate for small files, and everything it leaves to the streaming path.
@Suite struct WholeGzipTests {
    let guardRail = InputLimits().ratioGuard

    @Test func aSmallMemberInflatesAsZlibInflatesIt() throws {
        let text = String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 2_000)
        let compressed = try gzipped(text)
        #expect(WholeGzip.inflate(compressed, ratioGuard: guardRail) == Array(text.utf8))
        #expect(try Gzip.decompress(compressed) == Array(text.utf8))
    }

    @Test func severalMembersALyingTrailerCorruptionOrABombAreLeftToTheStream() throws {
        let two = try gzipped("first\n") + gzipped("second\n")
        #expect(WholeGzip.inflate(two, ratioGuard: guardRail) == nil)
        var lying = try gzipped(String(repeating: "x", count: 1_000))
        lying[lying.count - 4] ^= 0x01  // the size in the trailer, off by one
        #expect(WholeGzip.inflate(lying, ratioGuard: guardRail) == nil)
        var corrupt = try gzipped(String(repeating: "records ", count: 500))
        corrupt[corrupt.count / 2] ^= 0xff
        #expect(WholeGzip.inflate(corrupt, ratioGuard: guardRail) == nil)
        // 20 MB of one byte: over the ratio and over the floor, so the stream reports the bomb.
        let bomb = try gzipped(String(repeating: " ", count: 20 << 20))
        #expect(WholeGzip.inflate(bomb, ratioGuard: guardRail) == nil)
    }
}

@Suite struct DecompressionFloorTests {
    @Test func everyGzipFileIsInflatedAndCountedOnEveryThread() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let texts = ["small\n", String(repeating: "records ", count: 5_000)]
        for (index, text) in texts.enumerated() {
            try Data(try gzipped(text)).write(to: folder.appendingPathComponent("\(index).json.gz"))
        }
        // Several members: the streaming path.
        try Data(try gzipped("first\n") + gzipped("second\n")).write(to: folder.appendingPathComponent("2.json.gz"))
        try Data("not counted".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let expected = Int64(texts.reduce(0) { $0 + $1.utf8.count } + "first\nsecond\n".utf8.count)
        for threads in [1, 2] {
            #expect(DecompressionFloor.inflate(folders: [folder.path], threads: threads) == expected)
        }
    }
}
