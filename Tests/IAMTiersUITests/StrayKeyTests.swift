import TUIKit
import Testing

@testable import IAMTiersUI

/// What the terminal sends, through the decoder, into the curation screen: the path a key takes.
func pressBytes(_ state: inout CurationState, _ text: String) {
    var decoder = KeyDecoder()
    for key in decoder.decode(Array(text.utf8)) + decoder.flush() {
        if let action = CurationAction(key: key, state: state) { reduce(&state, action) }
    }
}

@Suite struct StrayKeyTests {
    /// Alt-1/2/3, F12, F13 (xterm's and rxvt's), Home and End as tmux and rxvt send them: once the
    /// digits in them reached the reducer and placed the selected action into a tier.
    static let strayKeys = [
        "\u{1b}1", "\u{1b}2", "\u{1b}3", "\u{1b}[24~", "\u{1b}[1;2P", "\u{1b}[25~", "\u{1b}[1~", "\u{1b}[4~",
        "\u{1b}[7~", "\u{1b}[1;5A", "\u{1b}[2~", "\u{1b}[99~",
    ]

    @Test func strayKeySequencesPlaceNothingAndSayWhatWasPressed() {
        var state = exampleState
        for keys in Self.strayKeys { pressBytes(&state, keys) }
        #expect(state.tiers == exampleState.tiers)
        #expect(state.undoStack.isEmpty)
        pressBytes(&state, "\u{1b}1")
        #expect(state.message == "Alt-1 is not a key here (press ? for keys)")
        pressBytes(&state, "\u{1b}[99~")
        #expect(state.message == "ESC [ 9 9 ~ is not a key here (press ? for keys)")
        pressBytes(&state, "2")  // a digit typed is still a tier key
        #expect(state.tiers != exampleState.tiers)
    }

    /// What the test above guards against: the same bytes split into keystrokes, as ncurses did
    /// with sequences its terminfo entry did not list, do place actions.
    @Test func splitIntoKeystrokesTheSameBytesWouldPlaceActions() {
        var state = exampleState
        for keys in Self.strayKeys {
            for character in keys {
                let key: Key = character == "\u{1b}" ? .escape : .character(character)
                if let action = CurationAction(key: key, state: state) { reduce(&state, action) }
            }
        }
        #expect(state.tiers != exampleState.tiers)
    }

    @Test func anUnrecognisedKeyLeavesAPendingQuestionOpen() {
        var state = exampleState
        press(&state, .character("2"), .character("q"))
        #expect(state.confirmingQuit)
        pressBytes(&state, "\u{1b}[1;2P")
        #expect(state.confirmingQuit && !state.shouldQuit)
        press(&state, .character("q"))
        #expect(state.shouldQuit)
    }

    @Test func homeEndAndOtherKeysKeepTheNoteBeingTyped() throws {
        var state = exampleState
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("e"))
        pressBytes(&state, "ab")
        for keys in Self.strayKeys + ["\u{1b}OH", "\u{1b}[H", "\u{1b}OF", "\u{1b}[A", "\u{1b}[5~", "\u{1b}OP"] {
            pressBytes(&state, keys)
            #expect(state.noteDraft == "ab", "\(Array(keys.utf8))")
        }
        pressBytes(&state, "c\r")
        #expect(state.tiers.tiers[0].actions.first { $0.action == action }?.note == "abc")
        #expect(state.undoStack.count == 1)
    }
}
