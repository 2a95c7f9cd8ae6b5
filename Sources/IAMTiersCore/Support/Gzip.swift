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

    private static func inflate(_ input: ArraySlice<UInt8>, sizeHint: Int, limit: Int, raw: Bool) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(max(sizeHint, input.count * 4))
        var chunk = [UInt8](repeating: 0, count: min(1 << 18, max(limit, 4096)))
        var offset = 0
        while offset < input.count {
            var stream = z_stream()
            let initialised = raw ? czlib_inflate_init_raw(&stream) : czlib_inflate_init_gzip(&stream)
            guard initialised == Z_OK else { throw GzipError.corrupt("zlib init failed") }
            defer { inflateEnd(&stream) }
            let consumed: Int = try input.withUnsafeBufferPointer { source in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + offset)
                stream.avail_in = UInt32(source.count - offset)
                while true {
                    let status: Int32 = chunk.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = UInt32(target.count)
                        return CZlib.inflate(&stream, Z_NO_FLUSH)
                    }
                    output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                    if status == Z_STREAM_END || output.count >= limit { break }
                    guard status == Z_OK else {
                        throw GzipError.corrupt(status == Z_BUF_ERROR ? "truncated" : "zlib status \(status)")
                    }
                }
                return source.count - offset - Int(stream.avail_in)
            }
            offset += consumed
            if output.count >= limit { break }
            // Trailing zero padding after the last member is allowed, as gzip(1) allows it.
            if raw || input.dropFirst(offset).allSatisfy({ $0 == 0 }) { break }
        }
        return output
    }
}
