import Dispatch
import Foundation
import SafeText
import Synchronization

/// One thing wrong with the input, reported on its own line; the rest is still read.
public struct InputProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    /// Zero-based index of the record (array element, line or CSV line) where it was found.
    public var record: Int?
    public var message: String

    public var description: String {
        record.map { "\(path): record \($0): \(message)" } ?? "\(path): \(message)"
    }
}

/// What was read, skipped and found wrong, for the usage file's provenance and the summary.
public struct InputSummary: Sendable, Codable, Equatable {
    public var inputs: [String] = []
    public var filesRead = 0
    /// Files that are not CloudTrail (digests, other JSON, binary), by reason.
    public var filesSkipped: [String: Int] = [:]
    public var filesUnreadable = 0
    public var bytesRead: Int64 = 0
    public var shapes: [String: Int] = [:]
    /// Records that could not be read (syntax errors end a file; the events before them count).
    public var malformedRecords = 0
    public var problems: [InputProblem] = []
}

public struct ReadProgress: Sendable {
    public var filesDone: Int
    public var fileCount: Int
    public var bytesDone: Int64
    public var byteCount: Int64
    public var events: Int
}

/// Reads every CloudTrail input (files, folder trees, .gz, .zip; any container shape; Athena CSV)
/// on several threads and returns the merged event totals.
public enum EventReader {
    public static func read(
        paths: [String], filter: EventFilter, limits: InputLimits = InputLimits(),
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> (EventTotals, InputSummary) {
        var summary = InputSummary()
        summary.inputs = paths
        let (found, discoveryProblems, digests) = discover(paths)
        summary.problems += discoveryProblems
        summary.filesUnreadable += discoveryProblems.count
        if digests > 0 { summary.filesSkipped["CloudTrail digest file", default: 0] += digests }

        let files = found.map(\.path)
        let sizes = found.map(\.size)
        let byteCount = sizes.reduce(0, +)
        let next = Atomic<Int>(0)
        let done = Mutex(
            ReadProgress(filesDone: 0, fileCount: files.count, bytesDone: 0, byteCount: byteCount, events: 0))
        let outcomes = Mutex([FileOutcome?](repeating: nil, count: files.count))
        let totals = Mutex([EventTotals]())
        let workerCount = max(1, min(workers, files.count))
        // Each file is asked for this many files before its turn, so the disk works while the workers do.
        let lookahead = 4 * workerCount
        for path in files.prefix(lookahead) { InputFile.prefetch(path) }

        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            var accumulator = UsageAccumulator(filter: filter)
            let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkBytes)
            defer { chunk.deallocate() }
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { break }
                if index + lookahead < files.count { InputFile.prefetch(files[index + lookahead]) }
                let outcome = readFile(files[index], limits: limits, chunk: chunk, into: &accumulator)
                outcomes.withLock { $0[index] = outcome }
                let snapshot = done.withLock { state -> ReadProgress in
                    state.filesDone += 1
                    state.bytesDone += sizes[index]
                    state.events += outcome.events
                    return state
                }
                progress?(snapshot)
            }
            let finished = accumulator.finish()
            totals.withLock { $0.append(finished) }
        }

        // Merge into the largest part rather than into a new one: one copy less of the biggest table.
        var parts = totals.withLock { parts in
            defer { parts.removeAll() }
            return parts.sorted { $0.callGroupCount > $1.callGroupCount }
        }
        var merged = parts.isEmpty ? EventTotals() : parts.removeFirst()
        while let part = parts.popLast() { merged.merge(part) }
        for outcome in outcomes.withLock({ $0 }).compactMap({ $0 }) {
            summary.problems += outcome.problems
            if outcome.problemsNotListed > 0, let path = outcome.problems.last?.path {
                summary.problems.append(
                    InputProblem(
                        path: path, message: "\(counted(outcome.problemsNotListed, "more problem")) not listed"))
            }
            summary.bytesRead += outcome.bytes
            summary.malformedRecords += outcome.malformedRecords
            for shape in outcome.shapes { summary.shapes[shape.rawValue, default: 0] += 1 }
            switch outcome.status {
            case .read: summary.filesRead += 1
            case .skipped(let reason): summary.filesSkipped[reason, default: 0] += 1
            case .unreadable: summary.filesUnreadable += 1
            }
        }
        return (merged, summary)
    }

    /// Each worker reads its files through one buffer of this size.
    static let chunkBytes = 1 << 20

    struct FileOutcome {
        enum Status {
            case read
            case skipped(String)
            case unreadable
        }

        var status = Status.read
        var events = 0
        var bytes: Int64 = 0
        var malformedRecords = 0
        var shapes = Set<InputShape>()
        var problems: [InputProblem] = []
        /// Problems beyond the first `maximumProblems` of a file are only counted.
        var problemsNotListed = 0
        static let maximumProblems = 100

        mutating func report(_ problem: InputProblem) {
            if problems.count < Self.maximumProblems { problems.append(problem) } else { problemsNotListed += 1 }
        }

        /// Takes in what reading one member of an archive found (its status is combined by the caller).
        mutating func absorb(_ member: FileOutcome) {
            events += member.events
            bytes += member.bytes
            malformedRecords += member.malformedRecords
            shapes.formUnion(member.shapes)
            for problem in member.problems { report(problem) }
            problemsNotListed += member.problemsNotListed
        }
    }

    /// A file found under the inputs, with what its `stat` said.
    struct FoundFile {
        var path: String
        var size: Int64
        /// Device and inode: the file itself, whatever links or spellings lead to it.
        var identity: FileIdentity
    }

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// Files under the given paths, in a stable order; digest files are counted, not listed.
    static func discover(_ paths: [String]) -> (files: [FoundFile], problems: [InputProblem], digests: Int) {
        var files: [FoundFile] = []
        var problems: [InputProblem] = []
        var digests = 0
        // Overlapping arguments (`logs logs/2026`, a link to a file) must not count the same file twice.
        var seen = Set<FileIdentity>()
        func add(_ file: FoundFile) {
            if seen.insert(file.identity).inserted { files.append(file) }
        }
        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                let reason =
                    errno == ENOENT ? "no such file or folder" : "cannot read: \(String(cString: strerror(errno)))"
                problems.append(InputProblem(path: path, message: reason))
                continue
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                add(FoundFile(path: path, size: Int64(status.st_size), identity: FileIdentity(status)))
                continue
            }
            var found: [FoundFile] = []
            walk(path, found: &found, problems: &problems)
            for file in found.sorted(by: { $0.path < $1.path }) {
                if !file.path.dropFirst(path.count).contains("CloudTrail-Digest") {
                    add(file)
                } else if seen.insert(file.identity).inserted {
                    digests += 1
                }
            }
        }
        return (files, problems, digests)
    }

    /// The files in a folder tree, hidden ones left out; a sub-folder that cannot be listed is a
    /// problem, and the walk goes on. Folders already seen (through a link) are not walked again.
    private static func walk(_ root: String, found: inout [FoundFile], problems: inout [InputProblem]) {
        var folders = [root]
        var walked = Set<FileIdentity>()
        while let folder = folders.popLast() {
            var folderStatus = stat()
            guard stat(folder, &folderStatus) == 0, walked.insert(FileIdentity(folderStatus)).inserted else { continue }
            guard let directory = opendir(folder) else {
                problems.append(
                    InputProblem(path: folder, message: "cannot list the folder: \(String(cString: strerror(errno)))"))
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let full = (folder as NSString).appendingPathComponent(name)
                var status = stat()
                guard stat(full, &status) == 0 else {
                    // A dangling link is nothing to read; anything else is named, never skipped silently.
                    if errno != ENOENT {
                        problems.append(
                            InputProblem(path: full, message: "cannot read: \(String(cString: strerror(errno)))"))
                    }
                    continue
                }
                if status.st_mode & S_IFMT == S_IFDIR {
                    folders.append(full)
                } else {
                    found.append(FoundFile(path: full, size: Int64(status.st_size), identity: FileIdentity(status)))
                }
            }
        }
    }

    /// Reads one input file front to back in bounded memory, whatever it holds.
    static func readFile(
        _ path: String, limits: InputLimits, chunk: UnsafeMutableBufferPointer<UInt8>,
        into accumulator: inout UsageAccumulator
    ) -> FileOutcome {
        var outcome = FileOutcome()
        do {
            let file = try InputFile(path: path)
            if file.isRegular, try file.bytes(at: 0, count: 4).withUnsafeBufferPointer(ZipArchive.isArchive) {
                readArchive(file, name: path, limits: limits, chunk: chunk, into: &accumulator, outcome: &outcome)
            } else {
                readStream(
                    FileByteSource(file), name: path, insideArchive: false, limits: limits, chunk: chunk,
                    into: &accumulator, outcome: &outcome)
            }
        } catch {
            outcome.status = .unreadable
            outcome.report(InputProblem(path: path, message: "\(error)"))
        }
        return outcome
    }

    static func looksLikeDataFile(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return [".json", ".jsonl", ".ndjson", ".gz", ".csv", ".log"].contains { lowered.hasSuffix($0) }
    }

    private static func readArchive(
        _ file: InputFile, name: String, limits: InputLimits, chunk: UnsafeMutableBufferPointer<UInt8>,
        into accumulator: inout UsageAccumulator, outcome: inout FileOutcome
    ) {
        var anyRead = false
        do {
            try ZipArchive.forEachMember(of: file, ratioGuard: limits.ratioGuard) { member in
                switch member {
                case .success(let member):
                    var inner = FileOutcome()
                    // The archive's members share its per-file limit.
                    var memberLimits = limits
                    memberLimits.maximumFileBytes = max(0, limits.maximumFileBytes - outcome.bytes)
                    readStream(
                        member.content, name: "\(name):\(member.name)", insideArchive: true, limits: memberLimits,
                        chunk: chunk, into: &accumulator, outcome: &inner)
                    if case .read = inner.status { anyRead = true }
                    outcome.absorb(inner)
                case .failure(let error):
                    outcome.report(InputProblem(path: name, message: "\(error)"))
                }
            }
            outcome.status = anyRead ? .read : .skipped("archive without CloudTrail")
        } catch {
            outcome.status = .unreadable
            outcome.report(InputProblem(path: name, message: "\(error)"))
        }
    }

    /// Fills `chunk` from `source` until at least `minimum` bytes are in or the source ends.
    private static func fill(
        _ chunk: UnsafeMutableBufferPointer<UInt8>, from source: ByteSource, minimum: Int
    ) throws -> Int {
        var filled = 0
        while filled < minimum {
            let got = try source.read(into: UnsafeMutableBufferPointer(rebasing: chunk[filled...]))
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// Counts up to `bytes` more of the file's content within its limit and returns how many fit.
    private static func take(_ bytes: Int, within limits: InputLimits, outcome: inout FileOutcome) -> Int {
        let allowed = Int(min(Int64(bytes), max(0, limits.maximumFileBytes - outcome.bytes)))
        outcome.bytes += Int64(allowed)
        return allowed
    }

    /// Whitespace and the bytes of a UTF-8 byte-order mark.
    private static let leadingBytes: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF]

    /// What a stream holds, told from its first bytes.
    private enum Content {
        case gzip, archive, empty, binary, json, athenaCSV, other
        /// Only whitespace so far: read on to tell.
        case blank
    }

    private static func content(of head: UnsafeBufferPointer<UInt8>, atEnd: Bool) -> Content {
        if head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b { return .gzip }
        if ZipArchive.isArchive(head) { return .archive }
        if head.prefix(4096).contains(0) { return .binary }
        guard let first = head.first(where: { !leadingBytes.contains($0) }) else { return atEnd ? .empty : .blank }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json }
        return AthenaCSV.looksLikeRollup(head) ? .athenaCSV : .other
    }

    /// Decompresses as needed, then reads the stream as JSON events or an Athena CSV, chunk by chunk.
    static func readStream(
        _ stream: ByteSource, name: String, insideArchive: Bool, limits: InputLimits,
        chunk: UnsafeMutableBufferPointer<UInt8>, into accumulator: inout UsageAccumulator,
        outcome: inout FileOutcome
    ) {
        var source = stream
        var json = RecordSplitter(maximumRecordBytes: limits.maximumRecordBytes)
        var csv = AthenaCSV.Reader(maximumRowBytes: limits.maximumRecordBytes)
        var result = ExtractionResult()
        var repairedCommas: [Int] = []
        var recordError: (error: JSONScanError, record: Int)?
        var kind = Content.other
        var readError: Error?
        /// The whole content, when a small gzip file was inflated in one call.
        var whole: [UInt8]?

        func extract(_ record: UnsafeBufferPointer<UInt8>, offset: Int, kind: RecordKind, index: Int) -> Bool {
            var repaired: [Int] = []
            do {
                try EventExtractor.extract(record, as: kind, result: &result, repairedCommas: &repaired) {
                    fields, buffer in accumulator.add(&fields, in: buffer)
                }
            } catch {
                let scanError = error as? JSONScanError ?? JSONScanError(offset: 0, reason: "\(error)")
                recordError = (JSONScanError(offset: scanError.offset + offset, reason: scanError.reason), index)
                return false
            }
            repairedCommas += repaired.map { $0 + offset }
            reportMistyped(result.mistyped, record: index, at: offset)
            return true
        }
        func reportMistyped(_ mistyped: ExtractionResult.Mistyped?, record index: Int, at offset: Int) {
            guard let (field, at, found, expected) = mistyped else { return }
            outcome.report(
                InputProblem(
                    path: name, record: index,
                    message:
                        "\(SafeText.cleaned(field)) is \(found) at byte \(at + offset), not \(expected): read as missing"
                ))
        }
        func csvProblem(_ problem: AthenaCSV.FormatError) {
            outcome.malformedRecords += 1
            outcome.report(InputProblem(path: name, record: problem.line - 1, message: problem.reason))
        }

        do {
            var filled = try fill(chunk, from: source, minimum: 4096)
            kind = content(of: UnsafeBufferPointer(rebasing: chunk[..<filled]), atEnd: filled < 4096)
            if kind == .gzip {
                let head = Array(chunk[..<filled])
                // A small file whole, in one call; anything else, or what that call refuses, streamed.
                if let rest = try (source as? FileByteSource)?.remainingBytes(
                    atMost: WholeGzip.maximumInput - head.count)
                {
                    let compressed = head + rest
                    if let inflated = WholeGzip.inflate(compressed, ratioGuard: limits.ratioGuard) {
                        whole = inflated
                        source = MemoryByteSource(inflated[...])
                    } else {
                        source = try InflatingSource(
                            MemoryByteSource(compressed[...]), format: .gzip, ratioGuard: limits.ratioGuard)
                    }
                } else {
                    source = try InflatingSource(
                        PrefixedByteSource(head[...], then: source), format: .gzip, ratioGuard: limits.ratioGuard)
                }
                filled = try fill(chunk, from: source, minimum: 4096)
                kind = content(of: UnsafeBufferPointer(rebasing: chunk[..<filled]), atEnd: filled < 4096)
                if kind == .gzip { kind = .binary }
            }
            while kind == .blank {
                guard take(filled, within: limits, outcome: &outcome) == filled else {
                    throw InputLimitError.fileTooLarge(limits.maximumFileBytes)
                }
                json.skip(filled)
                filled = try fill(chunk, from: source, minimum: 4096)
                kind = content(of: UnsafeBufferPointer(rebasing: chunk[..<filled]), atEnd: filled < 4096)
            }
            switch kind {
            case .archive:
                // Archives inside archives are not opened: that is how zip bombs and quines recurse.
                outcome.report(
                    InputProblem(
                        path: name,
                        message: insideArchive
                            ? "an archive inside an archive: skipped" : "binary data, not CloudTrail: skipped"))
                outcome.status = .skipped(insideArchive ? "archive inside an archive" : "binary, not CloudTrail")
                return
            case .binary:
                outcome.status = .skipped("binary, not CloudTrail")
                outcome.report(InputProblem(path: name, message: "binary data, not CloudTrail: skipped"))
                return
            case .empty:
                outcome.status = .skipped("empty")
                return
            case .other:
                outcome.status = .skipped("not CloudTrail JSON or an Athena CSV")
                // Notes and licences beside the logs are only counted; a data file that is not data is reported.
                if looksLikeDataFile(name) {
                    outcome.report(
                        InputProblem(path: name, message: "neither CloudTrail JSON nor an Athena rollup CSV: skipped"))
                }
                return
            case .json, .athenaCSV, .gzip, .blank: break
            }
            if kind == .athenaCSV { outcome.shapes.insert(.athenaCSV) }
            // A byte-order mark and blank lines before the data are not part of it.
            var start = chunk[..<filled].firstIndex { !Self.leadingBytes.contains($0) } ?? filled
            json.skip(start)
            if kind == .json, let whole, outcome.bytes == 0, whole.count <= limits.maximumRecordBytes,
                Int64(whole.count) <= limits.maximumFileBytes
            {
                // Held whole and no bigger than a record may be: one pass, no splitting.
                outcome.bytes = Int64(whole.count)
                whole.withUnsafeBufferPointer { buffer in
                    let handover = EventExtractor.extractDelivery(
                        buffer, from: start, result: &result, repairedCommas: &repairedCommas,
                        recordRead: { reportMistyped($1, record: $0, at: 0) },
                        emit: { fields, buffer in accumulator.add(&fields, in: buffer) })
                    if let handover {
                        json = RecordSplitter(maximumRecordBytes: limits.maximumRecordBytes, after: handover)
                    }
                    json.feed(UnsafeBufferPointer(rebasing: buffer[(handover?.offset ?? start)...]), emit: extract)
                }
                filled = 0  // read to the end (a splitter that stopped at a fault finishes as a no-op)
            }
            while filled > 0 {
                let allowed = take(filled, within: limits, outcome: &outcome)
                let piece = UnsafeBufferPointer(rebasing: chunk[min(start, allowed)..<allowed])
                start = 0
                if kind == .json {
                    json.feed(piece, emit: extract)
                    if recordError != nil || json.framingError != nil { break }
                } else {
                    csv.feed(piece, into: &accumulator, problem: csvProblem)
                }
                guard allowed == filled else { throw InputLimitError.fileTooLarge(limits.maximumFileBytes) }
                filled = try source.read(into: chunk)
            }
            if filled == 0 {
                if kind == .json {
                    json.finish(emit: extract)
                } else {
                    csv.finish(into: &accumulator, problem: csvProblem)
                }
            }
        } catch {
            readError = error
        }
        if let inflating = source as? InflatingSource, let trailing = inflating.trailingData {
            outcome.report(InputProblem(path: name, message: trailing))
        }

        if kind == .athenaCSV {
            outcome.events += csv.groups
            if let readError {
                outcome.report(InputProblem(path: name, message: "\(readError); the rows before it were read"))
            }
            return
        }
        outcome.events += result.events
        outcome.shapes.formUnion(json.shapes.union(result.shapes))
        if json.topLevelValues > 1 { outcome.shapes.insert(.ndjson) }
        // A few repairs are worth a line each; a file full of them gets one summary line more.
        for offset in (json.repairedCommas + repairedCommas).sorted().prefix(10) {
            outcome.report(
                InputProblem(path: name, message: "missing ',' at byte \(offset); read on as if it were there"))
        }
        let repairs = json.repairedCommas.count + repairedCommas.count
        if repairs > 10 {
            outcome.report(InputProblem(path: name, message: "\(repairs - 10) more missing commas"))
        }
        for oversized in json.oversizedRecords {
            outcome.malformedRecords += 1
            outcome.report(
                InputProblem(
                    path: name, record: oversized.record,
                    message:
                        "the record at byte \(oversized.offset) is larger than \(formatBytes(Int64(limits.maximumRecordBytes))): skipped"
                ))
        }
        let before = "\(counted(result.events, "event")) before it \(result.events == 1 ? "was" : "were") read"
        if let (error, record) = recordError ?? json.framingError {
            outcome.malformedRecords += 1
            outcome.report(
                InputProblem(path: name, record: record, message: "\(error.reason) at byte \(error.offset); \(before)"))
        }
        if let readError {
            outcome.report(
                InputProblem(path: name, message: result.events > 0 ? "\(readError); \(before)" : "\(readError)"))
        }
        if result.events == 0 {
            if readError != nil || recordError != nil || json.framingError != nil {
                outcome.status = .unreadable
            } else {
                outcome.status = .skipped("JSON without CloudTrail events")
            }
        }
    }
}

/// The limits every input is read within, so that no file can exhaust memory or time.
public struct InputLimits: Sendable {
    /// Bytes of content one input file may have after decompression (an archive's members together).
    public var maximumFileBytes: Int64 = 16 << 30
    /// One record (an event, a CSV row); CloudTrail itself caps an event at 256 KB.
    public var maximumRecordBytes = 32 << 20
    /// Compressed data that inflates more than this many to one is a bomb, not a log: real
    /// CloudTrail files inflate 2 to 20 times.
    public var inflationRatio = 100
    /// Output below this is never called a bomb, so small, very repetitive files still read.
    public var inflationFloor: Int64 = 16 << 20

    public init() {}

    var ratioGuard: InflatingSource.RatioGuard {
        InflatingSource.RatioGuard(ratio: inflationRatio, floor: inflationFloor)
    }
}

enum InputLimitError: Error, CustomStringConvertible {
    case fileTooLarge(Int64)

    var description: String {
        switch self {
        case .fileTooLarge(let limit):
            return "more than \(formatBytes(limit)) of content (the per-file limit): the rest is not read"
        }
    }
}
