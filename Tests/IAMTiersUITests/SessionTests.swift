import Foundation
import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

/// Files in memory: any write can be made to fail, and a file can change "on disk" under the session.
final class MemoryFileSystem: FileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var contents: [String: (data: Data, modified: Date)] = [:]
    private var clock = Date(timeIntervalSince1970: 1_800_000_000)
    /// Writes to these paths fail as a full disk would.
    var failing: Set<String> = []

    func text(_ path: String) -> String? {
        lock.withLock { contents[path].map { String(decoding: $0.data, as: UTF8.self) } }
    }
    var paths: [String] { lock.withLock { contents.keys.sorted() } }

    func write(_ data: Data, to path: String) throws {
        try lock.withLock {
            if failing.contains(path) { throw FileWriteError(path: path, reason: "no space left on device") }
            clock += 1
            contents[path] = (data, clock)
        }
    }
    func removeItem(atPath path: String) { _ = lock.withLock { contents.removeValue(forKey: path) } }
    func modificationDate(ofItemAtPath path: String) -> Date? { lock.withLock { contents[path]?.modified } }
}

@Suite struct CurationSessionTests {
    /// The example with its tiers file "on disk".
    func session() throws -> (CurationSession, MemoryFileSystem) {
        let files = MemoryFileSystem()
        try files.write(Data(TiersFile.text(of: exampleState.tiers).utf8), to: "tiers.yaml")
        return (CurationSession(state: exampleState, files: files), files)
    }

    @Test func everyChangeIsJournaledAndASaveReplacesTheJournal() throws {
        var (session, files) = try session()
        session.send(key: .character("2"))
        let journal = try #require(files.text("tiers.yaml.autosave"))
        #expect(journal == TiersFile.text(of: session.state.tiers))
        session.send(key: .character("s"))
        #expect(session.state.message == "saved tiers.yaml" && !session.state.isModified)
        #expect(files.text("tiers.yaml") == journal && files.text("tiers.yaml.autosave") == nil)
        // Undoing back to what was saved is again a change; undoing to the opened tiers is not one.
        session.send(key: .character("u"))
        #expect(files.text("tiers.yaml.autosave") != nil)
    }

    @Test func aFileChangedOnDiskIsOverwrittenOnlyWhenSAskedTwice() throws {
        var (session, files) = try session()
        session.send(key: .character("2"))
        try files.write(Data("someone else's edit\n".utf8), to: "tiers.yaml")
        session.send(key: .character("s"))
        #expect(
            session.state.message
                == "not saved: tiers.yaml changed on disk since it was loaded; s again overwrites it, changes only in memory"
        )
        #expect(files.text("tiers.yaml") == "someone else's edit\n" && session.state.isModified)
        #expect(files.text("tiers.yaml.autosave") == TiersFile.text(of: session.state.tiers))
        session.send(key: .character("s"))
        #expect(
            session.state.message == "saved tiers.yaml"
                && files.text("tiers.yaml") == TiersFile.text(of: session.state.tiers))
    }

    @Test func aFailedAutosaveIsShownAtOnceAndClearedByTheNextWriteThatWorks() throws {
        var (session, files) = try session()
        files.failing = ["tiers.yaml.autosave"]
        session.send(key: .character("2"))
        #expect(
            session.state.message
                == "autosave failed: no space left on device — tiers.yaml.autosave unchanged, changes only in memory")
        #expect(view(session.state, width: 160, height: 40).textLines[0].contains("[autosave failed"))
        files.failing = []
        session.send(key: .down)
        session.send(key: .character("2"))
        #expect(session.state.writeProblem == nil && files.text("tiers.yaml.autosave") != nil)
    }

    @Test func aFailedSaveKeepsTheJournalAndSaysSo() throws {
        var (session, files) = try session()
        session.send(key: .character("2"))
        files.failing = ["tiers.yaml"]
        session.send(key: .character("s"))
        #expect(
            session.state.message == "not saved: no space left on device — tiers.yaml unchanged, changes only in memory"
        )
        #expect(files.text("tiers.yaml.autosave") != nil && session.state.isModified)
    }

    @Test func minutesAndExportAreWrittenBesideTheTiersFile() throws {
        var (session, files) = try session()
        session.send(key: .character("2"))
        session.send(key: .character("M"))
        #expect(session.state.message == "minutes written to tiers-minutes.md")
        #expect(files.text("tiers-minutes.md")?.contains("Operator") == true)
        session.send(key: .character("E"))
        let exported = files.paths.filter { $0.hasPrefix("export/") }
        #expect(session.state.message == "wrote \(exported.count) files to export")
        #expect(exported.contains("export/SUMMARY.md") && exported.contains { $0.hasSuffix(".tf") })
    }

    @Test func quittingWithoutSavingDiscardsTheJournalOnPurpose() throws {
        var (session, files) = try session()
        session.send(key: .character("2"))
        session.send(key: .character("q"))
        session.send(key: .character("q"))
        #expect(session.state.shouldQuit && files.text("tiers.yaml.autosave") != nil)
        session.finish()
        #expect(
            files.text("tiers.yaml.autosave") == nil
                && files.text("tiers.yaml") == TiersFile.text(of: exampleState.tiers))
    }
}

@Suite struct KeyMapTests {
    @Test func noKeyIsBoundTwiceInOneMode() {
        for (name, map) in KeyMap.all {
            var seen: [Key: String] = [:]
            for binding in map.bindings {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(name): \(key) is bound by \(seen[key] ?? "") and \(binding.label)")
                    seen[key] = binding.label
                }
            }
        }
    }

    @Test func theFooterIsMadeOfTheMainScreensRows() {
        let footer = KeyMap.main.footer(exampleState).map { "\($0.keys) \($0.word)" }
        #expect(
            footer == [
                "1-3 tier", "0 none", "Space mark", "Tab pane", "u undo", "^R redo", ": jump", "s save", "? keys",
                "q quit",
            ])
        let status = view(exampleState, width: 120, height: 40).textLines[39]
        #expect(
            status.contains("1-3 tier  0 none  Space mark  Tab pane  u undo  ^R redo  : jump  s save  ? keys  q quit"))
    }

    @Test func tNamesTheThemeItSwitchedTo() {
        var state = exampleState
        state.themeNames = ["default", "light"]
        press(&state, .character("t"))
        #expect(state.theme == 1 && state.message == "theme: light (t: the next)")
        press(&state, .character("e"))  // on a placed action: a note is typed, and t is text there
        press(&state, .character("t"))
        #expect(state.theme == 1 && state.noteDraft == "t")
    }
}

/// What a review of the first version of these screens found.
@Suite struct ReviewFindingsTests {
    @Test func aCommandTypedAtTheColonIsCheckedLikeItsKey() throws {
        var state = exampleState
        state.readOnly = "opened with --read-only"
        press(&state, .character(":"))
        for character in "save" { press(&state, .character(character)) }
        #expect(reduce(&state, .commitText).isEmpty && state.message == "read-only: opened with --read-only")
    }

    @Test func aFailingAutosaveDoesNotStandInTheWayOfQuitting() throws {
        let files = MemoryFileSystem()
        files.failing = ["tiers.yaml.autosave"]
        var session = CurationSession(state: exampleState, files: files)
        session.send(key: .character("2"))
        session.send(key: .character("q"))
        #expect(session.state.confirmingQuit)
        session.send(key: .character("q"))
        #expect(session.state.shouldQuit)
    }

    @Test func undoAndRedoSayTheChangeOnceHoweverOftenTheyAlternate() throws {
        var state = exampleState
        press(&state, .character("2"))
        let said = try #require(state.message)
        for _ in 0..<3 { press(&state, .character("u"), .control("r")) }
        #expect(state.message == "redone: \(said)")
        press(&state, .character("u"))
        #expect(state.message == "undone: \(said)")
    }

    @Test func anUndoDropsTheQuestionOfDeletingATier() throws {
        var state = exampleState
        press(&state, .character("T"), .character("N"), .character("X"))
        #expect(state.message?.hasPrefix("delete New tier?") == true)
        press(&state, .character("u"), .character("X"))
        #expect(state.tiers.tiers.count == exampleState.tiers.tiers.count)
        #expect(state.message?.hasPrefix("delete Operator?") == true, "\(state.message ?? "")")
    }

    @Test func aRoleNameMayChangeOnlyItsCase() throws {
        var state = exampleState
        press(&state, .character("T"), .right, .enter, .control("u"))
        let upper = exampleState.tiers.tiers[0].roleName.uppercased()
        for character in upper { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.tiers.tiers[0].roleName == upper, "\(state.message ?? "")")
    }
}

/// Counts the removals a session asks for: unchanged keys must not touch the disk.
final class CountingFileSystem: FileSystem, @unchecked Sendable {
    let inner = MemoryFileSystem()
    private(set) var removals = 0
    func write(_ data: Data, to path: String) throws { try inner.write(data, to: path) }
    func removeItem(atPath path: String) {
        removals += 1
        inner.removeItem(atPath: path)
    }
    func modificationDate(ofItemAtPath path: String) -> Date? { inner.modificationDate(ofItemAtPath: path) }
}

@Suite struct JournalUpkeepTests {
    @Test func movingAroundRemovesTheJournalOnceNotOnEveryKey() throws {
        let files = CountingFileSystem()
        var session = CurationSession(state: exampleState, files: files)
        for _ in 0..<20 { session.send(key: .down) }
        #expect(files.removals == 1)  // a journal a crashed session may have left
        session.send(key: .character("3"))
        #expect(files.inner.text("tiers.yaml.autosave") != nil)
        session.send(key: .character("u"))
        for _ in 0..<20 { session.send(key: .down) }
        #expect(files.removals == 2 && files.inner.text("tiers.yaml.autosave") == nil)
    }
}
