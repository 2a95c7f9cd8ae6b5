import Foundation
import IAMTiersCore
import IAMTiersUI
import TUIKit

// Measurements that need the library itself, run by Benchmarks/* scripts in a release build:
//   iamtiers-bench meter [ACTIONS]              policy synthesis + metering of one tier, median of 50 runs
//   iamtiers-bench compress LIST [STYLE] [LAYOUT] compressed size of an action list (one action a line)
//   iamtiers-bench overgrant LIST POLICY.json   actions a policy grants beyond the list, and its size
//   iamtiers-bench keys [ACTIONS]               the curation screen: first frame, then 1,000 keystrokes
//   iamtiers-bench usage OUT [PEOPLE]           write a usage file: every catalog action, 3 people each
//   iamtiers-bench inflate THREADS FOLDER…      every .json.gz inflated as analyze inflates it, nothing parsed
// Timing lives here, never in unit tests.

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let arguments = Array(CommandLine.arguments.dropFirst())
let catalog = try Catalog.bundled()

func readList(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        .compactMap { catalog.action(named: $0)?.fullName }
}

switch arguments.first {
case "inflate":
    let threads = arguments.dropFirst().first.flatMap { Int($0) } ?? 2
    print("inflated \(DecompressionFloor.inflate(folders: Array(arguments.dropFirst(2)), threads: threads)) bytes")
case "meter":
    runMeter(count: arguments.dropFirst().first.flatMap { Int($0) } ?? 5_000)
case "compress" where arguments.count >= 2:
    let actions = try readList(arguments[1])
    let style = arguments.count > 2 ? Compressor.Style(rawValue: arguments[2]) ?? .readable : .readable
    let compressed = Compressor(catalog: catalog, style: style)
        .compress(actions, granted: Set(actions.map { $0.lowercased() }))
    var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: catalog.info.date, generator: "bench"))
    set.tiers[0].actions = (compressed.actions + compressed.patterns.map(\.pattern)).map { Assignment(action: $0) }
    let layout = arguments.count > 3 ? PolicySynthesizer.Layout(rawValue: arguments[3]) ?? .perService : .perService
    let documents = PolicySynthesizer(managedPolicyQuota: 20, layout: layout).policies(for: set)[0].documents
    print(documents.reduce(0) { $0 + $1.size }, documents.count, compressed.patterns.count, compressed.actions.count)
case "keys":
    try runKeystrokes(actions: arguments.dropFirst().first.flatMap { Int($0) } ?? catalog.actionCount)
case "usage" where arguments.count >= 2:
    let people = arguments.count > 2 ? Int(arguments[2]) ?? 240 : 240
    let usage = try syntheticUsage(actions: catalog.actionCount, people: people, peoplePerAction: 3)
    try usage.jsonData().write(to: URL(fileURLWithPath: arguments[1]))
case "overgrant" where arguments.count == 3:
    let wanted = Set(try readList(arguments[1]).map { $0.lowercased() })
    let json = try String(contentsOfFile: arguments[2], encoding: .utf8)
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    var granted = Set<String>()
    for statement in object?["Statement"] as? [[String: Any]] ?? [] {
        let entries = (statement["Action"] as? [String]) ?? (statement["Action"] as? String).map { [$0] } ?? []
        for entry in entries {
            guard let pattern = try? ActionPattern(entry) else { continue }
            for action in catalog.expand(pattern) { granted.insert(action.fullName.lowercased()) }
        }
    }
    print(iamPolicyCharacters(json), granted.subtracting(wanted).count, wanted.subtracting(granted).count)
default:
    FileHandle.standardError.write(
        Data("usage: iamtiers-bench meter [N] | compress LIST [readable|smallest] | overgrant LIST POLICY\n".utf8))
    exit(2)
}

func runMeter(count: Int) {
    // A deterministic spread of actions over every service (every k-th action of the catalog).
    let all = catalog.allActions
    let step = max(1, all.count / count)
    // Sorted as tiers keep them (`Tier.insert`); the synthesizer checks the order and sorts only when it is not.
    let actions = stride(from: 0, to: all.count, by: step).prefix(count).map { Assignment(action: all[$0].fullName) }
        .sorted { caseInsensitiveLess($0.action, $1.action) }
    var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: catalog.info.date, generator: "bench"))
    set.tiers[0].actions = actions
    let synthesizer = PolicySynthesizer(managedPolicyQuota: 20)
    var samples: [Double] = []
    var last: [TierPolicies] = []
    let clock = ContinuousClock()
    for _ in 0..<50 {
        let start = clock.now
        last = synthesizer.policies(for: set)
        samples.append(milliseconds(clock.now - start))
    }
    let meter = last[0].meter
    print(
        String(
            format:
                "meter: %d actions -> %d documents, %d characters; recompute median %.2f ms (min %.2f, max %.2f, 50 runs)",
            actions.count, meter.documents, meter.used, median(samples), samples.min()!, samples.max()!))

    // What a key costs the curation screen: one action taken out of the tier and put back, the
    // policies rebuilt from the previous ones for that service only.
    var keystrokes: [Double] = []
    for index in 0..<50 {
        let moved = actions[(index * 97) % actions.count].action
        let service = String(moved.prefix { $0 != ":" }).lowercased()
        set.tiers[0].actions.removeAll { $0.action == moved }
        let begin = clock.now
        last = synthesizer.policies(for: set, reusing: last, changed: [0: [service]])
        keystrokes.append(milliseconds(clock.now - begin))
        set.tiers[0].insert(Assignment(action: moved))
        last = synthesizer.policies(for: set, reusing: last, changed: [0: [service]])
    }
    print(
        String(
            format: "meter: one action moved, recompute from the previous policies median %.2f ms (max %.2f, 50 runs)",
            median(keystrokes), keystrokes.max()!))
}

/// A usage in which every catalog action (or the first N) was called, via an Athena rollup CSV so the
/// real reader, mapping and builder produce it; then the curation screen's first frame and a
/// deterministic mix of 1,000 keystrokes through reducer, meters and rendering at 120x40.
/// A usage in which the first `count` catalog actions were each called by `peoplePerAction` of
/// `people` people, 1 to 7 times, built the way `analyze` builds one from an Athena rollup.
func syntheticUsage(actions count: Int, people: Int, peoplePerAction: Int) throws -> Usage {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-bench-usage-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var csv = "eventsource,eventname,calls,session_name\n"
    for (index, action) in catalog.allActions.prefix(count).enumerated() {
        for share in 0..<peoplePerAction {
            let person = (index + share * (index % 5 + 1) * 7) % people
            csv += "\(action.service).amazonaws.com,\(action.name),\(1 + index % 7),person\(person)@corp.example\n"
        }
    }
    let csvPath = folder.appendingPathComponent("rollup.csv").path
    try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
    let mapping = try CloudTrailMapping.bundled(catalog: catalog)
    let (totals, summary) = EventReader.read(paths: [csvPath], filter: EventFilter())
    return try UsageBuilder(catalog: catalog, mapping: mapping, generator: "bench").build(
        totals, summary, AnalysisOptions())
}

func runKeystrokes(actions count: Int) throws {
    let clock = ContinuousClock()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-bench-keys-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let usage = try syntheticUsage(actions: count, people: 24, peoplePerAction: 1)
    let usagePath = folder.appendingPathComponent("usage.json").path
    try usage.jsonData().write(to: URL(fileURLWithPath: usagePath))

    // From the usage file on disk to the first frame, as `iamtiers edit` does it.
    let start = clock.now
    let loaded = try Usage.load(usagePath)
    let tiers = TierSuggester(catalog: catalog, generator: "bench").suggest(from: loaded, usagePath: usagePath)
    var state = CurationState(
        catalog: catalog, usage: loaded, usagePath: usagePath, tiers: tiers, tiersPath: "tiers.yaml")
    _ = view(state, width: 120, height: 40)
    let firstFrame = milliseconds(clock.now - start)

    // Move, assign, unassign, undo, redo, switch panes, search as you type, filter (five `f`s
    // cycle back to all actions).
    let script: [Key] = [
        .down, .down, .character("2"), .down, .character("1"), .character("0"), .tab, .down,
        .character("3"), .character("u"), .tab, .pageDown, .character("2"), .control("r"), .up, .character("u"),
        .character("/"), .character("g"), .character("e"), .character("t"), .enter, .character("2"),
        .character("u"), .escape, .character("f"), .character("1"), .character("u"), .character("f"),
        .character("f"), .character("f"), .character("f"),
    ]
    var samples: [Double] = []
    var byKey: [String: [Double]] = [:]
    for index in 0..<1_000 {
        let key = script[index % script.count]
        let begin = clock.now
        if let action = CurationAction(key: key, state: state) { reduce(&state, action) }
        _ = view(state, width: 120, height: 40)
        samples.append(milliseconds(clock.now - begin))
        byKey["\(key)", default: []].append(samples.last!)
    }
    let sorted = samples.sorted()
    // What the slowest keys are: where a p99 comes from.
    let slowest = byKey.map { ($0.key, $0.value.max()!) }.sorted { $0.1 > $1.1 }.prefix(4)
    print("keys: slowest " + slowest.map { String(format: "%@ %.2f ms", $0.0, $0.1) }.joined(separator: ", "))
    print(
        String(
            format:
                "keys: %d used actions; first frame %.0f ms; per keystroke median %.2f ms, p99 %.2f ms, max %.2f ms (1,000 keys)",
            loaded.actions.count, firstFrame, sorted[sorted.count / 2], sorted[sorted.count * 99 / 100], sorted.last!))

    // The header's count of check's findings, which a usage this large recomputes when the keys pause.
    var checks: [Double] = []
    for _ in 0..<20 {
        var paused = state
        let begin = clock.now
        reduce(&paused, .recheck)
        checks.append(milliseconds(clock.now - begin))
    }
    print(String(format: "keys: the findings count after a pause takes %.1f ms median (20 runs)", median(checks)))

    // The views that replay or diff the whole usage when they open: P (people) and D (rollout diff).
    for (key, name) in [(Key.character("P"), "P (people, a replay)"), (.character("D"), "D (rollout diff)")] {
        var times: [Double] = []
        for _ in 0..<20 {
            var opened = state
            let begin = clock.now
            if let action = CurationAction(key: key, state: opened) { reduce(&opened, action) }
            _ = view(opened, width: 120, height: 40)
            times.append(milliseconds(clock.now - begin))
        }
        print(
            String(format: "keys: %@ opens in %.1f ms median, %.1f ms max (20 runs)", name, median(times), times.max()!)
        )
    }
}
