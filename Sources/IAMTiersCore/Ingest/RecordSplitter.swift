import Foundation

/// How the extractor reads a record the splitter hands out.
enum RecordKind {
    /// An event, an EventBridge envelope or a lookup-events entry, in a container.
    case object
    /// An object on its own at the top level (a single event, an NDJSON line, an envelope).
    case topLevelObject
    /// One row of CloudTrail Lake query results: an array of one-column objects.
    case lakeRow
}

/// Cuts CloudTrail JSON, fed in chunks, into its records, so a file of any size is read holding
/// one record at a time: the elements of `Records`, `Events` and `QueryResultRows`, of a top-level
/// array, and top-level objects (NDJSON, EventBridge, single events). It follows only strings and
/// brackets; each record is then parsed in full by the extractor.
struct RecordSplitter {
    /// Called with each whole record, its byte offset in the stream and its index; false stops.
    typealias Emit = (UnsafeBufferPointer<UInt8>, _ offset: Int, _ kind: RecordKind, _ record: Int) -> Bool

    /// A record above this is skipped and reported (CloudTrail caps an event at 256 KB).
    let maximumRecordBytes: Int
    private(set) var shapes = Set<InputShape>()
    /// Offsets where two records followed each other without a comma (read on as if it were there).
    private(set) var repairedCommas: [Int] = []
    /// Records over the size limit: index and offset.
    private(set) var oversizedRecords: [(record: Int, offset: Int)] = []
    /// Where the structure stopped making sense; nothing after it is read.
    private(set) var framingError: (error: JSONScanError, record: Int)?
    private(set) var records = 0
    private(set) var topLevelValues = 0

    private struct Record {
        var offset: Int
        /// The bracket depth outside the record's opening bracket.
        var depth: Int
        var kind: RecordKind
        var oversized = false

        var isTopLevelObject: Bool { kind == .topLevelObject }
    }

    private enum ContainerKey {
        case records, events, queryResultRows

        init?(_ key: [UInt8]) {
            switch key {
            case Array("Records".utf8): self = .records
            case Array("Events".utf8): self = .events
            case Array("QueryResultRows".utf8): self = .queryResultRows
            default: return nil
            }
        }

        var shape: InputShape {
            switch self {
            case .records: return .s3Delivery
            case .events: return .lookupEvents
            case .queryResultRows: return .lakeQueryResults
            }
        }
    }

    private var offset = 0
    private var depth = 0
    private var inString = false
    /// Backslashes that ended the previous chunk inside a string: they may escape the next quote.
    private var carriedBackslashes = 0
    /// The depth at which each value is a record, while inside such an array.
    private var recordDepth: Int?
    private var recordKind = RecordKind.object
    private var current: Record?
    /// The current record's bytes from earlier chunks.
    private var pending: [UInt8] = []
    private var needsComma = false
    // Members of a top-level object, to notice when it is a container rather than an event.
    private var expectingKey = false
    private var collectingKey = false
    private var key: [UInt8] = []
    private var awaitingColon = false
    private var valueKey: ContainerKey?
    private var stopped = false

    init(maximumRecordBytes: Int) {
        self.maximumRecordBytes = maximumRecordBytes
    }

    /// A splitter that reads on where the one-pass reader of a delivery file handed over: inside
    /// `{"Records":[`, in the state the splitter itself would be in there.
    init(maximumRecordBytes: Int, after handover: EventExtractor.DeliveryHandover) {
        self.init(maximumRecordBytes: maximumRecordBytes)
        offset = handover.offset
        depth = 2
        recordDepth = 2
        recordKind = .object
        records = handover.records
        needsComma = handover.needsComma
        shapes = [.s3Delivery]
        topLevelValues = 1
    }

    private var atTopLevelObjectMembers: Bool { depth == 1 && current?.isTopLevelObject == true }

    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, emit: Emit) {
        guard !stopped, let base = chunk.baseAddress else { return }
        let count = chunk.count
        var recordStart: Int? = current == nil ? nil : 0
        var index = 0
        while index < count {
            if inString {
                let rest = count - index
                guard let found = memchr(base + index, Int32(UInt8(ascii: "\"")), rest) else {
                    if collectingKey { collectKey(chunk[index..<count]) }
                    let run = backslashRun(chunk, before: count, from: index)
                    carriedBackslashes = run == rest ? carriedBackslashes + run : run
                    break
                }
                let quote = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                var run = backslashRun(chunk, before: quote, from: index)
                if run == quote - index { run += carriedBackslashes }
                carriedBackslashes = 0
                if collectingKey { collectKey(chunk[index..<quote]) }
                index = quote + 1
                guard run % 2 == 0 else {
                    if collectingKey { collectKey(chunk[quote...quote]) }
                    continue
                }
                inString = false
                if collectingKey {
                    collectingKey = false
                    awaitingColon = true
                }
                continue
            }
            let byte = chunk[index]
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: break
            case UInt8(ascii: "\""):
                if current == nil && (depth == 0 || depth == recordDepth) {
                    return stop(depth == 0 ? "expected '{' or '['" : "expected '{'", at: index)
                }
                inString = true
                carriedBackslashes = 0
                if atTopLevelObjectMembers {
                    if expectingKey {
                        expectingKey = false
                        collectingKey = true
                        key.removeAll(keepingCapacity: true)
                    } else {
                        valueKey = nil
                    }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if current == nil {
                    if depth == 0 {
                        topLevelValues += 1
                        if byte == UInt8(ascii: "[") {
                            shapes.insert(.jsonArray)
                            recordDepth = 1
                            recordKind = .object
                            needsComma = false
                        } else {
                            current = Record(offset: offset + index, depth: 0, kind: .topLevelObject)
                            recordStart = index
                            expectingKey = true
                            valueKey = nil
                        }
                    } else if depth == recordDepth {
                        if needsComma { repairedCommas.append(offset + index) }
                        current = Record(
                            offset: offset + index, depth: depth, kind: recordKind)
                        recordStart = index
                    }
                } else if atTopLevelObjectMembers {
                    if byte == UInt8(ascii: "["), let container = valueKey {
                        // A container, not an event: its elements are the records.
                        shapes.insert(container.shape)
                        current = nil
                        recordStart = nil
                        pending.removeAll()
                        recordDepth = 2
                        recordKind = container == .queryResultRows ? .lakeRow : .object
                        needsComma = false
                    }
                    valueKey = nil
                }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return stop("unexpected '\(Character(Unicode.Scalar(byte)))'", at: index) }
                depth -= 1
                if let record = current, depth == record.depth {
                    current = nil
                    let end = index + 1
                    if !finishRecord(record, chunk: chunk, from: recordStart ?? 0, to: end, emit: emit) { return }
                    recordStart = nil
                    needsComma = true
                } else if let level = recordDepth, depth == level - 1 {
                    recordDepth = nil
                }
            case UInt8(ascii: ","):
                if current == nil && depth == recordDepth { needsComma = false }
                if atTopLevelObjectMembers {
                    expectingKey = true
                    valueKey = nil
                }
            case UInt8(ascii: ":"):
                if atTopLevelObjectMembers && awaitingColon {
                    awaitingColon = false
                    valueKey = ContainerKey(key)
                }
            default:
                if current == nil && (depth == 0 || depth == recordDepth) {
                    return stop(depth == 0 ? "expected '{' or '['" : "expected '{'", at: index)
                }
                if atTopLevelObjectMembers { valueKey = nil }
            }
            index += 1
        }
        if var record = current, !record.oversized, let start = recordStart {
            pending.append(contentsOf: chunk[start..<count])
            if pending.count > maximumRecordBytes {
                record.oversized = true
                current = record
                pending = []
            }
        }
        offset += count
    }

    /// Bytes before the data that are not part of it (a byte-order mark): offsets still count them.
    mutating func skip(_ count: Int) { offset += count }

    /// The end of the stream: a record left open means the data was cut short.
    mutating func finish(emit: Emit) {
        guard !stopped else { return }
        if let record = current, !record.oversized, !pending.isEmpty {
            let stillRunning = pending.withUnsafeBufferPointer { emit($0, record.offset, record.kind, records) }
            guard stillRunning else { return }
        }
        if current != nil || depth > 0 || inString {
            framingError = (JSONScanError(offset: offset, reason: "the data ends inside a record"), records)
        }
    }

    private mutating func finishRecord(
        _ record: Record, chunk: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, emit: Emit
    ) -> Bool {
        defer { records += 1 }
        if record.oversized || pending.count + (end - start) > maximumRecordBytes {
            oversizedRecords.append((records, record.offset))
            pending = []
            return true
        }
        let keepGoing: Bool
        if pending.isEmpty {
            keepGoing = emit(UnsafeBufferPointer(rebasing: chunk[start..<end]), record.offset, record.kind, records)
        } else {
            pending.append(contentsOf: chunk[start..<end])
            keepGoing = pending.withUnsafeBufferPointer { emit($0, record.offset, record.kind, records) }
            // One huge record must not keep its buffer for the rest of the run.
            if pending.capacity > 1 << 22 { pending = [] } else { pending.removeAll(keepingCapacity: true) }
        }
        if !keepGoing { stopped = true }
        return keepGoing
    }

    private mutating func stop(_ reason: String, at index: Int) {
        framingError = (JSONScanError(offset: offset + index, reason: reason), records)
        stopped = true
    }

    private mutating func collectKey(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        // Container keys are short; a longer key only needs to be known not to be one.
        key.append(contentsOf: bytes.prefix(max(0, 16 - key.count)))
        if bytes.count > 16 { key.append(0) }
    }

    /// The number of backslashes right before `end`, not looking before `start`.
    private func backslashRun(_ chunk: UnsafeBufferPointer<UInt8>, before end: Int, from start: Int) -> Int {
        var position = end
        while position > start && chunk[position - 1] == UInt8(ascii: "\\") { position -= 1 }
        return end - position
    }
}
