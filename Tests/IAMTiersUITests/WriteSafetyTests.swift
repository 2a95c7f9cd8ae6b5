import Foundation
import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

/// What the screen says when the tiers cannot be written, or must not be.
@Suite struct WriteSafetyTests {
    @Test func aFailedAutosaveIsSaidAtOnceAndStaysInTheHeaderUntilAWriteSucceeds() throws {
        var state = exampleState
        press(&state, .character("2"))
        reduce(&state, .autosaveFailed("no space left on device — tiers.yaml.autosave unchanged"))
        #expect(
            state.message
                == "autosave failed: no space left on device — tiers.yaml.autosave unchanged, changes only in memory")
        var header = view(state, width: 160, height: 40).textLines[0]
        #expect(header.contains("[autosave failed: no space left on device"), "\(header)")
        // Moving on clears the status line, not the header.
        press(&state, .down)
        header = view(state, width: 160, height: 40).textLines[0]
        #expect(state.message == nil && header.contains("[autosave failed"))
        // Even a narrow terminal keeps the marker in sight.
        #expect(view(state, width: 70, height: 30).textLines[0].contains("[autosave failed"))
        reduce(&state, .autosaved)
        #expect(!view(state, width: 160, height: 40).textLines[0].contains("autosave failed"))
    }

    @Test func aFailedSaveSaysWhyInPlainWords() throws {
        var state = exampleState
        press(&state, .character("2"))
        #expect(reduce(&state, .save) == [.save])
        reduce(&state, .saveFailed("\(FileWriteError(path: "/x/tiers.yaml", reason: "no space left on device"))"))
        #expect(state.message == "not saved: no space left on device — tiers.yaml unchanged, changes only in memory")
        #expect(state.isModified)
        reduce(&state, .saved)
        #expect(state.writeProblem == nil && !state.isModified)
    }

    @Test func aReadOnlyViewRefusesEveryChangeAndSaysWhy() throws {
        var state = exampleState
        state.readOnly = "tiers.yaml is open in another editor (process 42 on host, since 09:00)"
        let before = state.tiers
        for key: Key in [
            .character("2"), .character("0"), .character("u"), .character("s"), .character("a"),
            .character("e"), .character("w"), .character("M"),
        ] {
            press(&state, key)
            #expect(state.tiers == before, "\(key)")
            #expect(state.message?.hasPrefix("read-only: tiers.yaml is open in another editor") == true, "\(key)")
        }
        #expect(reduce(&state, .save).isEmpty && reduce(&state, .writeMinutes).isEmpty && !state.isModified)
        #expect(view(state, width: 160, height: 40).textLines[0].contains("[read-only]"))
        // Looking around still works.
        press(&state, .down, .character("?"))
        #expect(state.helpHighlight == 0)
    }

    @Test func theRecoveryQuestionCanBeLeftWithoutDecidingAnything() throws {
        for key: Key in [.character("q"), .escape, .control("c")] {
            var state = exampleState
            var offer = state.tiers
            offer.tiers[0].actions.removeFirst()
            state.overlay = .recovery(offer)
            press(&state, key)
            #expect(state.shouldQuit, "\(key)")
            #expect(state.recoveryOffer == offer && state.tiers == exampleState.tiers, "\(key)")
        }
    }
}
