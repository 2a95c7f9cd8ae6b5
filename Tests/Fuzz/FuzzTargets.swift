// libFuzzer targets for the readers of untrusted input. Built only by Scripts/fuzz (with
// IAMTIERS_FUZZ=1, which adds this target to the package); the normal build never sees it.
// FUZZ_TARGET picks the reader: cloudtrail, athena-csv, usage, tiers, theme, keys.
import Foundation
import TUIKit

@testable import IAMTiersCore

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "cloudtrail"
private let catalog = try! Catalog.bundled()
private let scratch = "/dev/shm/iamtiers-fuzz-\(getpid())"

private var limits: InputLimits {
    var limits = InputLimits()
    // Small limits reach the limit paths with small inputs.
    limits.maximumRecordBytes = 1 << 16
    limits.inflationFloor = 1 << 16
    return limits
}

// libFuzzer calls the target on one thread.
nonisolated(unsafe) private let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: EventReader.chunkBytes)

/// A property that must hold for every input; a violation is reported as a crash.
private func require(_ condition: @autoclosure () -> Bool, _ what: String) {
    if !condition() { fatalError("fuzz property violated: \(what)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    switch target {
    case "cloudtrail":
        var accumulator = UsageAccumulator(filter: EventFilter())
        var outcome = EventReader.FileOutcome()
        EventReader.readStream(
            MemoryByteSource(bytes[...]), name: "fuzz", insideArchive: false, limits: limits, chunk: chunk,
            into: &accumulator, outcome: &outcome)
        let totals = accumulator.finish()
        require(outcome.bytes <= Int64(max(count, 1)) * 100 + limits.inflationFloor, "inflation guard")
        require(totals.calls.keys.allSatisfy { !$0.eventName.unicodeScalars.contains(where: isUnsafe) }, "clean names")
    case "athena-csv":
        var accumulator = UsageAccumulator(filter: EventFilter())
        var reader = AthenaCSV.Reader(maximumRowBytes: 1 << 16)
        bytes.withUnsafeBufferPointer { reader.feed($0, into: &accumulator) { _ in } }
        reader.finish(into: &accumulator) { _ in }
        _ = accumulator.finish()
    case "usage":
        _ = FileManager.default.createFile(atPath: scratch, contents: Data(bytes))
        if let usage = try? Usage.load(scratch) {
            _ = FileManager.default.createFile(atPath: scratch, contents: usage.jsonData())
            require((try? Usage.load(scratch)) == usage, "a usage file that loads saves and loads the same")
        }
    case "tiers":
        let text = String(decoding: bytes, as: UTF8.self)
        if let loaded = try? TiersFile.parse(text, path: "fuzz.yaml", catalog: catalog) {
            let saved = TiersFile.text(of: loaded.tiers)
            let reloaded = try? TiersFile.parse(saved, path: "fuzz.yaml", catalog: catalog)
            require(reloaded?.tiers == loaded.tiers, "a tiers file that loads saves and loads the same")
        }
    case "theme":
        if let theme = try? ThemeFile.parse(String(decoding: bytes, as: UTF8.self)) {
            require(!theme.name.isEmpty, "a theme has a name")
        }
    case "keys":
        var decoder = KeyDecoder(mouse: true)
        // Fed in two pieces: where a read ends must not change what is decoded.
        let whole = decoder.decode(bytes) + decoder.flush()
        var split = KeyDecoder(mouse: true)
        let cut = count / 2
        let pieces = split.decode(bytes[..<cut]) + split.decode(bytes[cut...]) + split.flush()
        require(!decoder.isWaiting && !split.isWaiting, "flush empties the decoder")
        require(whole == pieces, "the same keys whether the bytes come in one read or two")
    default:
        fatalError("unknown FUZZ_TARGET \(target)")
    }
    return 0
}

private func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x202E
}

// SwiftPM links an executable's entry point under this name; it hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("iamtiers_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzz)
}
