import TUIKit
import Testing

@testable import IAMTiersUI

/// Under LANG=C the backend draws every cell through `asciiFallback`: nothing the screens draw
/// may come out as a bare question mark.
@Suite struct ASCIIScreenTests {
    @Test func everyCharacterTheScreensDrawHasAnASCIIFallback() {
        let options = ViewOptions(theme: Theme.standard.monochrome(), box: .ascii)
        var screens: [(String, CurationState)] = [("main", exampleState)]
        for key in ["?", "d", "D", "P", "T", "i", "e", "/"] {
            var state = exampleState
            press(&state, .character("2"), .character(Character(key)))
            screens.append((key, state))
        }
        for (name, state) in screens {
            for line in view(state, width: 120, height: 40, options: options).textLines {
                for character in line where !character.isASCII {
                    #expect(asciiFallback(for: character) != "?", "\(name): \(character) in \(line)")
                }
            }
        }
    }
}
