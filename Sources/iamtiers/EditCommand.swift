import ArgumentParser
import Foundation
import IAMTiersCore
import IAMTiersUI
import TUIKit

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Curate tiers full-screen: tick each used action into a tier, watch the size meters, save.",
        // The keys as the help screen lists them: one table, so the two never disagree.
        discussion: "Keys (? on the screen lists them too): "
            + KeyMap.main.bindings.map { "\($0.label): \($0.meaning)" }.joined(separator: "; ") + ".\n\n"
                + """
                Without --tiers the tiers file is \
                tiers.yaml beside the usage file, drafted by `suggest` when it does not exist. Every change is \
                journaled to <tiers>.autosave; after a crash or a killed terminal the next start offers to recover it. \
                <tiers>.lock says which editor has the file open: a second editor shows it read-only, and a lock \
                left by an editor that no longer runs is taken over.
                """
    )

    @Argument(help: "A usage file written by iamtiers analyze.")
    var usage: String

    @Option(help: "The tiers file to edit (created from a draft when missing).")
    var tiers: String?

    @Option(help: "Another version for D to compare with: a tiers file, IAM policies (folder or document).")
    var compare: String?

    @OptionGroup var display: DisplayOptions

    @Flag(help: "For a room watching: people and account IDs as pseudonyms, a larger detail pane, notes first.")
    var workshop = false

    @Flag(help: "Look without changing anything (what a second editor of the same file gets).")
    var readOnly = false

    func run() throws {
        guard isatty(0) == 1 && isatty(1) == 1 else { throw RuntimeError("edit needs a terminal") }
        try refuseUnusableTerminal()  // before a draft is written beside the usage
        let tiersPath =
            tiers ?? ((usage as NSString).deletingLastPathComponent as NSString).appendingPathComponent("tiers.yaml")
        func name(_ path: String) -> String { (path as NSString).lastPathComponent }
        var lock: EditLock?
        var readOnlyReason = readOnly ? "opened with --read-only" : nil
        var lockMessage: String?
        if !readOnly {
            switch try? EditLock.acquire(for: tiersPath) {
            case .acquired(let acquired): lock = acquired
            case .tookOver(let acquired, let stale):
                lock = acquired
                lockMessage = "took over the lock of \(stale), which is no longer running"
            case .heldElsewhere(let holder, let lockPath):
                // The status line is one line: names, not paths (both files are side by side).
                readOnlyReason =
                    "\(name(tiersPath)) is open in another editor (\(holder)); if none is running, remove \(name(lockPath))"
            case nil: readOnlyReason = "\(EditLock.lockPath(for: tiersPath)) cannot be created, so nothing is saved"
            }
        }
        defer { lock?.release() }

        var session = try CurationSession.open(
            usagePath: usage, tiersPath: tiersPath, workshop: workshop, readOnly: readOnlyReason)
        if let lockMessage { session.state.message = lockMessage }
        if let compare {
            let version = try PolicyFileTiers.loadVersion(
                compare, alignedWith: session.state.tiers, catalog: session.state.catalog)
            session.state.compared = ComparedVersion(label: compare, tiers: version.tiers)
        }
        let status = try session.run(noColor: display.colorsDisabled, themes: display.themes())
        if status != 0 { throw ExitCode(status) }
    }
}

extension CurationSession {
    /// Loads (or drafts) the tiers of a usage and offers an autosave journal left by a session that
    /// ended without saving. With `readOnly` (why), nothing is written: not a draft, not a journal.
    static func open(usagePath: String, tiersPath: String, workshop: Bool, readOnly: String? = nil) throws
        -> CurationSession
    {
        let catalog = try loadCatalog()
        let usage = try Usage.load(usagePath)
        var message: String?
        let tiers: TierSet
        if FileManager.default.fileExists(atPath: tiersPath) {
            let loaded = try TiersFile.load(tiersPath, catalog: catalog)
            tiers = loaded.tiers
            message = loaded.warnings.first
        } else {
            tiers = TierSuggester(catalog: catalog, generator: "iamtiers \(IAMTiers.version)")
                .suggest(from: usage, usagePath: usagePath)
            if readOnly == nil {
                try TiersFile.save(tiers, to: tiersPath)
                message = "drafted \(tiersPath) from \(usagePath) by the suggestion rules"
            }
        }
        var state = CurationState(
            catalog: catalog, usage: usage, usagePath: usagePath, tiers: tiers, tiersPath: tiersPath)
        state.message = message
        if workshop { state.workshop = Pseudonyms(people: usage.people.map(\.name)) }
        if let readOnly {
            state.readOnly = readOnly
            state.message = "read-only: \(readOnly)"
        } else {
            // Temporary files (of the tiers and of the journal) that writers killed mid-write left.
            AtomicFile.removeAbandonedTemporaries(of: tiersPath)
            if let journal = try? TiersFile.load(tiersPath + ".autosave", catalog: catalog), journal.tiers != tiers {
                state.overlay = .recovery(journal.tiers)
            }
        }
        return CurationSession(state: state, files: LocalFileSystem())
    }

    func run(noColor: Bool, themes: ThemeChoice) throws -> Int32 {
        var initial = self
        initial.state.themeNames = themes.names
        initial.state.theme = themes.selected
        let result = try runFullScreen(
            initial, noColor: noColor, themes: themes.themes,
            view: { view($0.state, width: $1, height: $2, options: $3) },
            handle: { $0.send(key: $1) },
            mouse: { $0.send(mouse: $1, width: $2, height: $3) },
            resize: { $0.send(.resize(width: $1, height: $2)) }, idle: { $0.idle() }, hasIdleWork: \.hasIdleWork,
            theme: \.state.theme, shouldQuit: \.state.shouldQuit)
        if result.status == 0 { result.state.finish() }
        return result.status
    }
}
