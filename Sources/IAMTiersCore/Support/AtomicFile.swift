import Foundation

/// A write that did not happen, in the words a person needs: what, where, why, and that the old
/// file is untouched ("no space left on device — tiers.yaml unchanged").
public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public var path: String
    /// The system's reason, lower-cased to read as part of a sentence.
    public var reason: String

    public var description: String { "\(reason) — \((path as NSString).lastPathComponent) unchanged" }

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        let reason = String(cString: strerror(code))
        self.init(path: path, reason: reason.prefix(1).lowercased() + reason.dropFirst())
    }
}

/// Writes files so that a crash, a power cut or a full disk never leaves a half-written file
/// behind: the data goes to a temporary file beside the target, is flushed to the disk, and is
/// then renamed over it.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let temporary = temporaryPath(for: path, pid: getpid())
        func failure(_ code: Int32 = errno) -> FileWriteError {
            unlink(temporary)
            return FileWriteError(path: path, errno: code)
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure() }
        let written = data.withUnsafeBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        // Without fsync the rename can reach the disk before the data: after a power cut the file
        // would be there, but empty. A full disk may only show here, or at close.
        guard written, fsync(descriptor) == 0 else {
            let code = errno
            close(descriptor)
            throw failure(code)
        }
        guard close(descriptor) == 0 else { throw failure() }
        // rename(2) replaces the target in one step, or leaves it untouched.
        guard rename(temporary, path) == 0 else { throw failure() }
    }

    /// `.tiers.yaml.1234.tmp`: hidden, beside the target, named by the writing process.
    static func temporaryPath(for path: String, pid: Int32) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(pid).tmp").path
    }

    /// Removes the temporary files that writers of `path` killed mid-write left behind (those of
    /// processes still running are theirs). Returns how many were removed.
    @discardableResult
    public static func removeAbandonedTemporaries(of path: String) -> Int {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(4)
            // `.tiers.yaml.autosave.1234.tmp` belongs to `tiers.yaml.autosave`: its pid is the last part.
            guard let pid = middle.split(separator: ".").last.flatMap({ Int32($0) }), !ProcessLiveness.isRunning(pid)
            else { continue }
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
        }
        return removed
    }
}

/// Whether a process of this machine is still running (for stale temporaries and locks).
public enum ProcessLiveness {
    /// A zombie (killed, not yet reaped: containers often have no init to reap it) is not running.
    /// With `startedBy`, a process that started later is another one that got the same pid.
    public static func isRunning(_ pid: Int32, startedBy time: Date? = nil) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let nameEnd = status.lastIndex(of: ")")
        else { return true }
        // After the command name (which may hold spaces): state, then start time as field 22.
        let fields = status[status.index(after: nameEnd)...].split(separator: " ")
        if fields.first == "Z" || fields.first == "X" { return false }
        if let time, fields.count > 19, let ticks = Double(fields[19]), let boot = bootTime {
            let started = boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
            // The lock's time is written to the second: allow for that.
            if started > time.timeIntervalSince1970 + 2 { return false }
        }
        return true
    }

    private static let bootTime: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) }
    }()
}
