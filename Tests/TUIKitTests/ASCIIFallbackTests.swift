import Testing

@testable import TUIKit

@Suite struct ASCIIFallbackTests {
    @Test func boxesBarsAndArrowsBecomeTheirASCIILookalikes() {
        let unicode = BoxCharacters.unicode
        let ascii = BoxCharacters.ascii
        for (drawn, expected) in [
            (unicode.horizontal, ascii.horizontal), (unicode.vertical, ascii.vertical),
            (unicode.topLeft, ascii.topLeft), (unicode.topRight, ascii.topRight),
            (unicode.bottomLeft, ascii.bottomLeft), (unicode.bottomRight, ascii.bottomRight),
        ] {
            #expect(asciiFallback(for: drawn) == expected)
        }
        #expect("═║╔┼┃╌".map(asciiFallback) == Array("-|++|-"))
        #expect("▕█░▏".map(asciiFallback) == Array("|#.|"))
        #expect("↑↓←→·…–“”⚑×".map(asciiFallback) == Array("^v<>.~-\"\"!x"))
    }

    @Test func asciiStaysAndTheRestIsOneQuestionMark() {
        #expect("s3:GetObject [R] ?1".map(asciiFallback) == Array("s3:GetObject [R] ?1"))
        #expect("é日🍎\u{FFFD}".map(asciiFallback) == Array("????"))
    }
}
