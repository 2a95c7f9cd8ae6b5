import SafeText

/// Text from logs is untrusted: it may carry escape sequences that would move the cursor, change
/// colours, set the window title or hide text. Everything drawn or printed passes through here.
public enum TerminalText {
    /// The same rule as where log text enters (`SafeText`), applied again to all that is drawn:
    /// not all of it came through the core (theme files, paths, typed notes).
    public static func sanitized(_ text: String) -> String { SafeText.cleaned(text) }
}
