import IAMTiersCore
import TUIKit

/// A read-only page of lines over the screen: `d` (changes since the last save), `D` (the rollout
/// diff, as `iamtiers diff` prints it) and `m` (what makes up each meter). The moving keys scroll
/// it; any other key closes.
public struct ReportView: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    /// The first line shown.
    public var top = 0
}

/// Another version of the tiers the session compares with (`edit --compare`).
public struct ComparedVersion: Sendable {
    public var label: String
    public var tiers: TierSet

    public init(label: String, tiers: TierSet) {
        self.label = label
        self.tiers = tiers
    }
}

/// The page moves from the first key: lines below come into sight at once.
func scrollReport(_ state: inout CurationState, _ scroll: Scroll) {
    guard case .report(var report) = state.overlay else { return }
    report.top = ScrollingPage(top: report.top, lines: report.lines.count).scrolled(
        scroll, rows: overlayRows(state, wanted: report.lines.count + 4, reserved: 2))
    state.overlay = .report(report)
}

/// `D`: the session's tiers against the compared file, or else against the saved file, by effect,
/// with the used actions the change would deny below Admin.
func rolloutDiffReport(_ state: CurationState) -> ReportView {
    let base = state.compared ?? ComparedVersion(label: state.tiersPath + " as saved", tiers: state.savedTiers)
    let diff = RolloutDiff(
        old: base.tiers, new: state.tiers, oldLabel: base.label, newLabel: "this session", catalog: state.catalog,
        usage: state.usage)
    return ReportView(
        title: "\(base.label) → this session",
        lines: Array(
            diff.text().split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init)
        ))
}

func drawReport(_ report: ReportView, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let inner = modalFrame(
        &grid, width: 110, height: report.lines.count + 4,
        title: "\(report.title) (\(KeyMap.report.hints(state)))", options)
    let rows = inner.height - 2
    guard rows > 0 else { return }
    let page = ScrollingPage(top: report.top, lines: report.lines.count)
    for (offset, index) in page.shown(rows: rows).enumerated() {
        grid.put(
            " " + state.forRoom(report.lines[index]).truncated(toWidth: inner.width - 2), x: inner.x,
            y: inner.y + 1 + offset, style: options.theme.style("modal"), clip: inner)
    }
    page.drawHint(rows: rows, into: &grid, inner, options)
}
