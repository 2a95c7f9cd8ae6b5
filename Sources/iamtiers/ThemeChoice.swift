import ArgumentParser
import Foundation
import TUIKit

/// A resource the executable carries (Scripts/bundle-resources copies them from the project's
/// Examples/ and Themes/): the demo and the themes work from any folder.
func bundledResource(_ name: String) -> String? {
    Bundle.module.resourceURL.map { $0.appendingPathComponent(name).path }
        .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
}

/// The themes to cycle through with `t`, and the one to start with: `--theme NAME|PATH`, else
/// IAMTIERS_THEME, else default. A theme that cannot be read is reported and skipped.
struct ThemeChoice {
    var themes: [Theme]
    var selected: Int
    var problems: [String]
    var names: [String] { themes.map(\.name) }

    static func load(requested: String?) -> ThemeChoice {
        var themes: [Theme] = []
        var problems: [String] = []
        func read(_ path: String) -> Theme? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                problems.append("cannot read theme \(path)")
                return nil
            }
            do {
                return try ThemeFile.parse(text) { name in
                    themes.first { $0.name == name } ?? (name == "default" ? .standard : nil)
                }
            } catch {
                problems.append("theme \(path): \(error); using the default theme")
                return nil
            }
        }
        if let folder = bundledResource("Themes"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        {
            // default first, so that others can inherit from it.
            let files = names.filter { $0.hasSuffix(".toml") }.sorted()
            for name in files.filter({ $0 == "default.toml" }) + files.filter({ $0 != "default.toml" }) {
                if let theme = read((folder as NSString).appendingPathComponent(name)) { themes.append(theme) }
            }
        }
        if !themes.contains(where: { $0.name == "default" }) { themes.insert(.standard, at: 0) }
        let wanted = requested ?? ProcessInfo.processInfo.environment["IAMTIERS_THEME"]
        var selected = themes.firstIndex { $0.name == "default" } ?? 0
        if let wanted, !wanted.isEmpty {
            if let index = themes.firstIndex(where: { $0.name == wanted }) {
                selected = index
            } else if FileManager.default.fileExists(atPath: wanted) {
                if let theme = read(wanted) {
                    themes.append(theme)
                    selected = themes.count - 1
                }
            } else {
                problems.append(
                    "unknown theme '\(wanted)' (known: \(themes.map(\.name).joined(separator: ", "))); using the default theme"
                )
            }
        }
        return ThemeChoice(themes: themes, selected: selected, problems: problems)
    }
}

/// `--no-color` and `--theme`, shared by the full-screen commands.
struct DisplayOptions: ParsableArguments {
    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Option(
        help:
            "A theme from Themes/ (default, light, high-contrast, colour-blind-safe, mono) or a theme file; t cycles them."
    )
    var theme: String?

    /// The themes, with any problem reported on stderr (before the screen takes over the terminal).
    func themes() -> ThemeChoice {
        let choice = ThemeChoice.load(requested: theme)
        for problem in choice.problems { printError("iamtiers: \(problem)") }
        return choice
    }

    /// NO_COLOR (no-color.org) or --no-color.
    var colorsDisabled: Bool { noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty }
}
