import IAMTiersCore
import TUIKit

@testable import IAMTiersUI

/// What the tests read of the one overlay and the one prompt, by name.
extension CurationState {
    var report: ReportView? {
        if case .report(let report) = overlay { report } else { nil }
    }
    var people: PeopleCursor? {
        if case .people(let cursor) = overlay { cursor } else { nil }
    }
    var settings: TierSettingsCursor? {
        if case .settings(let cursor) = overlay { cursor } else { nil }
    }
    var openItemSelected: Int? {
        if case .openItems(let cursor) = overlay { cursor.selected } else { nil }
    }
    var helpHighlight: Int? {
        if case .help(let highlighted) = overlay { highlighted } else { nil }
    }
    var recoveryOffer: TierSet? {
        if case .recovery(let offer) = overlay { offer } else { nil }
    }
    var noteDraft: String? {
        if case .note(let editor) = prompt { editor.text } else { nil }
    }
    var queryDraft: String? {
        if case .search(let editor) = prompt { editor.text } else { nil }
    }
}
