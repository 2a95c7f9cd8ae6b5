import Foundation

/// Reads a usage file's two large arrays, `actions` and `people`, with the byte scanner `analyze`
/// uses; the rest of the file goes through JSONDecoder. On a usage of every catalog action
/// JSONDecoder alone took 0.3 s, which every command that opens the file (and the editor's first
/// frame) paid. It is as strict as JSONDecoder: what one refuses, the other refuses too.
enum UsageFileReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What the file says its format is; `complete` is false when the file broke off first.
    static func format(_ bytes: UnsafeBufferPointer<UInt8>) -> (format: String?, complete: Bool) {
        var scanner = JSONScanner(bytes, position: byteOrderMarkLength(bytes))
        var format: String?
        do {
            try members(&scanner, ["format"]) { scanner, _ in format = try string(&scanner) }
        } catch {
            return (format, false)
        }
        return (format, true)
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Usage {
        var scanner = JSONScanner(bytes, position: byteOrderMarkLength(bytes))
        var actions: [Usage.ActionUsage] = []
        var people: [Usage.PersonUsage] = []
        // Everything else, copied as it is into a small document for JSONDecoder.
        var others: [UInt8] = Array("{".utf8)
        do {
            var seen = (actions: false, people: false)
            try scanner.forEachMember { scanner, key in
                switch index(of: key, in: ["actions", "people"], scanner) {
                case 0:
                    guard !seen.actions else { throw scanner.error("\"actions\" appears twice") }
                    seen.actions = true
                    actions = try array(&scanner, element: actionUsage)
                case 1:
                    guard !seen.people else { throw scanner.error("\"people\" appears twice") }
                    seen.people = true
                    people = try array(&scanner, element: personUsage)
                default:
                    scanner.skipWhitespace()
                    let start = scanner.position
                    try scanner.skipValue()
                    others.append(UInt8(ascii: "\""))
                    others.append(contentsOf: bytes[key])
                    others.append(contentsOf: "\":".utf8)
                    others.append(contentsOf: bytes[start..<scanner.position])
                    others.append(UInt8(ascii: ","))
                }
            }
            if let missing = [(seen.actions, "actions"), (seen.people, "people")].first(where: { !$0.0 }) {
                throw scanner.error("missing \"\(missing.1)\"")
            }
            scanner.skipWhitespace()
            guard scanner.isAtEnd else { throw scanner.error("more after the end of the document") }
            if let comma = scanner.repairedCommas.first {
                throw JSONScanError(offset: comma, reason: "missing ','")
            }
        } catch let error as JSONScanError {
            throw Failure(description: "\(error)")
        }
        others += Array("\"actions\":[],\"people\":[]}".utf8)
        var usage = try JSONDecoder().decode(Usage.self, from: Data(others))
        usage.actions = actions
        usage.people = people
        return usage
    }

    /// A UTF-8 byte order mark, which JSONDecoder skips too.
    private static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Walks an object's members: a known name (its index in `names`) goes to `body`, which must
    /// consume the value; others are skipped (a newer version may add some). Returns which names
    /// were met; meeting one twice is an error, as values would otherwise depend on the reader.
    @discardableResult
    private static func members(
        _ scanner: inout JSONScanner, _ names: [StaticString], _ body: (inout JSONScanner, Int) throws -> Void
    ) throws -> UInt64 {
        var seen: UInt64 = 0
        try scanner.forEachMember { scanner, key in
            guard let index = index(of: key, in: names, scanner) else { return try scanner.skipValue() }
            guard seen & (1 << index) == 0 else { throw scanner.error("\"\(names[index])\" appears twice") }
            seen |= 1 << index
            try body(&scanner, index)
        }
        return seen
    }

    /// Which of `names` a key is; a key written with escapes (`"c\u006funt"`) is decoded first.
    private static func index(of key: Range<Int>, in names: [StaticString], _ scanner: JSONScanner) -> Int? {
        guard scanner.bytes[key].contains(UInt8(ascii: "\\")) else {
            return names.firstIndex { scanner.equals(key, $0) }
        }
        let text = decodeJSONString(UnsafeBufferPointer(rebasing: scanner.bytes[key]))
        return names.firstIndex { $0.description == text }
    }

    /// Throws naming the first of `names` (all required but `optional`) that `seen` lacks.
    private static func require(
        _ seen: UInt64, _ names: [StaticString], optional: Set<Int> = [], _ scanner: JSONScanner
    ) throws {
        if let missing = names.indices.first(where: { seen & (1 << $0) == 0 && !optional.contains($0) }) {
            throw scanner.error("missing \"\(names[missing])\"")
        }
    }

    private static func array<Element>(
        _ scanner: inout JSONScanner, element: (inout JSONScanner) throws -> Element
    ) throws -> [Element] {
        var elements: [Element] = []
        try scanner.forEachElement { scanner, _ in elements.append(try element(&scanner)) }
        return elements
    }

    private static func string(_ scanner: inout JSONScanner) throws -> String {
        let start = scanner.position
        let range = try scanner.readString()
        let raw = UnsafeBufferPointer(rebasing: scanner.bytes[range])
        guard isValidStringContent(raw) else {
            scanner.position = start
            throw scanner.error("not a valid JSON string")
        }
        return decodeJSONString(raw)
    }

    /// What JSON allows between quotes: valid UTF-8 without control characters, and only the
    /// escapes \" \\ \/ \b \f \n \r \t and \uXXXX, surrogates in pairs.
    private static func isValidStringContent(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var (escaped, wide) = (false, false)
        for byte in raw {
            if byte < 0x20 { return false }
            escaped = escaped || byte == UInt8(ascii: "\\")
            wide = wide || byte >= 0x80
        }
        guard escaped || wide else { return true }  // plain ASCII, as nearly every name is
        if wide && String(validating: raw, as: UTF8.self) == nil { return false }
        func hex(_ start: Int) -> UInt32? {
            guard start + 4 <= raw.count else { return nil }
            return UInt32(
                String(decoding: UnsafeBufferPointer(rebasing: raw[start..<start + 4]), as: UTF8.self), radix: 16)
        }
        var index = 0
        while let slash = raw[index...].firstIndex(of: UInt8(ascii: "\\")) {
            guard slash + 1 < raw.count else { return false }
            switch raw[slash + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                index = slash + 2
            case UInt8(ascii: "u"):
                guard let value = hex(slash + 2) else { return false }
                index = slash + 6
                if (0xDC00..<0xE000).contains(value) { return false }  // a low surrogate alone
                if (0xD800..<0xDC00).contains(value) {
                    guard index + 1 < raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u"),
                        let low = hex(index + 2), (0xDC00..<0xE000).contains(low)
                    else { return false }
                    index += 6
                }
            default: return false
            }
        }
        return true
    }

    private static func strings(_ scanner: inout JSONScanner) throws -> [String] {
        try array(&scanner, element: string)
    }

    /// A count: a whole number from 0, written without a fraction or an exponent.
    private static func count(_ scanner: inout JSONScanner) throws -> Int {
        scanner.skipWhitespace()
        var value = 0
        let start = scanner.position
        while let byte = scanner.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { throw scanner.error("a count too large") }
            value = sum
            scanner.position += 1
        }
        switch scanner.current {
        case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
            throw scanner.error("a count must be a whole number")
        case _ where scanner.position == start: throw scanner.error("a count must be a number from 0")
        default: return value
        }
    }

    private static func time(_ scanner: inout JSONScanner) throws -> EventTime? {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "\"") else {
            let start = scanner.position
            try scanner.skipValue()
            guard scanner.equals(start..<scanner.position, "null") else { throw scanner.error("not a time") }
            return nil
        }
        let range = try scanner.readString()
        guard let time = EventTime.parse(UnsafeBufferPointer(rebasing: scanner.bytes[range])) else {
            throw scanner.error("not a time")
        }
        return time
    }

    private static let actionFields: [StaticString] = [
        "action", "accessLevel", "risk", "count", "denied", "console", "firstSeen", "lastSeen", "people", "sources",
        "onBehalf",
    ]

    private static func actionUsage(_ scanner: inout JSONScanner) throws -> Usage.ActionUsage {
        var action = ""
        var level = AccessLevel.list
        var (risk, people): ([String], [String]) = ([], [])
        var (count, denied, console, onBehalf) = (0, 0, 0, 0)
        var (first, last): (EventTime?, EventTime?)
        var sources: [Usage.SourcePair] = []
        let seen = try members(&scanner, actionFields) { scanner, field in
            switch field {
            case 0: action = try string(&scanner)
            case 1:
                guard let parsed = AccessLevel(rawValue: try string(&scanner)) else {
                    throw scanner.error("unknown access level")
                }
                level = parsed
            case 2: risk = try strings(&scanner)
            case 3: count = try Self.count(&scanner)
            case 4: denied = try Self.count(&scanner)
            case 5: console = try Self.count(&scanner)
            case 6: first = try time(&scanner)
            case 7: last = try time(&scanner)
            case 8: people = try strings(&scanner)
            case 9: sources = try array(&scanner, element: sourcePair)
            default: onBehalf = try Self.count(&scanner)
            }
        }
        try require(seen, actionFields, optional: [6, 7], scanner)
        return Usage.ActionUsage(
            action: action, accessLevel: level, risk: risk, count: count, denied: denied, console: console,
            onBehalf: onBehalf, firstSeen: first, lastSeen: last, people: people, sources: sources)
    }

    private static let sourceFields: [StaticString] = [
        "eventSource", "eventName", "count", "denied", "console", "rule", "onBehalf",
    ]

    private static func sourcePair(_ scanner: inout JSONScanner) throws -> Usage.SourcePair {
        var (source, name, rule) = ("", "", "")
        var (count, denied, console, onBehalf) = (0, 0, 0, 0)
        let seen = try members(&scanner, sourceFields) { scanner, field in
            switch field {
            case 0: source = try string(&scanner)
            case 1: name = try string(&scanner)
            case 2: count = try Self.count(&scanner)
            case 3: denied = try Self.count(&scanner)
            case 4: console = try Self.count(&scanner)
            case 5: rule = try string(&scanner)
            default: onBehalf = try Self.count(&scanner)
            }
        }
        try require(seen, sourceFields, scanner)
        return Usage.SourcePair(
            eventSource: source, eventName: name, count: count, denied: denied, console: console, onBehalf: onBehalf,
            rule: rule)
    }

    private static let personFields: [StaticString] = ["name", "calls", "denied", "firstSeen", "lastSeen", "actions"]

    private static func personUsage(_ scanner: inout JSONScanner) throws -> Usage.PersonUsage {
        var name = ""
        var (calls, denied) = (0, 0)
        var (first, last): (EventTime?, EventTime?)
        var actions: [Usage.PersonAction] = []
        let seen = try members(&scanner, personFields) { scanner, field in
            switch field {
            case 0: name = try string(&scanner)
            case 1: calls = try count(&scanner)
            case 2: denied = try count(&scanner)
            case 3: first = try time(&scanner)
            case 4: last = try time(&scanner)
            default: actions = try array(&scanner, element: personAction)
            }
        }
        try require(seen, personFields, optional: [3, 4], scanner)
        return Usage.PersonUsage(
            name: name, calls: calls, denied: denied, firstSeen: first, lastSeen: last, actions: actions)
    }

    private static let personActionFields: [StaticString] = ["action", "count", "denied"]

    private static func personAction(_ scanner: inout JSONScanner) throws -> Usage.PersonAction {
        var action = ""
        var (count, denied) = (0, 0)
        let seen = try members(&scanner, personActionFields) { scanner, field in
            switch field {
            case 0: action = try string(&scanner)
            case 1: count = try Self.count(&scanner)
            default: denied = try Self.count(&scanner)
            }
        }
        try require(seen, personActionFields, scanner)
        return Usage.PersonAction(action: action, count: count, denied: denied)
    }
}
