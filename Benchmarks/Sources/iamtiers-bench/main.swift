import Foundation
import IAMTiersCore

// Measurements that need the library itself, run by Benchmarks/* scripts in a release build:
//   iamtiers-bench meter [ACTIONS]   policy synthesis + metering of one tier, median of 50 runs
// Timing lives here, never in unit tests.

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.first == "meter" else {
    FileHandle.standardError.write(Data("usage: iamtiers-bench meter [ACTIONS]\n".utf8))
    exit(2)
}
let count = arguments.dropFirst().first.flatMap { Int($0) } ?? 5_000
let catalog = try Catalog.bundled()
// A deterministic spread of actions over every service (every k-th action of the catalog).
let all = catalog.allActions
let step = max(1, all.count / count)
let actions = stride(from: 0, to: all.count, by: step).prefix(count).map { Assignment(action: all[$0].fullName) }
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
