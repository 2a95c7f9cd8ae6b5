/// Named styles ("roles") that views use instead of literal colours. A role `a.b.c` falls back to
/// `a.b`, then `a`, then `default`, so themes only state what they change.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [String: Style]

    public init(name: String, styles: [String: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: String) -> Style {
        var key = Substring(role)
        while true {
            if let style = styles[String(key)] { return style }
            guard let dot = key.lastIndex(of: ".") else { return styles["default"] ?? .plain }
            key = key[..<dot]
        }
    }

    /// The built-in dark theme (ANSI colours, so it reads on any palette).
    public static let standard = Theme(
        name: "default",
        styles: [
            "default": Style(),
            "border": Style(foreground: .ansi(8)),
            "border.focused": Style(foreground: .ansi(6), attributes: .bold),
            "title": Style(attributes: .bold),
            "header": Style(foreground: .ansi(0), background: .ansi(6)),
            "item.selected": Style(foreground: .ansi(0), background: .ansi(6), attributes: .bold),
            "item.selected.unfocused": Style(background: .ansi(8)),
            "muted": Style(foreground: .ansi(8)),
            "status": Style(foreground: .ansi(7), background: .ansi(8)),
            "status.key": Style(foreground: .ansi(11), background: .ansi(8), attributes: .bold),
            "warning": Style(foreground: .ansi(3), attributes: .bold),
            "error": Style(foreground: .ansi(1), attributes: .bold),
            "attention": Style(foreground: .ansi(3)),
            "tier.0": Style(foreground: .ansi(6), attributes: .bold),
            "tier.1": Style(foreground: .ansi(3), attributes: .bold),
            "tier.2": Style(foreground: .ansi(5), attributes: .bold),
            "meter.fill": Style(foreground: .ansi(6)),
            "meter.empty": Style(foreground: .ansi(8)),
            "meter.warn": Style(foreground: .ansi(3), attributes: .bold),
            "meter.over": Style(foreground: .ansi(1), attributes: [.bold, .reverse]),
            "modal": Style(foreground: .ansi(7), background: .ansi(4)),
            "modal.border": Style(foreground: .ansi(15), background: .ansi(4), attributes: .bold),
        ])

    /// No colours at all (NO_COLOR, dumb terminals): attributes carry the meaning.
    public func monochrome() -> Theme {
        var plain = styles.mapValues { Style(attributes: $0.attributes) }
        for role in plain.keys where role.contains("selected") { plain[role]?.attributes.insert(.reverse) }
        plain["header"] = Style(attributes: [.reverse, .bold])
        plain["status"] = Style(attributes: .reverse)
        plain["status.key"] = Style(attributes: [.reverse, .bold])
        return Theme(name: name + " (monochrome)", styles: plain)
    }
}
