import IAMTiersCore
import TUIKit

/// The check panel (`c`): what `iamtiers check` finds in the tiers on screen (limits, sessions,
/// risk, companions, used actions no lower tier grants). Enter shows the action a finding names.
public struct ChecksCursor: Sendable, Equatable {
    public var findings: [TierFinding]
    public var selected = 0
}

public enum ChecksAction: Sendable, Hashable {
    case move(Scroll)
    case show
}

extension CurationState {
    /// `check`'s findings for the tiers as they are now.
    func currentFindings() -> [TierFinding] {
        TierReview(catalog: catalog).check(tiers, policies: policies, warnings: [], usage: usage)
    }

    mutating func recheck() {
        findingCount = currentFindings().count
        findingsOutdated = false
    }
}

func reduceChecks(_ state: inout CurationState, _ action: ChecksAction) {
    guard case .checks(var cursor) = state.overlay else { return }
    switch action {
    case .move(let scroll):
        let count = cursor.findings.count
        cursor.selected = scroll.apply(
            to: cursor.selected, count: count, visible: overlayRows(state, wanted: count + 2, reserved: 0))
        state.overlay = .checks(cursor)
    case .show:
        guard cursor.findings.indices.contains(cursor.selected) else { return }
        state.showClosingOverlay(
            cursor.findings[cursor.selected].action, none: "this finding is about a whole tier: T shows its settings")
    }
}

func drawChecks(_ cursor: ChecksCursor, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let findings = cursor.findings
    let inner = modalFrame(
        &grid, width: 116, height: max(findings.count, 1) + 2,
        title: "Check (\(counted(findings.count, "finding"))): \(KeyMap.checks.hints(state))", options)
    guard !findings.isEmpty else {
        grid.put(
            " Nothing to fix: the tiers pass iamtiers check.", x: inner.x, y: inner.y,
            style: options.theme.style("modal"), clip: inner)
        return
    }
    drawRows(
        count: findings.count,
        line: { index in
            let finding = findings[index]
            return ListLine(text: state.forRoom(finding.description), detail: finding.kind.rawValue)
        }, selected: cursor.selected, focused: true, into: &grid, inner, options.theme, pagesFromFirstKey: true)
}
