import Foundation
import IAMTiersCore
import TUIKit

/// One editing session of a tiers file: runs the reducer, performs the effects it returns (save,
/// minutes, export) on a `FileSystem`, feeds the results back as actions, and journals every
/// unsaved change to `<tiers>.autosave` so a crash loses nothing.
public struct CurationSession {
    public var state: CurationState
    let files: any FileSystem
    public let autosavePath: String
    /// When the tiers file was loaded or last saved: a later date means someone else wrote it.
    var loadedModificationDate: Date?
    /// The tiers the journal holds (or, with none written, the saved ones).
    var journaled: TierSet
    /// Whether a journal may be on disk (one a crashed session left, or ours): only then is there
    /// one to remove, rather than on every key.
    var journalMayExist = true
    /// A save over a file changed on disk was refused once; the next `s` overwrites it.
    var overwriteConfirmed = false
    let now: @Sendable () -> Date

    public init(state: CurationState, files: any FileSystem, now: @escaping @Sendable () -> Date = { Date() }) {
        self.state = state
        self.files = files
        self.now = now
        autosavePath = state.tiersPath + ".autosave"
        loadedModificationDate = files.modificationDate(ofItemAtPath: state.tiersPath)
        journaled = state.tiers
    }

    public mutating func send(_ action: CurationAction) {
        for effect in reduce(&state, action) { perform(effect) }
        journal()
    }

    /// Work left for when the keys pause: the header's count of findings.
    public var hasIdleWork: Bool { state.findingsOutdated }

    public mutating func idle() {
        if hasIdleWork { send(.recheck) }
    }

    public mutating func send(key: Key) {
        if let action = CurationAction(key: key, state: state) { send(action) }
    }

    public mutating func send(mouse event: MouseEvent, width: Int, height: Int) {
        if let action = CurationAction(mouse: event, state: state, width: width, height: height) { send(action) }
    }

    /// After the last key: quitting without saving was confirmed, so the journal goes too.
    public func finish() {
        if state.isModified && state.readOnly == nil { files.removeItem(atPath: autosavePath) }
    }

    private mutating func perform(_ effect: CurationEffect) {
        switch effect {
        case .save: save()
        case .writeMinutes: writeMinutes()
        case .export: export()
        }
    }

    private mutating func save() {
        let changedOnDisk = files.modificationDate(ofItemAtPath: state.tiersPath) != loadedModificationDate
        if changedOnDisk && !overwriteConfirmed {
            overwriteConfirmed = true
            reduce(&state, .saveFailed("\(state.tiersPath) changed on disk since it was loaded; s again overwrites it"))
            return
        }
        do {
            try files.write(Data(TiersFile.text(of: state.tiers).utf8), to: state.tiersPath)
            files.removeItem(atPath: autosavePath)
            journalMayExist = false
            loadedModificationDate = files.modificationDate(ofItemAtPath: state.tiersPath)
            overwriteConfirmed = false
            journaled = state.tiers
            reduce(&state, .saved)
        } catch {
            reduce(&state, .saveFailed("\(error)"))
        }
    }

    /// Every change lands in the journal at once; with nothing unsaved (undone, discarded, saved)
    /// there is nothing to recover. A journal that could not be written is tried again with the
    /// next change. Nothing is journaled while the recovery question is open or the view is read-only.
    private mutating func journal() {
        if case .recovery = state.overlay { return }
        guard state.readOnly == nil else { return }
        if !state.isModified {
            if journalMayExist { files.removeItem(atPath: autosavePath) }
            journalMayExist = false
            journaled = state.tiers
        } else if state.tiers != journaled {
            do {
                try files.write(Data(TiersFile.text(of: state.tiers).utf8), to: autosavePath)
                journalMayExist = true
                journaled = state.tiers
                reduce(&state, .autosaved)
            } catch {
                reduce(&state, .autosaveFailed("\(error)"))
            }
        }
    }

    /// `<tiers>-minutes.md` beside the tiers file, rewritten with every decision so far.
    private mutating func writeMinutes() {
        let path = (state.tiersPath as NSString).deletingPathExtension + "-minutes.md"
        let text = Minutes.markdown(
            from: state.openedTiers, to: state.tiers, catalog: state.catalog, tiersPath: state.tiersPath,
            date: String(ISO8601DateFormatter().string(from: now()).prefix(10)), pseudonyms: state.workshop)
        do {
            try files.write(Data(text.utf8), to: path)
            reduce(&state, .minutesWritten(path))
        } catch {
            reduce(&state, .minutesFailed("\(error)"))
        }
    }

    /// `export/` beside the tiers file: what `iamtiers export` writes, from the tiers on screen.
    private mutating func export() {
        let folder = ((state.tiersPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "export")
        let exporter = Exporter(
            set: state.tiers, policies: state.policies, findings: state.currentFindings(), catalog: state.catalog,
            accountID: nil)
        do {
            let written = try exporter.write([.iam, .terraform, .cloudformation, .summary], to: folder, on: files)
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
}
