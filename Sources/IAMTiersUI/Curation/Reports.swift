import IAMTiersCore
import TUIKit

/// A read-only page of lines over the screen: `d` (changes since the last save) and `D` (the
/// rollout diff, as `iamtiers diff` prints it). ↑ ↓ PgUp PgDn g G scroll; any other key closes.
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

extension CurationAction {
    init(reportKey key: Key) {
        switch key {
        case .up, .character("k"): self = .scrollReport(-1)
        case .down, .character("j"): self = .scrollReport(1)
        case .pageUp: self = .scrollReport(-curationPage)
        case .pageDown, .character(" "): self = .scrollReport(curationPage)
        case .home, .character("g"): self = .scrollReport(-Int.max / 2)
        case .end, .character("G"): self = .scrollReport(Int.max / 2)
        default: self = .closeReport
        }
    }
}

func scrollReport(_ state: inout CurationState, by delta: Int) {
    guard var report = state.report else { return }
    report.top = min(max(0, report.top.addingReportingOverflow(delta).partialValue), max(0, report.lines.count - 1))
    state.report = report
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
        title: "\(report.title) (↑ ↓ scroll, any other key closes)", options)
    let room = inner.height - 2
    guard room > 0 else { return }
    let top = min(report.top, max(0, report.lines.count - room))
    let shown = report.lines[top..<min(report.lines.count, top + room)]
    for (offset, line) in shown.enumerated() {
        grid.put(
            " " + state.forRoom(line).truncated(toWidth: inner.width - 2), x: inner.x, y: inner.y + 1 + offset,
            style: options.theme.style("modal"), clip: inner)
    }
    let below = report.lines.count - top - shown.count
    if top > 0 || below > 0 {
        let position = " \(top) above, \(below) below "
        grid.put(
            position, x: inner.maxX - displayWidth(of: position) - 1, y: inner.maxY - 1,
            style: options.theme.style("modal.border"), clip: inner)
    }
}
