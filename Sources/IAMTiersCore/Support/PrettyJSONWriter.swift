/// Builds JSON in the layout of Foundation's JSONEncoder with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (two-space indents, `"key" : value`, empty containers on three lines),
/// straight into bytes: for files that must diff cleanly against ones JSONEncoder wrote, at a
/// fraction of its cost. The caller writes an object's keys in UTF-8 byte order, as `.sortedKeys` does.
struct PrettyJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var depth = 0
    /// Whether the open container has no member yet.
    private var isEmpty = true

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; its value follows.
    mutating func key(_ name: String) {
        startMember()
        string(name)
        bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
    }

    /// Starts an element of the open array; its value follows.
    mutating func element() { startMember() }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plainFrom = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                appendEscape(byte)
                plainFrom = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The digits written in place, last first and then turned round: no String for each count.
    mutating func number(_ value: some BinaryInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = UInt64(value.magnitude)
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// Ends a line after the last value, as a file does.
    mutating func newline() { bytes.append(0x0A) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    // MARK: Shapes the files repeat

    mutating func member(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    mutating func member(_ name: String, _ value: some BinaryInteger) {
        key(name)
        number(value)
    }

    mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// A member JSONEncoder leaves out when the value is nil.
    mutating func member(_ name: String, ifPresent text: String?) {
        if let text { member(name, text) }
    }

    mutating func member(_ name: String, _ texts: [String]) {
        key(name)
        beginArray()
        for text in texts {
            element()
            string(text)
        }
        endArray()
    }

    mutating func member(_ name: String, _ counts: [String: Int]) {
        key(name)
        beginObject()
        for (text, count) in counts.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            member(text, count)
        }
        endObject()
    }

    mutating func member<Element>(_ name: String, _ elements: [Element], _ write: (inout Self, Element) -> Void) {
        key(name)
        beginArray()
        for value in elements {
            element()
            write(&self, value)
        }
        endArray()
    }

    // MARK: Layout

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        isEmpty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(0x0A)
        if isEmpty { bytes.append(0x0A) }
        indent()
        bytes.append(bracket)
        // The container was a member of its parent, which therefore is not empty.
        isEmpty = false
    }

    private mutating func startMember() {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        bytes.append(0x0A)
        indent()
    }

    private mutating func indent() { bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth)) }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: [
                UInt8(ascii: "u"), 0x30, 0x30, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)],
            ])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
