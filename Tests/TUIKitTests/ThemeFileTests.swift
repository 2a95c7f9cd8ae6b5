import Foundation
import Testing

@testable import TUIKit

@Suite struct ThemeFileTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Themes")

    /// Every role a view asks for; a theme may style only these.
    static let knownRoles: Set<String> = [
        "default", "border", "border.focused", "title", "header", "item", "item.selected", "item.selected.unfocused",
        "muted", "status", "status.key", "warning", "error", "attention", "tier.0", "tier.1", "tier.2", "meter.fill",
        "meter.empty", "meter.warn", "meter.over", "modal", "modal.border",
    ]

    static func loadAll() throws -> [String: Theme] {
        var themes: [String: Theme] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: themesFolder.path).filter {
            $0.hasSuffix(".toml")
        }
        for file in files.sorted(by: { ($0 == "default.toml" ? "" : $0) < ($1 == "default.toml" ? "" : $1) }) {
            let text = try String(contentsOf: themesFolder.appendingPathComponent(file), encoding: .utf8)
            let theme = try ThemeFile.parse(text) { name in themes[name] ?? (name == "default" ? .standard : nil) }
            themes[theme.name] = theme
        }
        return themes
    }

    @Test func everyShippedThemeLoadsAndStylesOnlyKnownRoles() throws {
        let themes = try Self.loadAll()
        #expect(Set(themes.keys) == ["default", "light", "high-contrast", "colour-blind-safe", "mono"])
        for theme in themes.values {
            #expect(Set(theme.styles.keys).isSubset(of: Self.knownRoles), "\(theme.name)")
        }
        #expect(themes["default"]?.styles == Theme.standard.styles)
    }

    @Test func monoUsesAttributesOnly() throws {
        let mono = try #require(try Self.loadAll()["mono"])
        #expect(mono.styles.values.allSatisfy { $0.foreground == .default && $0.background == .default })
        #expect(mono.style("item.selected").attributes.contains(.reverse))
    }

    @Test func colourBlindSafeTiersAreDistinctAndNeverRedAgainstGreen() throws {
        let theme = try #require(try Self.loadAll()["colour-blind-safe"])
        let tiers = (0..<3).map { theme.style("tier.\($0)").foreground }
        #expect(Set(tiers).count == 3)
        for color in tiers {
            guard case .rgb(let r, let g, let b) = color else {
                Issue.record("tier colours are exact Okabe-Ito values")
                continue
            }
            // Neither a pure red nor a pure green: the pair deuteranopes and protanopes confuse.
            #expect(!(r > 150 && g < 80 && b < 80) && !(g > 150 && r < 80 && b < 80))
        }
        #expect(theme.style("meter.over").attributes.contains(.reverse))
    }

    @Test func parsingErrorsNameTheLine() {
        #expect(
            throws: ThemeFile.ParseError(
                line: 3, message: "'purplish' is not a colour (a palette name, #rrggbb, 0-255 or a colour name)")
        ) {
            try ThemeFile.parse("name = \"x\"\n[styles]\n\"border\" = { fg = \"purplish\" }\n")
        }
        #expect(throws: ThemeFile.ParseError(line: 2, message: "unknown section [colors] (known: [palette], [styles])"))
        {
            try ThemeFile.parse("name = \"x\"\n[colors]\n")
        }
        #expect(throws: ThemeFile.ParseError(line: 1, message: "inherits 'nope', which is not a known theme")) {
            try ThemeFile.parse("name = \"x\"\ninherits = \"nope\"\n") { _ in nil }
        }
        #expect(
            throws: ThemeFile.ParseError(
                line: 3, message: "unknown attribute 'blink' (known: bold, dim, italic, reverse, underline)")
        ) {
            try ThemeFile.parse("name = \"x\"\n[styles]\n\"title\" = { attrs = [\"blink\"] } # comment\n")
        }
    }

    @Test func coloursAndPalettesResolve() throws {
        let theme = try ThemeFile.parse(
            "name = \"t\"  # comment\n[palette]\nsea = \"#0072b2\"\n[styles]\n"
                + "\"title\" = { fg = \"sea\", bg = \"bright-red\", attrs = [\"bold\", \"underline\"] }\n\"muted\" = { fg = \"244\" }\n"
        )
        #expect(
            theme.style("title")
                == Style(foreground: .rgb(0, 0x72, 0xb2), background: .ansi(9), attributes: [.bold, .underline]))
        #expect(theme.style("muted").foreground == .indexed(244))
    }

    @Test func errorsQuoteTheFileWithoutItsEscapeSequences() {
        do {
            _ = try ThemeFile.parse("name = \"x\"\n\u{1B}]0;pwned\u{07}\u{9B}2J = 1\n")
            Issue.record("an unknown key must be an error")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("line 2: unknown key"), "\(text.debugDescription)")
            #expect(!text.unicodeScalars.contains { SafeTextProbe.isControl($0) }, "\(text.debugDescription)")
        }
    }

    /// Dark text on the terminal's own background is unreadable when that background is dark too.
    @Test func everyShippedThemeThatPicksItsTextColourPicksItsBackground() throws {
        for theme in try Self.loadAll().values where theme.style("default").foreground != .default {
            for (role, style) in theme.styles where style.foreground != .default {
                #expect(style.background != .default, "\(theme.name): \(role)")
            }
        }
        #expect(try #require(try Self.loadAll()["light"]).style("border").background == .rgb(0xfa, 0xfa, 0xfa))
    }

    @Test func aForegroundWithoutBackgroundGetsTheBaseBackground() throws {
        let theme = try ThemeFile.parse(
            "name = \"t\"\n[styles]\n\"default\" = { fg = \"black\", bg = \"#fafafa\" }\n"
                + "\"border\" = { fg = \"blue\" }\n\"header\" = { fg = \"white\", bg = \"blue\" }\n"
                + "\"title\" = { attrs = [\"bold\"] }\n")
        let paper = Color.rgb(0xfa, 0xfa, 0xfa)
        #expect(theme.style("border") == Style(foreground: .ansi(4), background: paper))
        #expect(theme.style("header").background == .ansi(4))
        #expect(theme.style("warning").background == paper)  // inherited from the built-in theme
        #expect(theme.style("title") == Style(attributes: .bold))  // no colour of its own: left alone
        // Themes on the terminal's own colours keep them.
        #expect(
            try ThemeFile.parse("name = \"t\"\n[styles]\n\"border\" = { fg = \"blue\" }\n").style("border").background
                == .default)
    }

    @Test func aBaseForegroundWithoutBackgroundIsRefused() {
        #expect(
            throws: ThemeFile.ParseError(
                line: 4,
                message: "\"default\" sets a foreground but no background: add bg (the colour its text is read on)")
        ) {
            try ThemeFile.parse(
                "name = \"x\"\n[styles]\n\"border\" = { fg = \"blue\" }\n\"default\" = { fg = \"#1c1c1c\" }\n")
        }
    }
}

private enum SafeTextProbe {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
