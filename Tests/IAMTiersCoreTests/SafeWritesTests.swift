import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// A pid that is certainly not running: a child that has exited and been reaped.
private func deadPID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

@Suite struct EditLockTests {
    @Test func theFirstEditorGetsTheLockAndASecondIsToldWhoHasIt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        guard case .acquired(let lock) = try EditLock.acquire(for: tiers) else {
            Issue.record("the first editor must get the lock")
            return
        }
        let text = try String(contentsOfFile: tiers + ".lock", encoding: .utf8)
        #expect(text.hasPrefix("pid: \(getpid())\nhost: \(ProcessInfo.processInfo.hostName)\nstarted: "))
        // This process is alive: to another editor the lock is held.
        guard case .heldElsewhere(let holder, let path) = try EditLock.acquire(for: tiers) else {
            Issue.record("a live lock must not be taken")
            return
        }
        #expect(holder == lock.holder && path == tiers + ".lock")
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: tiers + ".lock"))
    }

    @Test func aLockOfAProcessThatDiedIsTakenOverAndOneOfAnotherMachineIsNot() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let host = ProcessInfo.processInfo.hostName
        let dead = try deadPID()
        try "pid: \(dead)\nhost: \(host)\nstarted: 2026-12-01T09:00:00Z\n".write(
            toFile: tiers + ".lock", atomically: true, encoding: .utf8)
        guard case .tookOver(let lock, let stale) = try EditLock.acquire(for: tiers) else {
            Issue.record("a dead editor's lock must be taken over")
            return
        }
        #expect(stale == EditLock.Holder(pid: dead, host: host, started: "2026-12-01T09:00:00Z"))
        #expect(lock.holder.pid == getpid())
        lock.release()
        try "pid: \(dead)\nhost: elsewhere.example\nstarted: 2026-12-01T09:00:00Z\n".write(
            toFile: tiers + ".lock", atomically: true, encoding: .utf8)
        guard case .heldElsewhere(let holder, _) = try EditLock.acquire(for: tiers) else {
            Issue.record("another machine's lock cannot be judged stale from here")
            return
        }
        #expect(holder.host == "elsewhere.example")
        // Releasing a lock that is no longer ours leaves the new holder's alone.
        lock.release()
        #expect(FileManager.default.fileExists(atPath: tiers + ".lock"))
    }
}

extension EditLockTests {
    @Test func aZombieOrAProcessThatReusedThePidDoesNotHoldTheLock() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let host = ProcessInfo.processInfo.hostName
        // A child that exited and that nobody has reaped yet: kill(pid, 0) still succeeds.
        var zombie: pid_t = 0
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(arguments[0]) }
        #expect(posix_spawn(&zombie, "/bin/true", nil, nil, &arguments, environ) == 0)
        defer { waitpid(zombie, nil, 0) }
        usleep(200_000)
        #expect(kill(zombie, 0) == 0)
        try "pid: \(zombie)\nhost: \(host)\nstarted: 2026-12-01T09:00:00Z\n".write(
            toFile: tiers + ".lock", atomically: true, encoding: .utf8)
        guard case .tookOver(let first, _) = try EditLock.acquire(for: tiers) else {
            Issue.record("a zombie's lock must be taken over")
            return
        }
        first.release()
        // This process is alive, but it started long after the lock was written: the pid was reused.
        try "pid: \(getpid())\nhost: \(host)\nstarted: 2000-01-01T00:00:00Z\n".write(
            toFile: tiers + ".lock", atomically: true, encoding: .utf8)
        guard case .tookOver = try EditLock.acquire(for: tiers) else {
            Issue.record("a lock whose pid now belongs to a later process must be taken over")
            return
        }
    }
}

@Suite struct AtomicFileTests {
    @Test func aFullDiskLeavesTheOldFileAndSaysSoInPlainWords() throws {
        guard let disk = try mountSmallDisk(kilobytes: 64) else {
            print("skipped: cannot mount a tmpfs here (needs root)")
            return
        }
        defer { unmountSmallDisk(disk) }
        let path = disk.appendingPathComponent("tiers.yaml").path
        try AtomicFile.write(Data("old\n".utf8), to: path)
        #expect(throws: FileWriteError(path: path, reason: "no space left on device")) {
            try AtomicFile.write(Data(repeating: 0x41, count: 200_000), to: path)
        }
        #expect(
            "\(FileWriteError(path: path, reason: "no space left on device"))"
                == "no space left on device — tiers.yaml unchanged")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["tiers.yaml"])
    }

    @Test func temporariesOfKilledWritersAreRemovedAndLiveOnesKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tiers = directory.appendingPathComponent("tiers.yaml").path
        let dead = try deadPID()
        let abandoned = [".tiers.yaml.\(dead).tmp", ".tiers.yaml.autosave.\(dead).tmp"]
        let live = ".tiers.yaml.\(getpid()).tmp"
        for name in abandoned + [live, "tiers.yaml", ".other.yaml.\(dead).tmp"] {
            try Data().write(to: directory.appendingPathComponent(name))
        }
        #expect(AtomicFile.removeAbandonedTemporaries(of: tiers) == 2)
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
                == [live, "tiers.yaml", ".other.yaml.\(dead).tmp"])
    }
}
