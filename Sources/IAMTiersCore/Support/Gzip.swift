/// Gzip data held in memory (the bundled catalog and tables); logs are inflated as streams instead.
public enum Gzip {
    /// True when the bytes start with the gzip magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates gzip data, including concatenated members. With `limit`, stops once at least that
    /// many bytes are out (to read a header cheaply).
    public static func decompress(_ input: [UInt8], sizeHint: Int = 0, limit: Int = .max) throws -> [UInt8] {
        // Whole, in one call to libdeflate, where it can be (the catalog, at every start): no ratio
        // bound, as the streaming path has none here, and WholeGzip bounds the output.
        if limit == .max, let whole = WholeGzip.inflate(input, ratioGuard: .init(ratio: 1, floor: .max)) {
            return whole
        }
        let source = try InflatingSource(MemoryByteSource(input[...]), format: .gzip, ratioGuard: nil)
        var output = [UInt8]()
        // The hint may come from an untrusted header: never reserve more than 256 MiB up front.
        output.reserveCapacity(min(max(sizeHint, input.count * 4), 1 << 28))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while output.count < limit {
            let got = try chunk.withUnsafeMutableBufferPointer { try source.read(into: $0) }
            if got == 0 { break }
            output.append(contentsOf: chunk[0..<got])
        }
        return output
    }
}
