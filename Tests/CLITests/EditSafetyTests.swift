import Foundation
import TestSupport
import Testing

/// Two editors, a killed editor and a full disk, in a real terminal.
extension CurationScreenTests {
    @Test func aSecondEditorOfTheSameFileIsReadOnlyAndSaysWhoHasIt() throws {
        let usage = try exampleUsage()
        let folder = usage.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tiers = folder.appendingPathComponent("tiers.yaml")
        let first = try TmuxSession("edit '\(usage.path)'")
        defer { first.close() }
        _ = try waitForFrame(first, containing: "drafted")
        let pid = try #require(first.appPID)
        let saved = try String(contentsOf: tiers, encoding: .utf8)

        let second = try TmuxSession("edit '\(usage.path)'")
        defer { second.close() }
        let screen = try waitForFrame(second, containing: "[read-only]")
        #expect(screen.contains("is open in another editor (process \(pid) on"), "\(screen)")
        try second.keys("2")
        _ = try second.waitFor("the refusal") { $0.contains("read-only: ") && !$0.contains("into Operator") }
        try second.keys("q")
        #expect(try second.exitStatus() == "0")
        #expect(try String(contentsOf: tiers, encoding: .utf8) == saved)
        #expect(FileManager.default.fileExists(atPath: tiers.path + ".lock"))

        try first.keys("q")
        #expect(try first.exitStatus() == "0")
        #expect(!FileManager.default.fileExists(atPath: tiers.path + ".lock"))
    }

    @Test func theLockOfAKilledEditorIsTakenOverAfterSayingSo() throws {
        let usage = try exampleUsage()
        defer { try? FileManager.default.removeItem(at: usage.deletingLastPathComponent()) }
        let first = try TmuxSession("edit '\(usage.path)'")
        defer { first.close() }
        _ = try waitForFrame(first, containing: "drafted")
        let pid = try #require(first.appPID)
        _ = try run("/bin/kill", ["-KILL", pid])
        _ = try first.exitStatus()

        let second = try TmuxSession("edit '\(usage.path)'")
        defer { second.close() }
        let screen = try waitForFrame(second, containing: "took over the lock of process \(pid)")
        #expect(screen.contains("which is no longer running") && !screen.contains("[read-only]"))
    }

    @Test func aFullDiskIsInTheHeaderUntilAWriteSucceeds() throws {
        guard let disk = try mountSmallDisk(kilobytes: 4096) else {
            print("skipped: cannot mount a tmpfs here (needs root)")
            return
        }
        defer { unmountSmallDisk(disk) }
        let usage = disk.appendingPathComponent("usage.json")
        let source = try exampleUsage()
        defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
        try FileManager.default.copyItem(at: source, to: usage)
        let editor = try TmuxSession("edit '\(usage.path)'")
        defer { editor.close() }
        _ = try waitForFrame(editor, containing: "drafted")
        let filler = disk.appendingPathComponent("filler")
        _ = try run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=64k"])

        try editor.keys("2")
        let full = try editor.waitFor("the autosave failure") {
            $0.contains("[autosave failed: no space left on device")
        }
        #expect(full.contains("changes only in memory"))
        try editor.keys("j")
        _ = try editor.waitFor("the marker to stay") {
            !$0.contains("into Operator") && $0.contains("[autosave failed")
        }

        try FileManager.default.removeItem(at: filler)
        try editor.keys("2")
        _ = try editor.waitFor("the marker to go") { $0.contains("into Operator") && !$0.contains("[autosave failed") }
        #expect(FileManager.default.fileExists(atPath: disk.appendingPathComponent("tiers.yaml.autosave").path))
    }
}

extension CurationScreenTests {
    @Test func anEmojiZWJSequenceInANameKeepsTheBoxesWhole() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}"
        let event = """
            {"Records":[{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/Admin/\(family)-dev\u{1F469}\u{200D}\u{1F4BB}",\
            "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/Admin"}}},"eventTime":"2026-10-01T08:00:00Z",\
            "eventSource":"acm.amazonaws.com","eventName":"ListCertificates"}]}
            """
        try event.write(to: directory.appendingPathComponent("logs.json"), atomically: true, encoding: .utf8)
        let usage = directory.appendingPathComponent("usage.json").path
        #expect(try IAMTiersBinary.run("analyze", "--role", "Admin", directory.path, "-o", usage).status == 0)
        let editor = try TmuxSession("edit '\(usage)'")
        defer { editor.close() }
        let screen = try waitForFrame(editor, containing: "people: ")
        let people = try #require(screen.split(separator: "\n").first { $0.contains("people: ") })
        // Drawn apart, the parts take the columns the screen counted: the pane's right border stays.
        #expect(people.hasSuffix("│"), "\(people)")
        #expect(people.contains("\u{1F468}\u{1F469}\u{1F467}\u{1F466}-dev\u{1F469}\u{1F4BB}"), "\(people)")
    }
}
