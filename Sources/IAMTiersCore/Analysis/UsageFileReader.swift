import Foundation

/// Reads a usage file's two large arrays, `actions` and `people`, with the byte scanner `analyze`
/// uses; the rest of the file goes through JSONDecoder. On a usage of every catalog action
/// JSONDecoder alone took 0.3 s, which every command that opens the file (and the editor's first
/// frame) paid.
enum UsageFileReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The `format` member alone, for saying what a file is when it cannot be read as a usage.
    static func format(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var scanner = JSONScanner(bytes)
        var format: String?
        try? scanner.forEachMember { scanner, key in
            if scanner.equals(key, "format") { format = try string(&scanner) } else { try scanner.skipValue() }
        }
        return format
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Usage {
        var scanner = JSONScanner(bytes)
        var actions: [Usage.ActionUsage] = []
        var people: [Usage.PersonUsage] = []
        // Everything else, copied as it is into a small document for JSONDecoder.
        var others: [UInt8] = Array("{".utf8)
        do {
            try scanner.forEachMember { scanner, key in
                if scanner.equals(key, "actions") {
                    actions = try array(&scanner, element: actionUsage)
                } else if scanner.equals(key, "people") {
                    people = try array(&scanner, element: personUsage)
                } else {
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
        } catch let error as JSONScanError {
            throw Failure(description: "\(error)")
        }
        others += Array("\"actions\":[],\"people\":[]}".utf8)
        var usage = try JSONDecoder().decode(Usage.self, from: Data(others))
        usage.actions = actions
        usage.people = people
        return usage
    }

    private static func array<Element>(
        _ scanner: inout JSONScanner, element: (inout JSONScanner) throws -> Element
    ) throws -> [Element] {
        var elements: [Element] = []
        try scanner.forEachElement { scanner, _ in elements.append(try element(&scanner)) }
        return elements
    }

    private static func string(_ scanner: inout JSONScanner) throws -> String {
        let range = try scanner.readString()
        return decodeJSONString(UnsafeBufferPointer(rebasing: scanner.bytes[range]))
    }

    private static func strings(_ scanner: inout JSONScanner) throws -> [String] {
        try array(&scanner, element: string)
    }

    /// A non-negative integer, as the usage file writes counts.
    private static func count(_ scanner: inout JSONScanner) throws -> Int {
        scanner.skipWhitespace()
        var value = 0
        let start = scanner.position
        while let byte = scanner.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw scanner.error("a count too large") }
            value = times + Int(byte - UInt8(ascii: "0"))
            scanner.position += 1
        }
        guard scanner.position > start else { throw scanner.error("expected a count") }
        return value
    }

    private static func time(_ scanner: inout JSONScanner) throws -> EventTime? {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "\"") else {
            try scanner.skipValue()  // null
            return nil
        }
        let range = try scanner.readString()
        guard let time = EventTime.parse(UnsafeBufferPointer(rebasing: scanner.bytes[range])) else {
            throw scanner.error("not a time")
        }
        return time
    }

    private static func required<Value>(_ value: Value?, _ field: String, _ scanner: JSONScanner) throws -> Value {
        guard let value else { throw scanner.error("missing \"\(field)\"") }
        return value
    }

    /// The counts and times the records share, read wherever they appear.
    private struct Tallies {
        var count = 0
        var denied = 0
        var console = 0
        var calls = 0
        var first: EventTime?
        var last: EventTime?

        /// Reads the member when it is one of these; false leaves it to the caller.
        mutating func read(_ key: Range<Int>, _ scanner: inout JSONScanner) throws -> Bool {
            if scanner.equals(key, "count") {
                count = try UsageFileReader.count(&scanner)
            } else if scanner.equals(key, "denied") {
                denied = try UsageFileReader.count(&scanner)
            } else if scanner.equals(key, "console") {
                console = try UsageFileReader.count(&scanner)
            } else if scanner.equals(key, "calls") {
                calls = try UsageFileReader.count(&scanner)
            } else if scanner.equals(key, "firstSeen") {
                first = try time(&scanner)
            } else if scanner.equals(key, "lastSeen") {
                last = try time(&scanner)
            } else {
                return false
            }
            return true
        }
    }

    private static func actionUsage(_ scanner: inout JSONScanner) throws -> Usage.ActionUsage {
        var tallies = Tallies()
        var action: String?
        var level: AccessLevel?
        var (risk, people): ([String], [String]) = ([], [])
        var sources: [Usage.SourcePair] = []
        try scanner.forEachMember { scanner, key in
            if try tallies.read(key, &scanner) { return }
            if scanner.equals(key, "action") {
                action = try string(&scanner)
            } else if scanner.equals(key, "accessLevel") {
                guard let parsed = AccessLevel(rawValue: try string(&scanner)) else {
                    throw scanner.error("unknown access level")
                }
                level = parsed
            } else if scanner.equals(key, "risk") {
                risk = try strings(&scanner)
            } else if scanner.equals(key, "people") {
                people = try strings(&scanner)
            } else if scanner.equals(key, "sources") {
                sources = try array(&scanner, element: sourcePair)
            } else {
                try scanner.skipValue()
            }
        }
        return Usage.ActionUsage(
            action: try required(action, "action", scanner), accessLevel: try required(level, "accessLevel", scanner),
            risk: risk, count: tallies.count, denied: tallies.denied, console: tallies.console,
            firstSeen: tallies.first, lastSeen: tallies.last, people: people, sources: sources)
    }

    private static func sourcePair(_ scanner: inout JSONScanner) throws -> Usage.SourcePair {
        var tallies = Tallies()
        var (source, name, rule): (String?, String?, String?)
        try scanner.forEachMember { scanner, key in
            if try tallies.read(key, &scanner) { return }
            if scanner.equals(key, "eventSource") {
                source = try string(&scanner)
            } else if scanner.equals(key, "eventName") {
                name = try string(&scanner)
            } else if scanner.equals(key, "rule") {
                rule = try string(&scanner)
            } else {
                try scanner.skipValue()
            }
        }
        return Usage.SourcePair(
            eventSource: try required(source, "eventSource", scanner),
            eventName: try required(name, "eventName", scanner),
            count: tallies.count, denied: tallies.denied, console: tallies.console, rule: rule ?? "")
    }

    private static func personUsage(_ scanner: inout JSONScanner) throws -> Usage.PersonUsage {
        var tallies = Tallies()
        var name: String?
        var actions: [Usage.PersonAction] = []
        try scanner.forEachMember { scanner, key in
            if try tallies.read(key, &scanner) { return }
            if scanner.equals(key, "name") {
                name = try string(&scanner)
            } else if scanner.equals(key, "actions") {
                actions = try array(&scanner, element: personAction)
            } else {
                try scanner.skipValue()
            }
        }
        return Usage.PersonUsage(
            name: try required(name, "name", scanner), calls: tallies.calls, denied: tallies.denied,
            firstSeen: tallies.first, lastSeen: tallies.last, actions: actions)
    }

    private static func personAction(_ scanner: inout JSONScanner) throws -> Usage.PersonAction {
        var tallies = Tallies()
        var action: String?
        try scanner.forEachMember { scanner, key in
            if try tallies.read(key, &scanner) { return }
            if scanner.equals(key, "action") { action = try string(&scanner) } else { try scanner.skipValue() }
        }
        return Usage.PersonAction(
            action: try required(action, "action", scanner), count: tallies.count, denied: tallies.denied)
    }
}
