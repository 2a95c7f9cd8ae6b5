import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

/// The same moving keys in every list: pages are what the terminal shows, as the runtime reports it.
@Suite struct PagingTests {
    @Test func pagesAndHalfPagesFollowTheTerminalsHeight() throws {
        var state = exampleState
        state.focus = .services
        reduce(&state, .resize(width: 120, height: 40))
        let tall = state.paneRows
        reduce(&state, .resize(width: 80, height: 24))
        let short = state.paneRows
        #expect(tall > short && short > 2)
        press(&state, .pageDown)
        #expect(state.selectedService == short)
        press(&state, .control("u"))
        #expect(state.selectedService == short - short / 2)
        press(&state, .control("d"), .character("G"))
        #expect(state.selectedService == state.services.count - 1)
        press(&state, .home)
        #expect(state.selectedService == 0)
    }

    @Test func everyListOverTheScreenPagesWithTheSameKeys() throws {
        var state = exampleState
        reduce(&state, .resize(width: 120, height: 24))
        press(&state, .character("i"))
        let items = state.tiers.openItems.count
        press(&state, .pageDown)
        let page = try #require(state.openItemSelected)
        #expect(page == 24 - 2 - 2 && page < items)
        press(&state, .character("G"))
        #expect(state.openItemSelected == items - 1)
        press(&state, .control("u"))
        #expect(state.openItemSelected == items - 1 - page / 2)
        press(&state, .escape, .character("c"), .character("G"))
        guard case .checks(let cursor) = state.overlay else {
            Issue.record("c did not open the check panel")
            return
        }
        #expect(cursor.selected == cursor.findings.count - 1)
    }

    @Test func listsOverTheScreenScrollFromTheFirstKey() throws {
        var state = exampleState
        reduce(&state, .resize(width: 120, height: 24))
        press(&state, .character("i"))
        let items = state.tiers.openItems.map { String($0.text.prefix(40)) }
        var screen = view(state, width: 120, height: 24).textLines.joined(separator: "\n")
        #expect(screen.contains(items[0]) && screen.contains(items[1]))
        press(&state, .character("j"))
        screen = view(state, width: 120, height: 24).textLines.joined(separator: "\n")
        #expect(!screen.contains(items[0]) && screen.contains(items[1]), "\(screen)")
    }

    @Test func noKeyMapLeavesAMovingKeyOut() {
        let moving: [Key] = [.up, .down, .pageUp, .pageDown, .home, .end, .control("d"), .control("u")]
        for (name, map) in KeyMap.all where !["text", "recovery"].contains(name) {
            let bound = Set(map.bindings.flatMap(\.keys))
            #expect(moving.allSatisfy(bound.contains), "\(name)")
        }
    }
}
