import Foundation

/// Paths the tests need, found from this file's location so they work from any working directory.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared`, which only developers and CI have; tests that need it skip when it is absent.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    public static var hasShared: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("data/catalog").path)
    }
}

public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdoutData: Data
    public var stderr: String
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
}

/// Runs a program to completion, collecting its output (or discarding it, for programs that leave
/// daemons behind which would hold the pipes open).
public func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, captureOutput: Bool = true
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    guard captureOutput else {
        return ProcessResult(status: try spawnAndWait(executable, arguments), stdoutData: Data(), stderr: "")
    }
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Drain stderr on another thread while reading stdout: a child that fills one pipe would block.
    let errorData = ErrorCollector(stderr.fileHandleForReading)
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdoutData: out, stderr: String(decoding: errorData.wait(), as: UTF8.self))
}

private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

public func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A temporary directory for data made once and shared by a suite (a generated corpus): removed
/// when the test process exits, since no test owns it.
public func temporaryDirectoryRemovedAtExit() throws -> URL {
    let url = try temporaryDirectory()
    removedAtExit.withLock { paths in
        if paths.isEmpty {
            atexit {
                removedAtExit.withLock { paths in
                    for path in paths { try? FileManager.default.removeItem(atPath: path) }
                }
            }
        }
        paths.append(url.path)
    }
    return url
}

private let removedAtExit = LockedPaths()

private final class LockedPaths: @unchecked Sendable {
    private var paths: [String] = []
    private let lock = NSLock()

    func withLock(_ body: (inout [String]) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&paths)
    }
}

/// Compares text with a golden file. Returns nil when they match, else what differs. A missing golden
/// file (or `SNAPSHOT_RECORD=1`) is written and reported, so the test fails once and the file can be
/// reviewed before it is committed.
public func goldenMismatch(_ actual: String, file: URL) -> String? {
    let record = ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1"
    guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return "recorded \(file.path); review it and run the tests again"
    }
    guard expected != actual else { return nil }
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    let line =
        zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
    let want = line < expectedLines.count ? expectedLines[line] : "<end>"
    let got = line < actualLines.count ? actualLines[line] : "<end>"
    return "\(file.lastPathComponent) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n"
        + "(SNAPSHOT_RECORD=1 swift test re-records)"
}

/// posix_spawn with /dev/null for all three descriptors, then waitpid. Foundation's Process never
/// reaped a tmux client that had forked its server, so this path avoids it.
private func spawnAndWait(_ executable: String, _ arguments: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    // The test runner blocks some signals on its threads and the mask survives exec: give the child
    // (a daemon such as tmux, and everything it starts) an empty mask and default handlers.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var emptyMask = sigset_t()
    sigemptyset(&emptyMask)
    var defaultSignals = sigset_t()
    sigemptyset(&defaultSignals)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaultSignals, signal) }
    posix_spawnattr_setsigmask(&attributes, &emptyMask)
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // WIFEXITED/WEXITSTATUS are macros: exited normally when the low 7 bits are 0.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// A tmpfs of `kilobytes`, so a full disk is real; nil where mounting is not allowed (not root).
public func mountSmallDisk(kilobytes: Int) throws -> URL? {
    let folder = try temporaryDirectory()
    let mounted = try run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder.path])
    guard mounted.status == 0 else {
        try? FileManager.default.removeItem(at: folder)
        return nil
    }
    return folder
}

public func unmountSmallDisk(_ folder: URL) {
    _ = try? run("/usr/bin/env", ["umount", "-l", folder.path])
    try? FileManager.default.removeItem(at: folder)
}

/// An independent checker's command: in `$IAMTIERS_CHECKERS/bin` (default
/// `~/.cache/iamtiers-checkers/bin`, where .ci/run puts checkers whose pins clash with the others),
/// else on PATH; nil when it is in neither.
public func checkerPath(_ tool: String) -> String? {
    let environment = ProcessInfo.processInfo.environment
    let checkers =
        environment["IAMTIERS_CHECKERS"]
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/iamtiers-checkers").path
    let folders = ["\(checkers)/bin"] + (environment["PATH"] ?? "").split(separator: ":").map(String.init)
    return folders.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Whether this run is CI's, where a missing checker is a failure rather than a skip.
public var isContinuousIntegration: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
