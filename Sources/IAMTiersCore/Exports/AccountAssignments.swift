import Foundation
import SafeText

/// Who gets which tier, as `replay --format json` proposes (each person's lowest tier that allows
/// all their calls). For permission sets the exports turn it into account assignments, with each
/// person's IAM Identity Center principal (a user or a group) left as a variable or parameter:
/// the logs name people by session name, not by principal ID.
public struct ProposedAssignment: Sendable, Equatable {
    public var person: String
    public var tier: String

    public init(person: String, tier: String) {
        self.person = person
        self.tier = tier
    }

    public struct LoadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    private struct ReplayFile: Decodable {
        struct Person: Decodable {
            var person: String
            var proposedTier: String?
        }
        var format: String
        var people: [Person]
    }

    /// The proposals of a replay JSON file, people without a proposal left out; names from the
    /// logs are cleaned as everywhere else.
    public static func load(_ path: String) throws -> [ProposedAssignment] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, reason: "no such file or not readable")
        }
        let file: ReplayFile
        do {
            file = try JSONDecoder().decode(ReplayFile.self, from: data)
        } catch {
            throw LoadError(path: path, reason: "not the JSON of iamtiers replay --format json")
        }
        guard file.format == Replay.format else {
            throw LoadError(path: path, reason: "format is \(file.format), not \(Replay.format)")
        }
        return file.people.compactMap { person in
            person.proposedTier.map { ProposedAssignment(person: SafeText.cleaned(person.person), tier: $0) }
        }
    }
}

extension Exporter {
    /// The proposals whose tier is a permission set, with its index; SAML roles are given to
    /// people in the identity provider instead.
    var permissionSetAssignments: [(person: String, tier: Int)] {
        assignments.compactMap { proposal in
            set.tiers.firstIndex { $0.name == proposal.tier && $0.container == .identityCenter }.map {
                (proposal.person, $0)
            }
        }
    }
}
