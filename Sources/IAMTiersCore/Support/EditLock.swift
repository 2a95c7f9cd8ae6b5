import Foundation
import SafeText

/// `tiers.yaml.lock`: one editor at a time per tiers file. The lock says who holds it (process,
/// machine, since when), so a second editor can say so in plain words, and a lock left by an editor
/// that died (kill -9, a closed laptop) is taken over instead of blocking for ever.
public struct EditLock: Sendable, Equatable {
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var started: String

        public var description: String { "process \(pid) on \(host), since \(started)" }
    }

    public enum Outcome: Sendable, Equatable {
        case acquired(EditLock)
        /// A lock whose process no longer runs was replaced; the caller says so.
        case tookOver(EditLock, stale: Holder)
        case heldElsewhere(Holder, lockPath: String)
    }

    public let path: String
    public let holder: Holder

    public static func lockPath(for tiersPath: String) -> String { tiersPath + ".lock" }

    public static func acquire(for tiersPath: String, now: Date = Date()) throws -> Outcome {
        let path = lockPath(for: tiersPath)
        let me = Holder(pid: getpid(), host: hostName, started: ISO8601DateFormatter().string(from: now))
        let text = "pid: \(me.pid)\nhost: \(me.host)\nstarted: \(me.started)\n"
        var stale: Holder?
        for _ in 0..<2 {
            // O_EXCL: of two editors starting at once, exactly one creates the file.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                defer { close(descriptor) }
                guard Glibc.write(descriptor, text, text.utf8.count) == text.utf8.count, fsync(descriptor) == 0 else {
                    let error = FileWriteError(path: path, errno: errno)
                    unlink(path)
                    throw error
                }
                let lock = EditLock(path: path, holder: me)
                return stale.map { .tookOver(lock, stale: $0) } ?? .acquired(lock)
            }
            guard errno == EEXIST else { throw FileWriteError(path: path, errno: errno) }
            guard let existing = read(path), existing.host == hostName,
                !ProcessLiveness.isRunning(existing.pid, startedBy: ISO8601DateFormatter().date(from: existing.started))
            else {
                // Alive here, or on another machine (whose processes cannot be checked), or unreadable.
                break
            }
            unlink(path)
            stale = existing
        }
        return .heldElsewhere(read(path) ?? Holder(pid: 0, host: "an unknown machine", started: "?"), lockPath: path)
    }

    /// Removes the lock if it is still this process's.
    public func release() {
        if Self.read(path) == holder { unlink(path) }
    }

    static func read(_ path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let pid = fields["pid"].flatMap({ Int32($0) }), let host = fields["host"] else { return nil }
        return Holder(pid: pid, host: SafeText.cleaned(host), started: SafeText.cleaned(fields["started"] ?? "?"))
    }

    static var hostName: String { ProcessInfo.processInfo.hostName }
}
