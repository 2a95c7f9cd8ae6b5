/// Reads the members of a zip archive (stored or deflated), as some public CloudTrail samples ship.
enum ZipArchive {
    struct Member {
        var name: String
        var bytes: [UInt8]
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

    static func isArchive(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// Visits every file member in central-directory order, one at a time (only one member is
    /// unpacked in memory at once). A member that cannot be read is passed as an error beside the others.
    static func forEachMember(of bytes: [UInt8], _ visit: (Result<Member, ReadError>) -> Void) throws {
        func uint16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        func uint32(_ offset: Int) -> Int { uint16(offset) | uint16(offset + 2) << 16 }
        // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
        var end = bytes.count - 22
        var found = false
        while end >= max(0, bytes.count - 65_557) {
            if bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 0x05 && bytes[end + 3] == 0x06 {
                found = true
                break
            }
            end -= 1
        }
        guard found else { throw ReadError.malformed("no central directory") }
        let count = uint16(end + 10)
        var entry = uint32(end + 16)
        for _ in 0..<count {
            guard entry + 46 <= bytes.count, uint32(entry) == 0x0201_4B50 else {
                throw ReadError.malformed("bad central directory entry")
            }
            let method = uint16(entry + 10)
            let compressedSize = uint32(entry + 20)
            let size = uint32(entry + 24)
            let nameLength = uint16(entry + 28)
            let extraLength = uint16(entry + 30)
            let commentLength = uint16(entry + 32)
            let local = uint32(entry + 42)
            guard entry + 46 + nameLength <= bytes.count else { throw ReadError.malformed("truncated entry name") }
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            entry += 46 + nameLength + extraLength + commentLength
            if name.hasSuffix("/") { continue }
            guard local + 30 <= bytes.count, uint32(local) == 0x0403_4B50 else {
                visit(.failure(.malformed("bad local header of \(name)")))
                continue
            }
            let dataStart = local + 30 + uint16(local + 26) + uint16(local + 28)
            guard dataStart + compressedSize <= bytes.count else {
                visit(.failure(.malformed("\(name) is truncated")))
                continue
            }
            let data = bytes[dataStart..<(dataStart + compressedSize)]
            switch method {
            case 0: visit(.success(Member(name: name, bytes: Array(data))))
            case 8:
                do {
                    visit(.success(Member(name: name, bytes: try Gzip.inflateRaw(data, sizeHint: size))))
                } catch {
                    visit(.failure(.malformed("\(name): \(error)")))
                }
            default: visit(.failure(.unsupported(member: name, method: method)))
            }
        }
    }
}
