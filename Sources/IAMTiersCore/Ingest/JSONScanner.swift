import Foundation

/// A syntax error in JSON input, with the byte offset where it was found.
public struct JSONScanError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}

/// A forward-only reader over JSON bytes that never builds a tree: it finds keys, returns the byte
/// ranges of string values and skips everything else. The extractor pulls the handful of CloudTrail
/// fields it needs this way, which is what makes analysing gigabytes of logs fast. The steps every
/// string takes are inlined: as calls, each one copied the scanner for a few instructions of work.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    /// Missing commas the scanner stepped over (one real CloudTrail file has one); reported, not fatal.
    var repairedCommas: [Int] = []
    /// The first field whose value is not of the type CloudTrail gives it: its key, and the value's offset.
    private(set) var mistyped: (key: Range<Int>, offset: Int, expected: String)?

    mutating func noteMistyped(_ key: Range<Int>, expected: String) {
        if mistyped == nil { mistyped = (key, position, expected) }
    }

    /// The mistyped field noted so far, forgotten: the next record is judged on its own.
    mutating func takeMistyped() -> (key: Range<Int>, offset: Int, expected: String)? {
        defer { mistyped = nil }
        return mistyped
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always)
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func error(_ reason: String) -> JSONScanError { JSONScanError(offset: position, reason: reason) }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after optional whitespace.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard current == byte else { throw error("expected \(what)") }
        position += 1
    }

    /// The raw content of a string (escapes not decoded), the scanner left after its closing quote.
    @inline(__always)
    mutating func readString() throws -> Range<Int> {
        skipWhitespace()
        guard current == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        var search = start
        while true {
            guard let quote = nextQuote(from: search) else {
                position = bytes.count
                throw error("unterminated string")
            }
            var backslashes = 0
            while quote - backslashes - 1 >= start && bytes[quote - backslashes - 1] == UInt8(ascii: "\\") {
                backslashes += 1
            }
            if backslashes % 2 == 0 {
                position = quote + 1
                return start..<quote
            }
            search = quote + 1
        }
    }

    /// Skips one value of any type.
    mutating func skipValue() throws {
        skipWhitespace()
        guard let byte = current else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        default: try skipLiteral()
        }
    }

    /// Skips numbers, true, false and null.
    mutating func skipLiteral() throws {
        let start = position
        scan: while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: break scan
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "E"):
                position += 1
            default: throw error("unexpected character")
            }
        }
        guard position > start else { throw error("expected a value") }
        if bytes[start] >= UInt8(ascii: "a") {
            let word = start..<position
            guard equals(word, "true") || equals(word, "false") || equals(word, "null") else {
                position = start
                throw error("unexpected character")
            }
        }
    }

    /// Reads true/false (also the strings "true"/"false", as some CloudTrail fields are written).
    mutating func readBool() throws -> Bool? {
        skipWhitespace()
        if current == UInt8(ascii: "\"") {
            let range = try readString()
            return equals(range, "true") ? true : equals(range, "false") ? false : nil
        }
        let start = position
        try skipValue()
        return equals(start..<position, "true") ? true : equals(start..<position, "false") ? false : nil
    }

    /// Skips an object or array by counting brackets outside strings.
    private mutating func skipContainer() throws {
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                _ = try readString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    position += 1
                    return
                }
            default: break
            }
            position += 1
        }
        throw error("unterminated object or array")
    }

    /// Walks the members of an object: `body` is called with each key's raw range and must consume
    /// the value. Tolerates a missing comma between members, recording where.
    mutating func forEachMember(_ body: (inout JSONScanner, Range<Int>) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after a key")
            try body(&self, key)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            case UInt8(ascii: "\""): repairedCommas.append(position)
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// Walks the elements of an array; `body` must consume each element.
    mutating func forEachElement(_ body: (inout JSONScanner, Int) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "'['")
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return
        }
        var index = 0
        while true {
            try body(&self, index)
            index += 1
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""): repairedCommas.append(position)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
        bytesMatch(bytes, range, text)
    }

    /// Whether the bytes in `range` are `lowercased` (ASCII lower case), whatever their case.
    func equalsIgnoringCase(_ range: Range<Int>, _ lowercased: [UInt8]) -> Bool {
        range.count == lowercased.count && zip(bytes[range], lowercased).allSatisfy { asciiLowercased($0) == $1 }
    }

    /// Whether the bytes in `range` end with `lowercased`, whatever their case.
    func hasSuffixIgnoringCase(_ range: Range<Int>, _ lowercased: [UInt8]) -> Bool {
        range.count >= lowercased.count
            && equalsIgnoringCase((range.upperBound - lowercased.count)..<range.upperBound, lowercased)
    }

    /// The next `"` from `start`, eight bytes at a time for the first words (most strings are a
    /// few words long, too short for a call to memchr to pay), memchr beyond them.
    @inline(__always)
    func nextQuote(from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index + 8 <= bytes.count {
            if index - start >= 32 { return find(UInt8(ascii: "\""), from: index) }
            // A byte of the word is a quote where the word XOR quotes has a zero byte; the lowest
            // flagged byte is always a true one.
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x2222_2222_2222_2222
            let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeros != 0 { return index + zeros.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") { return index }
            index += 1
        }
        return nil
    }

    func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let hit = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}

/// Whether the bytes in `range` are `text` (or, with `prefix`, start with it).
func bytesMatch(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?, _ text: StaticString, prefix: Bool = false,
    suffix: Bool = false
) -> Bool {
    let length = text.utf8CodeUnitCount
    guard let range, prefix || suffix ? range.count >= length : range.count == length, let base = buffer.baseAddress
    else {
        return false
    }
    let start = suffix ? range.upperBound - length : range.lowerBound
    return memcmp(base + start, text.utf8Start, length) == 0
}

/// Decodes the raw content of a JSON string (as `readString` returns it) into a Swift string.
func decodeJSONString(_ raw: UnsafeBufferPointer<UInt8>) -> String {
    guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
    var scalars = String.UnicodeScalarView()
    var utf8 = [UInt8]()
    func flush() {
        if !utf8.isEmpty {
            scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
        }
    }
    var index = 0
    while index < raw.count {
        let byte = raw[index]
        guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
            utf8.append(byte)
            index += 1
            continue
        }
        let escape = raw[index + 1]
        index += 2
        switch escape {
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "u"):
            flush()
            var value = hexValue(raw, index)
            index += 4
            // A surrogate pair encodes one scalar above U+FFFF.
            if (0xD800..<0xDC00).contains(value), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                raw[index + 1] == UInt8(ascii: "u")
            {
                let low = hexValue(raw, index + 2)
                if (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
            }
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        default: utf8.append(escape)  // \" \\ \/
        }
    }
    flush()
    return String(scalars)
}

private func hexValue(_ raw: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32 {
    guard start + 4 <= raw.count else { return 0xFFFD }
    var value: UInt32 = 0
    for offset in 0..<4 {
        let byte = raw[start + offset]
        let digit: UInt32
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
        default: return 0xFFFD
        }
        value = value << 4 | digit
    }
    return value
}
