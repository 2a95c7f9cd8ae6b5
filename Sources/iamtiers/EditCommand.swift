import ArgumentParser
import Foundation
import IAMTiersCore
import IAMTiersUI
import TUIKit

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Curate tiers full-screen: tick each used action into a tier, watch the size meters, save.",
        discussion: """
            Keys: arrows or j/k move, Tab switches between services and actions, 1, 2, 3 put the action (or, on \
            a service, its unplaced actions) into that tier, 0 or space takes it out, u undoes, Ctrl-R redoes, \
            s saves, q quits (asking when there are unsaved changes). Without --tiers the tiers file is \
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

/// The files behind one curation: loading (or drafting) the tiers, saving them atomically, the
/// autosave journal that survives crashes, and noticing when someone else changed the file.
struct CurationSession {
    var state: CurationState
    let autosavePath: String
    var loadedModificationDate: Date?

    /// With `readOnly` (why), nothing is written: not a draft, not a journal, not a save.
    static func open(usagePath: String, tiersPath: String, workshop: Bool, readOnly: String? = nil) throws
        -> CurationSession
    {
        let catalog = try loadCatalog()
        let usage: Usage
        usage = try Usage.load(usagePath)
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
        let autosavePath = tiersPath + ".autosave"
        if let readOnly {
            state.readOnly = readOnly
            state.message = "read-only: \(readOnly)"
        } else {
            // Temporary files (of the tiers and of the journal) that writers killed mid-write left.
            AtomicFile.removeAbandonedTemporaries(of: tiersPath)
            if let journal = try? TiersFile.load(autosavePath, catalog: catalog), journal.tiers != tiers {
                state.recoveryOffer = journal.tiers
            }
        }
        return CurationSession(
            state: state, autosavePath: autosavePath, loadedModificationDate: Self.modificationDate(tiersPath))
    }

    /// `<tiers>-minutes.md` beside the tiers file, rewritten with every decision so far.
    static func writeMinutes(_ state: inout CurationState) {
        let path = (state.tiersPath as NSString).deletingPathExtension + "-minutes.md"
        let text = Minutes.markdown(
            from: state.openedTiers, to: state.tiers, catalog: state.catalog, tiersPath: state.tiersPath,
            date: String(ISO8601DateFormatter().string(from: Date()).prefix(10)), pseudonyms: state.workshop)
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
            reduce(&state, .minutesWritten(path))
        } catch {
            reduce(&state, .minutesFailed("\(error)"))
        }
    }

    /// `export/` beside the tiers file: what `iamtiers export` writes, from the tiers on screen.
    static func export(_ state: inout CurationState) {
        let folder = ((state.tiersPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "export")
        let findings = TierReview(catalog: state.catalog).check(
            state.tiers, policies: state.policies, warnings: [], usage: state.usage)
        let exporter = Exporter(
            set: state.tiers, policies: state.policies, findings: findings, catalog: state.catalog, accountID: nil)
        do {
            let written = try writeExports(exporter, [.iam, .terraform, .cloudformation, .summary], to: folder)
            let unfit = state.policies.filter { !$0.meter.fits }.map(\.tier)
            reduce(
                &state,
                .exportFinished(
                    "wrote \(counted(written, "file")) to \(folder)"
                        + (unfit.isEmpty ? "" : "; does not fit: \(unfit.joined(separator: ", "))")))
        } catch {
            reduce(&state, .exportFinished("not exported: \(error)"))
        }
    }

    static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    func run(noColor: Bool, themes: ThemeChoice) throws -> Int32 {
        var session = self
        var journaled = state.tiers
        var overwriteConfirmed = false
        let result = try runFullScreen(
            state, noColor: noColor, themes: themes,
            view: { view($0, width: $1, height: $2, options: $3) },
            handle: { state, key in
                if let action = CurationAction(key: key, state: state) { reduce(&state, action) }
            },
            afterEvent: { state in
                if state.wantsMinutes { Self.writeMinutes(&state) }
                if state.wantsExport { Self.export(&state) }
                if state.wantsSave {
                    let changedOnDisk = Self.modificationDate(state.tiersPath) != session.loadedModificationDate
                    if changedOnDisk && !overwriteConfirmed {
                        overwriteConfirmed = true
                        reduce(
                            &state,
                            .saveFailed("\(state.tiersPath) changed on disk since it was loaded; s again overwrites it")
                        )
                        return
                    }
                    do {
                        try TiersFile.save(state.tiers, to: state.tiersPath)
                        try? FileManager.default.removeItem(atPath: session.autosavePath)
                        session.loadedModificationDate = Self.modificationDate(state.tiersPath)
                        overwriteConfirmed = false
                        journaled = state.tiers
                        reduce(&state, .saved)
                    } catch {
                        reduce(&state, .saveFailed("\(error)"))
                    }
                } else if state.recoveryOffer == nil && state.readOnly == nil {
                    // The journal: every change lands on disk at once, so a crash loses nothing; with
                    // nothing unsaved (undone, discarded, saved) there is nothing to recover. A journal
                    // that could not be written is tried again with the next change.
                    if !state.isModified {
                        try? FileManager.default.removeItem(atPath: session.autosavePath)
                        journaled = state.tiers
                    } else if state.tiers != journaled {
                        do {
                            try TiersFile.save(state.tiers, to: session.autosavePath)
                            journaled = state.tiers
                            reduce(&state, .autosaved)
                        } catch {
                            reduce(&state, .autosaveFailed("\(error)"))
                        }
                    }
                }
            },
            acceptsText: \.isTypingText,
            mouse: { state, event, width, height in
                if let action = CurationAction(mouse: event, state: state, width: width, height: height) {
                    reduce(&state, action)
                }
            },
            shouldQuit: \.shouldQuit)
        // Quitting without saving was confirmed: the unsaved state is discarded on purpose.
        if result.status == 0 && result.state.isModified && result.state.readOnly == nil {
            try? FileManager.default.removeItem(atPath: autosavePath)
        }
        return result.status
    }
}
