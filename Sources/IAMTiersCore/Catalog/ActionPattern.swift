/// An entry of a policy's `Action` element: `service:Action`, with IAM's `*` (any run of characters,
/// including none) and `?` (exactly one character), matched case-insensitively against the whole
/// `service:action` string, so a lone `*` matches every action of every service.
public struct ActionPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let lowercased: [UInt8]
    /// The service prefix when it holds no wildcard, which lets expansion look at one service only.
    public let literalServicePrefix: String?

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case missingServicePrefix(String)
        case invalidCharacter(String, Character)

        public var description: String {
            switch self {
            case .empty: return "an action pattern cannot be empty"
            case .missingServicePrefix(let text):
                return "'\(text)' has no service prefix: write service:Action (e.g. s3:GetObject) or *"
            case .invalidCharacter(let text, let character):
                return "'\(text)' contains '\(character)', which no IAM action name has"
            }
        }
    }

    public init(_ text: String) throws {
        guard !text.isEmpty else { throw ParseError.empty }
        for character in text
        where !(character.isASCII && (character.isLetter || character.isNumber || "-_:*?".contains(character))) {
            throw ParseError.invalidCharacter(text, character)
        }
        let colon = text.firstIndex(of: ":")
        guard colon != nil || text.allSatisfy({ $0 == "*" }) else { throw ParseError.missingServicePrefix(text) }
        self.text = text
        lowercased = text.utf8.map(asciiLowercased)
        if let colon, !text[..<colon].contains(where: { $0 == "*" || $0 == "?" }) {
            literalServicePrefix = text[..<colon].lowercased()
        } else {
            literalServicePrefix = nil
        }
    }

    public var hasWildcard: Bool { lowercased.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") } }
    public var description: String { text }

    /// Matches a lower-cased `service:action`.
    func matches(lowercasedFullName subject: [UInt8]) -> Bool {
        globMatches(lowercased, subject)
    }

    /// Whether the pattern grants `service:action` (any case).
    public func matches(_ fullName: String) -> Bool {
        matches(lowercasedFullName: fullName.utf8.map(asciiLowercased))
    }
}

/// IAM-style glob: `*` any run of bytes (also none), `?` exactly one; both sides compared as given.
extension StringProtocol {
    /// Whether the text has IAM's wildcards (`*`, `?`): a pattern, not a name. Byte by byte, where
    /// Foundation's substring search costs microseconds a call.
    public var hasWildcard: Bool { utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") } }
}

public func globMatches(_ pattern: [UInt8], _ subject: [UInt8]) -> Bool {
    var patternIndex = 0
    var subjectIndex = 0
    // Where the last `*` was and how much of the subject it has swallowed: on a mismatch the star
    // takes one more byte and matching resumes after it (linear backtracking glob).
    var starPattern = -1
    var starSubject = 0
    while subjectIndex < subject.count {
        if patternIndex < pattern.count
            && (pattern[patternIndex] == UInt8(ascii: "?") || pattern[patternIndex] == subject[subjectIndex])
        {
            patternIndex += 1
            subjectIndex += 1
        } else if patternIndex < pattern.count && pattern[patternIndex] == UInt8(ascii: "*") {
            starPattern = patternIndex
            starSubject = subjectIndex
            patternIndex += 1
        } else if starPattern >= 0 {
            starSubject += 1
            subjectIndex = starSubject
            patternIndex = starPattern + 1
        } else {
            return false
        }
    }
    while patternIndex < pattern.count && pattern[patternIndex] == UInt8(ascii: "*") { patternIndex += 1 }
    return patternIndex == pattern.count
}
