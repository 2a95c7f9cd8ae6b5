import Dispatch
import Foundation
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
        paths: [String], filter: EventFilter, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> (EventTotals, InputSummary) {
        var summary = InputSummary()
        summary.inputs = paths
        let (files, discoveryProblems, digests) = discover(paths)
        summary.problems += discoveryProblems
        summary.filesUnreadable += discoveryProblems.count
        if digests > 0 { summary.filesSkipped["CloudTrail digest file", default: 0] += digests }

        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64) ?? 0 }
        let byteCount = sizes.reduce(0, +)
        let next = Atomic<Int>(0)
        let done = Mutex(
            ReadProgress(filesDone: 0, fileCount: files.count, bytesDone: 0, byteCount: byteCount, events: 0))
        let outcomes = Mutex([FileOutcome?](repeating: nil, count: files.count))
        let totals = Mutex([EventTotals]())
        let workerCount = max(1, min(workers, files.count))

        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            var accumulator = UsageAccumulator(filter: filter)
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { break }
                let outcome = readFile(files[index], into: &accumulator)
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

        /// Takes in what reading one member of an archive found (its status is combined by the caller).
        mutating func absorb(_ member: FileOutcome) {
            events += member.events
            bytes += member.bytes
            malformedRecords += member.malformedRecords
            shapes.formUnion(member.shapes)
            problems += member.problems
        }
    }

    /// Files under the given paths, in a stable order; digest files are counted, not listed.
    static func discover(_ paths: [String]) -> (files: [String], problems: [InputProblem], digests: Int) {
        var files: [String] = []
        var problems: [InputProblem] = []
        var digests = 0
        // Overlapping arguments (`logs logs/2026`) must not count the same file twice.
        var seen = Set<String>()
        func add(_ file: String) {
            if seen.insert(URL(fileURLWithPath: file).resolvingSymlinksInPath().standardized.path).inserted {
                files.append(file)
            }
        }
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(InputProblem(path: path, message: "no such file or folder"))
                continue
            }
            guard isDirectory.boolValue else {
                add(path)
                continue
            }
            guard let enumerator = manager.enumerator(atPath: path) else {
                problems.append(InputProblem(path: path, message: "cannot list the folder"))
                continue
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let full = (path as NSString).appendingPathComponent(relative)
                var childIsDirectory: ObjCBool = false
                guard manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue
                else {
                    continue
                }
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if relative.contains("CloudTrail-Digest") {
                    digests += 1
                    continue
                }
                found.append(full)
            }
            for file in found.sorted() { add(file) }
        }
        return (files, problems, digests)
    }

    static func readFile(_ path: String, into accumulator: inout UsageAccumulator) -> FileOutcome {
        var outcome = FileOutcome()
        guard let data = FileManager.default.contents(atPath: path) else {
            outcome.status = .unreadable
            outcome.problems.append(InputProblem(path: path, message: "cannot read the file"))
            return outcome
        }
        readContent([UInt8](data), name: path, into: &accumulator, outcome: &outcome)
        return outcome
    }

    static func looksLikeDataFile(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return [".json", ".jsonl", ".ndjson", ".gz", ".csv", ".log"].contains { lowered.hasSuffix($0) }
    }

    /// Decompresses or unpacks as needed, then reads the content as JSON events or an Athena CSV.
    static func readContent(
        _ raw: [UInt8], name: String, insideArchive: Bool = false, into accumulator: inout UsageAccumulator,
        outcome: inout FileOutcome
    ) {
        var content = raw
        if Gzip.isCompressed(raw) {
            do {
                content = try Gzip.decompress(raw, sizeHint: raw.count * 8)
            } catch {
                outcome.status = .unreadable
                outcome.problems.append(InputProblem(path: name, message: "\(error)"))
                return
            }
        } else if ZipArchive.isArchive(raw) {
            // Archives inside archives are not opened: that is how zip bombs and quines recurse.
            guard !insideArchive else {
                outcome.problems.append(InputProblem(path: name, message: "an archive inside an archive: skipped"))
                return
            }
            var anyRead = false
            do {
                try ZipArchive.forEachMember(of: raw) { member in
                    switch member {
                    case .success(let file):
                        var inner = FileOutcome()
                        readContent(
                            file.bytes, name: "\(name):\(file.name)", insideArchive: true, into: &accumulator,
                            outcome: &inner)
                        if case .read = inner.status { anyRead = true }
                        outcome.absorb(inner)
                    case .failure(let error):
                        outcome.problems.append(InputProblem(path: name, message: "\(error)"))
                    }
                }
                outcome.status = anyRead ? .read : .skipped("archive without CloudTrail")
            } catch {
                outcome.status = .unreadable
                outcome.problems.append(InputProblem(path: name, message: "\(error)"))
            }
            return
        }
        outcome.bytes += Int64(content.count)
        content.withUnsafeBufferPointer { buffer in
            let start = buffer.firstIndex { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) } ?? buffer.count
            guard start < buffer.count else {
                outcome.status = .skipped("empty")
                return
            }
            if buffer.prefix(4096).contains(0) {
                outcome.status = .skipped("binary, not CloudTrail")
                outcome.problems.append(InputProblem(path: name, message: "binary data, not CloudTrail: skipped"))
                return
            }
            if buffer[start] == UInt8(ascii: "{") || buffer[start] == UInt8(ascii: "[") {
                let result = EventExtractor.extract(UnsafeBufferPointer(rebasing: buffer[start...])) { fields, source in
                    accumulator.add(&fields, in: source)
                }
                outcome.events += result.events
                outcome.shapes.formUnion(result.shapes)
                // A few repairs are worth a line each; a file full of them gets one summary line more.
                for offset in result.repairedCommas.prefix(10) {
                    outcome.problems.append(
                        InputProblem(
                            path: name, message: "missing ',' at byte \(offset + start); read on as if it were there"))
                }
                if result.repairedCommas.count > 10 {
                    outcome.problems.append(
                        InputProblem(path: name, message: "\(result.repairedCommas.count - 10) more missing commas"))
                }
                if let error = result.error {
                    outcome.malformedRecords += 1
                    outcome.problems.append(
                        InputProblem(
                            path: name, record: result.errorRecord,
                            message:
                                "\(error.reason) at byte \(error.offset + start); \(result.events) events before it were read"
                        ))
                    if result.events == 0 { outcome.status = .unreadable }
                } else if result.events == 0 {
                    outcome.status = .skipped("JSON without CloudTrail events")
                }
            } else if AthenaCSV.looksLikeRollup(UnsafeBufferPointer(rebasing: buffer[start...])) {
                outcome.shapes.insert(.athenaCSV)
                outcome.events += AthenaCSV.read(UnsafeBufferPointer(rebasing: buffer[start...]), into: &accumulator) {
                    problem in
                    outcome.malformedRecords += 1
                    outcome.problems.append(InputProblem(path: name, record: problem.line - 1, message: problem.reason))
                }
            } else {
                outcome.status = .skipped("not CloudTrail JSON or an Athena CSV")
                // Notes and licences beside the logs are only counted; a data file that is not data is reported.
                if looksLikeDataFile(name) {
                    outcome.problems.append(
                        InputProblem(path: name, message: "neither CloudTrail JSON nor an Athena rollup CSV: skipped"))
                }
            }
        }
    }
}
