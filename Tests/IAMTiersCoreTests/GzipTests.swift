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
