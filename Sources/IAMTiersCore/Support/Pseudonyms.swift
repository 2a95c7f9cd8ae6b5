import Foundation

/// Stand-ins for people and account IDs on a screen a room watches (workshop mode): the people of
/// the usage become "person 1", "person 2", … in their sorted order, so the same person keeps the
/// same name all session; other e-mail addresses and 12-digit account IDs get a short stable tag.
public struct Pseudonyms: Sendable, Equatable {
    private let numbered: [String: String]

    public init(people: [String]) {
        var numbered: [String: String] = [:]
        for (index, person) in Set(people.map { $0.lowercased() }).sorted().enumerated() {
            numbered[person] = "person \(index + 1)"
        }
        self.numbered = numbered
    }

    public func redact(_ text: String) -> String {
        // Known people first, as whole strings: session names may hold "=" or "," (alice=ops),
        // which the token pass below would split. Longest first, so no name eats part of another.
        var text = text
        for person in numbered.keys.sorted(by: { $0.count > $1.count }) where text.lowercased().contains(person) {
            text = text.replacingOccurrences(of: person, with: numbered[person]!, options: .caseInsensitive)
        }
        var result = ""
        var token = ""
        func flush() {
            if let known = numbered[token.lowercased()] {
                result += known
            } else if token.contains("@") {
                result += "person-" + tag(token.lowercased())
            } else if token.count == 12 && token.allSatisfy(\.isASCIIDigit) {
                result += "account-" + tag(token)
            } else {
                result += token
            }
            token = ""
        }
        // Tokens are what an address or account ID is made of; everything else separates them.
        for character in text {
            if character.isLetter || character.isNumber || ".@_+-".contains(character) {
                token.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    /// Four hex digits of FNV-1a: the same input gives the same tag in every session.
    private func tag(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash & 0xFFFF, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
