import CZlib
import Foundation

/// Bytes that arrive in pieces, so an input of any size is read in bounded memory.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer`; 0 means the end. Throws on a read error or corrupt data.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int
}

/// A read error, worded as the system words it ("Permission denied").
struct SystemError: Error, CustomStringConvertible {
    let description: String

    init(_ action: String, errno code: Int32 = errno) {
        description = "\(action): \(String(cString: strerror(code)))"
    }
}

/// An open file, closed when the last reader lets go of it.
final class InputFile {
    let descriptor: Int32
    let size: Int64
    /// False for a pipe (`analyze <(zcat …)`): read front to back only, to its end.
    let isRegular: Bool

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError("cannot open the file") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw SystemError("cannot read the file", errno: code)
        }
        self.descriptor = descriptor
        isRegular = status.st_mode & S_IFMT == S_IFREG
        size = isRegular ? Int64(status.st_size) : .max
    }

    deinit { close(descriptor) }

    /// Asks the kernel to start reading the file into its cache, without waiting: logs fresh from S3
    /// are not cached yet, and a worker that reads them one after another waits on each.
    static func prefetch(_ path: String) {
        // Regular files only: opening a named pipe, even for a moment, lets its writer start
        // writing to a reader that then goes away.
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_WILLNEED))
        close(descriptor)
    }

    /// Exactly `count` bytes at `offset` (fewer only at the end of the file).
    func bytes(at offset: Int64, count: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let got = try result.withUnsafeMutableBufferPointer { try read(into: $0, at: offset) }
        result.removeLast(count - got)
        return result
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let address = buffer.baseAddress! + done
            let got =
                isRegular
                ? pread(descriptor, address, buffer.count - done, off_t(offset) + off_t(done))
                : Glibc.read(descriptor, address, buffer.count - done)
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemError("cannot read the file")
            }
            if got == 0 { break }
            done += got
        }
        return done
    }
}

/// A file, or a range of one (a zip member's data), read front to back.
final class FileByteSource: ByteSource {
    private let file: InputFile
    private var offset: Int64
    private let end: Int64

    init(_ file: InputFile, offset: Int64 = 0, length: Int64? = nil) {
        self.file = file
        self.offset = offset
        end = length.map { offset + $0 } ?? file.size
    }

    /// The rest of the file, when it is no more than `limit` bytes; nil (and nothing read) else.
    func remainingBytes(atMost limit: Int) throws -> [UInt8]? {
        let remaining = end - offset
        guard file.isRegular, remaining <= Int64(limit) else { return nil }
        let bytes = try file.bytes(at: offset, count: Int(remaining))
        offset += Int64(bytes.count)
        return bytes
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        // A file that grows while read is read to the size it had when opened.
        let wanted = Int(min(Int64(buffer.count), max(0, end - offset)))
        guard wanted > 0 else { return 0 }
        let got = try file.read(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<wanted]), at: offset)
        offset += Int64(got)
        return got
    }
}

/// Bytes already in memory (a bundled resource).
final class MemoryByteSource: ByteSource {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        let count = min(buffer.count, bytes.endIndex - position)
        guard count > 0 else { return 0 }
        _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<count]).initialize(
            from: bytes[position..<(position + count)])
        position += count
        return count
    }
}

/// Replays bytes already read (to tell what a stream holds) before the rest of it.
final class PrefixedByteSource: ByteSource {
    private var prefix: ArraySlice<UInt8>
    private let rest: ByteSource

    init(_ prefix: ArraySlice<UInt8>, then rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        guard prefix.isEmpty else {
            let count = min(buffer.count, prefix.count)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<count]).initialize(from: prefix.prefix(count))
            prefix = prefix.dropFirst(count)
            return count
        }
        return try rest.read(into: buffer)
    }
}

public enum GzipError: Error, Equatable, CustomStringConvertible {
    case corrupt(String)
    /// More out than the ratio guard allows for what went in: a decompression bomb, not a log.
    case bomb(ratio: Int, after: Int64)

    public var description: String {
        switch self {
        case .corrupt(let reason): return "not valid gzip data (\(reason))"
        case .bomb(let ratio, let after):
            return
                "inflates more than \(ratio) bytes for each compressed byte (a decompression bomb, not a log): stopped after \(formatBytes(after))"
        }
    }
}

/// Inflates gzip (concatenated members too, as `gzip -c a b` writes them) or one raw deflate stream
/// (a zip member) as it is read.
final class InflatingSource: ByteSource {
    enum Format { case gzip, rawDeflate }

    /// Stops a stream that inflates more than `ratio` to one once `floor` bytes are out; nil for trusted data.
    struct RatioGuard {
        var ratio: Int
        var floor: Int64
    }

    private let upstream: ByteSource
    private let format: Format
    private let ratioGuard: RatioGuard?
    // zlib keeps a pointer back to its stream, so the stream must not move: it lives on the heap.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
    private var upstreamEnded = false
    private var finished = false
    private var memberOutput: Int64 = 0
    private(set) var bytesIn: Int64 = 0
    private(set) var bytesOut: Int64 = 0
    /// Bytes after the last gzip member that are not gzip data: read around, not fatal.
    private(set) var trailingData: String?

    init(_ upstream: ByteSource, format: Format, ratioGuard: RatioGuard?) throws {
        self.upstream = upstream
        self.format = format
        self.ratioGuard = ratioGuard
        stream.initialize(to: z_stream())
        let status = format == .gzip ? czlib_inflate_init_gzip(stream) : czlib_inflate_init_raw(stream)
        guard status == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw GzipError.corrupt("zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.pointee.next_out = buffer.baseAddress
        stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let room = Int(stream.pointee.avail_out)
        while Int(stream.pointee.avail_out) == room && !finished {
            if stream.pointee.avail_in == 0 && !upstreamEnded { try refill() }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            memberOutput += Int64(room - Int(stream.pointee.avail_out))
            switch status {
            case Z_OK: continue
            case Z_STREAM_END: try startNextMember()
            case Z_BUF_ERROR where stream.pointee.avail_in == 0 && !upstreamEnded: continue
            case Z_BUF_ERROR: throw GzipError.corrupt("truncated")
            default:
                // A later member that is not gzip at all is junk after the data, not a broken file.
                if bytesOut + Int64(room - Int(stream.pointee.avail_out)) > 0 && memberOutput == 0 && format == .gzip {
                    trailingData = "data after the last gzip member is not gzip: ignored"
                    finished = true
                } else {
                    throw GzipError.corrupt(zlibMessage(status))
                }
            }
        }
        let produced = room - Int(stream.pointee.avail_out)
        bytesOut += Int64(produced)
        if let ratioGuard, bytesOut > ratioGuard.floor, bytesOut > Int64(ratioGuard.ratio) * max(bytesIn, 1) {
            throw GzipError.bomb(ratio: ratioGuard.ratio, after: bytesOut)
        }
        return produced
    }

    private func refill() throws {
        let got = try upstream.read(into: input)
        if got == 0 {
            upstreamEnded = true
        } else {
            bytesIn += Int64(got)
        }
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(got)
    }

    /// After a gzip member: another member, zero padding (allowed, as gzip(1) allows it) or the end.
    private func startNextMember() throws {
        guard format == .gzip else {
            finished = true
            return
        }
        while true {
            while stream.pointee.avail_in > 0 && stream.pointee.next_in.pointee == 0 {
                stream.pointee.next_in += 1
                stream.pointee.avail_in -= 1
            }
            if stream.pointee.avail_in > 0 { break }
            if upstreamEnded {
                finished = true
                return
            }
            try refill()
        }
        inflateReset(stream)
        memberOutput = 0
    }

    private func zlibMessage(_ status: Int32) -> String {
        guard let message = stream.pointee.msg else { return "zlib status \(status)" }
        return String(cString: message)
    }
}
