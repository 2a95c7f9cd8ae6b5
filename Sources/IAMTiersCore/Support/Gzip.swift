import CZlib

public enum GzipError: Error, Equatable, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let reason): return "not valid gzip data (\(reason))"
        }
    }
}

public enum Gzip {
    /// True when the bytes start with the gzip magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates gzip (or zlib) data, including concatenated gzip members as `gzip -c a b` writes them.
    /// With `limit`, stops once at least that many bytes are out (to read a header cheaply).
    public static func decompress(_ input: [UInt8], sizeHint: Int = 0, limit: Int = .max) throws -> [UInt8] {
        try inflate(input[...], sizeHint: sizeHint, limit: limit, raw: false)
    }

    /// Inflates one raw deflate stream (a zip member).
    static func inflateRaw(_ input: ArraySlice<UInt8>, sizeHint: Int) throws -> [UInt8] {
        try inflate(input, sizeHint: sizeHint, limit: .max, raw: true)
    }

    /// A file that inflates beyond this is refused rather than allowed to exhaust memory.
    static let maximumOutput = 2 << 30

    private static func inflate(_ input: ArraySlice<UInt8>, sizeHint: Int, limit: Int, raw: Bool) throws -> [UInt8] {
        var output = [UInt8]()
        // The hint may come from an untrusted header: never reserve more than 256 MiB up front.
        output.reserveCapacity(min(max(sizeHint, input.count * 4), 1 << 28))
        var chunk = [UInt8](repeating: 0, count: min(1 << 18, max(limit, 4096)))
        var offset = 0
        while offset < input.count {
            var stream = z_stream()
            let initialised = raw ? czlib_inflate_init_raw(&stream) : czlib_inflate_init_gzip(&stream)
            guard initialised == Z_OK else { throw GzipError.corrupt("zlib init failed") }
            defer { inflateEnd(&stream) }
            let consumed: Int = try input.withUnsafeBufferPointer { source in
                let available = source.count - offset
                var fed = 0
                while true {
                    // zlib counts input in 32 bits: feed inputs over 4 GiB in pieces.
                    if stream.avail_in == 0 && fed < available {
                        let piece = min(available - fed, Int(UInt32.max))
                        stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + offset + fed)
                        stream.avail_in = UInt32(piece)
                        fed += piece
                    }
                    let status: Int32 = chunk.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = UInt32(target.count)
                        return CZlib.inflate(&stream, Z_NO_FLUSH)
                    }
                    output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                    if status == Z_STREAM_END || output.count >= limit { break }
                    guard output.count <= maximumOutput else {
                        throw GzipError.corrupt("it inflates to more than \(maximumOutput >> 30) GiB; split it")
                    }
                    if status == Z_BUF_ERROR && stream.avail_in == 0 && fed < available { continue }
                    guard status == Z_OK else {
                        throw GzipError.corrupt(status == Z_BUF_ERROR ? "truncated" : "zlib status \(status)")
                    }
                }
                return fed - Int(stream.avail_in)
            }
            offset += consumed
            if output.count >= limit { break }
            // Trailing zero padding after the last member is allowed, as gzip(1) allows it.
            if raw || input.dropFirst(offset).allSatisfy({ $0 == 0 }) { break }
        }
        return output
    }
}
