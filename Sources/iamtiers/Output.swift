import Foundation
import TUIKit

/// Writes a line to standard error (messages that must not mix into piped output). Messages quote
/// file names, YAML and theme lines: they are sanitised like every other printed line.
func printError(_ text: String) {
    FileHandle.standardError.write(Data(sanitizedLines(text + "\n").utf8))
}

/// Left column padded to `width`, for aligned key/value listings.
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// JSON escapes C0 controls but leaves C1 controls (U+009B starts a terminal sequence) and bidi
/// overrides as they are: names from logs are sanitised like every other printed line.
func printJSON<T: Encodable>(_ value: T) throws {
    printSanitizedLines(try jsonText(value))
}

/// Pretty JSON with sorted keys (stable for diffs), ending in a newline.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// Prints a report with escape and control characters removed: names in it come from logs and
/// policy files.
func printSanitizedLines(_ text: String) {
    print(sanitizedLines(text), terminator: "")
}

/// The text line by line, each line without escape or control characters (files get the same
/// treatment as the terminal: they are read in one, and pasted into spreadsheets).
func sanitizedLines(_ text: String) -> String {
    // Plain printable ASCII and line ends, the usual case, needs no work (reports run to megabytes).
    if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
        .map { TerminalText.sanitized(String($0)) + "\n" }.joined()
}

/// A runtime failure worded for people: `main` prints it as one line and exits with status 2.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
