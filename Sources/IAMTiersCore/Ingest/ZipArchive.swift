/// Reads the members of a zip archive (stored or deflated), as some public CloudTrail samples ship,
/// straight from the file: one member is streamed at a time.
enum ZipArchive {
    struct Member {
        var name: String
        /// The member's content as it is read (inflated when deflated).
        var content: ByteSource
    }

    enum ReadError: Error, CustomStringConvertible {
        case malformed(String)
        case unsupported(member: String, method: Int)

        var description: String {
            switch self {
            case .malformed(let reason): return "not a readable zip archive (\(reason))"
            case .unsupported(let member, let method): return "zip member \(member) uses compression method \(method)"
            }
        }
    }

    /// A central directory above this is not a log archive's.
    static let maximumDirectoryBytes = 64 << 20

    static func isArchive(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04
    }

    /// Visits every file member in central-directory order. A member that cannot be read is passed
    /// as an error beside the others.
    static func forEachMember(
        of file: InputFile, ratioGuard: InflatingSource.RatioGuard, _ visit: (Result<Member, ReadError>) -> Void
    ) throws {
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        let tailStart = max(0, file.size - 65_557)
        let tail = try file.bytes(at: tailStart, count: Int(file.size - tailStart))
        guard
            let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
                tail[$0] == 0x50 && tail[$0 + 1] == 0x4B && tail[$0 + 2] == 0x05 && tail[$0 + 3] == 0x06
            })
        else { throw ReadError.malformed("no central directory") }
        let count = uint16(tail, end + 10)
        let directorySize = uint32(tail, end + 12)
        let directoryOffset = Int64(uint32(tail, end + 16))
        guard directorySize <= maximumDirectoryBytes, directoryOffset + Int64(directorySize) <= file.size else {
            throw ReadError.malformed("the central directory is out of bounds")
        }
        let directory = try file.bytes(at: directoryOffset, count: directorySize)
        var entry = 0
        for _ in 0..<count {
            guard entry + 46 <= directory.count, uint32(directory, entry) == 0x0201_4B50 else {
                throw ReadError.malformed("bad central directory entry")
            }
            let method = uint16(directory, entry + 10)
            let compressedSize = Int64(uint32(directory, entry + 20))
            let nameLength = uint16(directory, entry + 28)
            let extraLength = uint16(directory, entry + 30)
            let commentLength = uint16(directory, entry + 32)
            let local = Int64(uint32(directory, entry + 42))
            guard entry + 46 + nameLength <= directory.count else { throw ReadError.malformed("truncated entry name") }
            let name = String(decoding: directory[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            entry += 46 + nameLength + extraLength + commentLength
            if name.hasSuffix("/") { continue }
            let header = try file.bytes(at: local, count: 30)
            guard header.count == 30, uint32(header, 0) == 0x0403_4B50 else {
                visit(.failure(.malformed("bad local header of \(name)")))
                continue
            }
            let dataStart = local + 30 + Int64(uint16(header, 26) + uint16(header, 28))
            guard dataStart + compressedSize <= file.size else {
                visit(.failure(.malformed("\(name) is truncated")))
                continue
            }
            let data = FileByteSource(file, offset: dataStart, length: compressedSize)
            switch method {
            case 0: visit(.success(Member(name: name, content: data)))
            case 8:
                do {
                    let inflated = try InflatingSource(data, format: .rawDeflate, ratioGuard: ratioGuard)
                    visit(.success(Member(name: name, content: inflated)))
                } catch {
                    visit(.failure(.malformed("\(name): \(error)")))
                }
            default: visit(.failure(.unsupported(member: name, method: method)))
            }
        }
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> Int {
        uint16(bytes, offset) | uint16(bytes, offset + 2) << 16
    }
}
