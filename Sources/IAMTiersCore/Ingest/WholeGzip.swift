import CLibDeflate
import Foundation
import Synchronization

/// A small gzip file inflated in one call by libdeflate, which is faster than streaming it through
/// zlib; CloudTrail delivers files of kilobytes. Only where the result is known and bounded: one
/// member, whose trailer states its size, no larger than `maximumOutput` and within the bomb
/// ratio. Anything else (several members, a lie in the trailer, corrupt data) is left to the
/// streaming path, which reports it in its own words.
enum WholeGzip {
    /// Compressed files up to this size are read whole (the chunked path reads 1 MiB at a time).
    static let maximumInput = 4 << 20
    /// What one inflated file may take in memory, per reading thread.
    static let maximumOutput = 32 << 20

    static func inflate(_ compressed: [UInt8], ratioGuard: InflatingSource.RatioGuard) -> [UInt8]? {
        guard compressed.count >= 18 && compressed.count <= maximumInput else { return nil }
        // ISIZE: the member's size modulo 2^32, little-endian in the last four bytes.
        let size = compressed.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
        guard size <= maximumOutput,
            Int64(size) <= ratioGuard.floor || size <= compressed.count * ratioGuard.ratio
        else { return nil }
        guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        var consumed = 0
        var produced = 0
        var result: libdeflate_result = LIBDEFLATE_BAD_DATA
        let inflated = [UInt8](unsafeUninitializedCapacity: size) { output, count in
            result = compressed.withUnsafeBytes { input in
                libdeflate_gzip_decompress_ex(
                    decompressor, input.baseAddress, input.count, output.baseAddress, size, &consumed, &produced)
            }
            count = result == LIBDEFLATE_SUCCESS ? produced : 0
        }
        guard result == LIBDEFLATE_SUCCESS, consumed == compressed.count, produced == size else { return nil }
        return inflated
    }
}

/// The floor `Benchmarks/analyze` compares `analyze` with: every `.json.gz` file under the folders
/// inflated by the same code (`WholeGzip`, else zlib streaming) on `threads` threads, nothing
/// parsed. Returns the bytes inflated.
public enum DecompressionFloor {
    public static func inflate(folders: [String], threads: Int) -> Int64 {
        let files = folders.flatMap { folder in
            (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".json.gz") }.map { (folder as NSString).appendingPathComponent($0) }
        }
        let total = Mutex<Int64>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { worker in
            var mine: Int64 = 0
            let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
            defer { chunk.deallocate() }
            for index in stride(from: worker, to: files.count, by: max(1, threads)) {
                guard let file = try? InputFile(path: files[index]) else { continue }
                let source = FileByteSource(file)
                if let whole = try? source.remainingBytes(atMost: WholeGzip.maximumInput),
                    let inflated = WholeGzip.inflate(whole, ratioGuard: InputLimits().ratioGuard)
                {
                    mine += Int64(inflated.count)
                    continue
                }
                guard let bytes = try? file.bytes(at: 0, count: Int(min(file.size, Int64(Int32.max)))),
                    let stream = try? InflatingSource(MemoryByteSource(bytes[...]), format: .gzip, ratioGuard: nil)
                else { continue }
                while let got = try? stream.read(into: chunk), got > 0 { mine += Int64(got) }
            }
            total.withLock { $0 += mine }
        }
        return total.withLock { $0 }
    }
}
