import IAMTiersCore
import TUIKit

/// What can happen on the curation screen: keys and clicks become these (`KeyMap`), and the
/// results of effects come back as these.
public enum CurationAction: Sendable, Hashable {
    /// The cursor of the focused pane: by lines, pages, half pages, to either end.
    case move(Scroll)
    case switchPane, focusServices, focusActions
    /// A click on a row of a pane, and the wheel over a pane.
    case select(CurationState.Pane, row: Int)
    case scroll(CurationState.Pane, by: Int)
    /// Put the marked actions, else the selected one (on the services pane: the service's unplaced
    /// actions, or all of them once every one is placed) into the tier with this index.
    case assign(Int)
    case unassign
    /// Space: mark the selected action (on a service: all it shows) or unmark it; V: mark from the
    /// last marked action to the selected one; Esc: unmark all.
    case toggleMark
    case markRange
    case clearMarks
    case undo, redo
    case save
    /// Results of the effects `CurationSession` performed: the tiers were saved (the new baseline).
    case saved
    case saveFailed(String)
    /// The session wrote (or could not write) the autosave journal.
    case autosaved
    case autosaveFailed(String)
    case recover, discardRecovery
    case quit
    /// `e`: write or change the note on the selected action (why it is in its tier, who asked).
    case editNote
    /// The line being typed (a search, a note, a command, a setting, a reason): a character,
    /// Backspace, Ctrl-U clears, Enter keeps it, Esc leaves it.
    case type(Character)
    case deleteBackward
    case commitText
    case cancelText
    case clearText
    case toggleHelp
    /// The runtime's terminal size, for what a page is.
    case resize(width: Int, height: Int)
    case scrollHelp(Scroll)
    /// `/`: search action names; typing narrows the lists at once, Enter keeps, Esc clears.
    case editQuery
    case clearQuery
    /// `n`, `N`: the next (1) or previous (-1) action the lists show, wrapping across services.
    case nextMatch(Int)
    /// `f`: all actions, unplaced, risky, refused, only in Admin. `o`: by name, calls, last seen.
    case nextFilter
    case nextOrder
    /// `L`: the next access level to show only (then all again); `p`: the next person.
    case nextLevelFilter
    case nextPersonFilter
    /// `w`: write the selected service's actions as safe wildcards, or one by one again.
    case toggleCompression
    /// `d`: what changed since the last save; `D`: the rollout diff against the compared or saved
    /// version, with the used actions it would deny.
    case showChanges
    case showRolloutDiff
    /// `m`: what makes up each tier's meter.
    case showMeters
    case scrollReport(Scroll)
    case closeReport
    /// `P`: the people, replayed against the tiers; and what is done there.
    case togglePeople
    case people(PeopleAction)
    /// `a`: the suggestion rules place the selected action (on a service: its unplaced ones);
    /// `A`: every unplaced action shown.
    case applySuggestion(everywhere: Bool)
    /// `T`: the tier-settings screen, and what is done in it.
    case toggleSettings
    case settings(TierSettingsAction)
    /// `i`: what the draft left open, and what is done there.
    case toggleOpenItems
    case openItems(OpenItemsAction)
    /// `c`: the check panel, and what is done there.
    case toggleChecks
    case checks(ChecksAction)
    /// The keys paused: `check` again, for the header's count.
    case recheck
    /// `:`: the command line; Tab completes the line being typed.
    case editCommand
    case completeText
    /// `:theme NAME`.
    case setTheme(String)
    /// `M`: the session's decisions as Markdown minutes; the session writes them and reports back.
    case writeMinutes
    case minutesWritten(String)
    case minutesFailed(String)
    /// `E`: the policies and templates, written by the session beside the tiers file.
    case exportPolicies
    case exportFinished(String)
    /// `t`: draw the next of the runtime's themes.
    case nextTheme
    /// A key the terminal sent that no screen binds (Alt-1, Ctrl-Up, an unknown sequence): a hint only.
    case unrecognisedKey(String)
}
