import IAMTiersCore
import TUIKit

/// What covers the main screen, at most one at a time. Each case holds its own cursor; key
/// routing (`KeyMap.current`) and drawing (`drawOverlay`) both switch over it, so a new screen is one
/// new case the compiler leads through both.
public enum Overlay: Sendable, Equatable {
    /// Unsaved changes of a session that ended without saving, offered at start.
    case recovery(TierSet)
    /// `?`: every key; the first row shown.
    case help(top: Int)
    /// `d`, `D` and `m`: a page of lines.
    case report(ReportView)
    /// `P`: the people replayed against the tiers.
    case people(PeopleCursor)
    /// `T`: the tier settings.
    case settings(TierSettingsCursor)
    /// `i`: what the draft left open.
    case openItems(OpenItemsCursor)
    /// `c`: `check`'s findings.
    case checks(ChecksCursor)
}

/// A line being typed at the foot of the main screen.
public enum Prompt: Sendable, Equatable {
    /// `/`: the search, narrowing the lists with every key.
    case search(LineEditor)
    /// `e`: the decision note of the selected action.
    case note(LineEditor)
    /// `:`: a command, a service or an action to jump to.
    case command(LineEditor)

    public var editor: LineEditor {
        switch self {
        case .search(let editor), .note(let editor), .command(let editor): editor
        }
    }
}

func drawOverlay(_ overlay: Overlay, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    switch overlay {
    case .recovery(let offer): drawRecovery(offer, state, into: &grid, options)
    case .help(let top): drawHelp(from: top, state, into: &grid, options)
    case .report(let report): drawReport(report, state, into: &grid, options)
    case .people(let cursor): drawPeople(cursor, state, into: &grid, options)
    case .settings(let cursor): drawTierSettings(cursor, state, into: &grid, options)
    case .openItems(let cursor): drawOpenItems(cursor, state, into: &grid, options)
    case .checks(let cursor): drawChecks(cursor, state, into: &grid, options)
    }
}
