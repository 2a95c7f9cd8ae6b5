import Foundation

/// The analysed usage of a role: the file `iamtiers analyze -o usage.json` writes and every later
/// step reads. Documented in the README; arrays are sorted so that the file diffs cleanly.
public struct Usage: Codable, Sendable, Equatable {
    public static let format = "iamtiers.usage/2"

    public var format = Usage.format
    public var generator: String
    public var catalog: CatalogStamp
    public var provenance: Provenance
    /// The principals whose calls were analysed: roles (one role can exist in several accounts),
    /// IAM users, the root user, federated users.
    public var principals: [PrincipalSummary]
    public var actions: [ActionUsage]
    public var people: [PersonUsage]
    /// Calls no rule or catalog action explains: shown, never dropped.
    public var unmapped: [UnmappedPair]
    /// Calls AWS does not authorise with IAM (sts:GetCallerIdentity, …): kept out of tiers.
    public var noPermission: [RawPair]
    /// Who signed in to the analysed roles (AssumeRole*, logged under the caller's identity).
    public var signIns: [SignIn]
    /// Actions the calls needed besides their own, each with the call that needed it and why.
    public var companions: [Companion]
    /// Permissions the logs cannot show but the observed calls need or suggest.
    public var hints: [Hint]

    public struct CatalogStamp: Codable, Sendable, Equatable {
        public var date: String
        public var version: String
    }

    public struct Provenance: Codable, Sendable, Equatable {
        public var inputs: [String]
        public var files: Files
        public var events: Events
        public var window: Window?
        public var filters: Filters
        public var shapes: [String: Int]
        public var problems: [InputProblem]
    }

    public struct Files: Codable, Sendable, Equatable {
        public var read: Int
        public var skipped: [String: Int]
        public var unreadable: Int
        public var bytes: Int64
    }

    public struct Events: Codable, Sendable, Equatable {
        /// Every record read, whoever made it.
        public var read: Int
        /// Successful calls of the analysed roles counted as usage.
        public var kept: Int
        /// Calls of the analysed roles from console page views (left out unless --include-console).
        public var console: Int
        /// Calls of the analysed roles refused by IAM (left out unless --include-denied).
        public var denied: Int
        /// Calls a service made for the analysed principals (`invokedBy`), part of `kept`.
        public var onBehalf: Int
        public var otherPrincipals: Int
        public var outsideWindow: Int
        public var otherAccounts: Int
        public var serviceEvents: Int
        /// Data events of the analysed principals, and of anyone: when both are 0 the trail does
        /// not record data events at all.
        public var dataEvents: Int
        public var dataEventsOfAnyone: Int
        public var noPermission: Int
        public var unmapped: Int
        /// Records without eventSource or eventName, plus records lost to syntax errors.
        public var malformed: Int
    }

    public struct Window: Codable, Sendable, Equatable {
        public var first: EventTime
        public var last: EventTime
    }

    public struct Filters: Codable, Sendable, Equatable {
        /// The selection as typed: `--role …`, `--user …`, `--principal …` (empty: the only principal).
        public var selection: [String]
        public var since: EventTime?
        public var until: EventTime?
        public var account: String?
        public var includeConsole: Bool
        public var includeDenied: Bool
    }

    public struct PrincipalSummary: Codable, Sendable, Equatable {
        public var arn: String
        /// role, IAM user, root, federated user, other identity.
        public var type: String
        public var events: Int
        public var sessions: Int
    }

    public struct ActionUsage: Codable, Sendable, Equatable {
        public var action: String
        public var accessLevel: AccessLevel
        public var risk: [String]
        public var count: Int
        public var denied: Int
        public var console: Int
        /// Of `count`, the calls a service made for the caller (S3 calling KMS to read an object).
        public var onBehalf: Int
        public var firstSeen: EventTime?
        public var lastSeen: EventTime?
        public var people: [String]
        public var sources: [SourcePair]
    }

    public struct SourcePair: Codable, Sendable, Equatable {
        public var eventSource: String
        public var eventName: String
        public var count: Int
        public var denied: Int
        public var console: Int
        public var onBehalf: Int
        public var rule: String
    }

    public struct PersonUsage: Codable, Sendable, Equatable {
        public var name: String
        public var calls: Int
        public var denied: Int
        public var firstSeen: EventTime?
        public var lastSeen: EventTime?
        public var actions: [PersonAction]
    }

    public struct PersonAction: Codable, Sendable, Equatable {
        public var action: String
        public var count: Int
        public var denied: Int
    }

    public struct UnmappedPair: Codable, Sendable, Equatable {
        public var eventSource: String
        public var eventName: String
        public var count: Int
        public var denied: Int
        public var console: Int
        public var reason: String
        public var people: [String]
    }

    public struct RawPair: Codable, Sendable, Equatable {
        public var eventSource: String
        public var eventName: String
        public var count: Int
        public var rule: String
    }

    public struct SignIn: Codable, Sendable, Equatable {
        public var roleArn: String
        public var user: String
        public var count: Int
        public var firstSeen: EventTime?
        public var lastSeen: EventTime?
        public var sourceAddresses: Int
    }

    /// An action calls needed besides the one they were logged as (`CompanionRules`).
    public struct Companion: Codable, Sendable, Equatable {
        /// What was needed, and the action whose calls needed it.
        public var action: String
        public var neededBy: String
        /// `passes-role`, `tags-on-create`, `batch-item`, `request-key` or `on-behalf`.
        public var rule: String
        public var reason: String
        public var calls: Int
        public var people: [String]
        /// The calls (`eventSource eventName`) that needed it.
        public var sources: [String]
        /// What it is needed on (the roles passed); empty: any resource.
        public var resources: [String]
        /// For `iam:PassRole`: the services the roles were passed to (`iam:PassedToService`).
        public var passedTo: [String]
    }

    public struct Hint: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable {
            case passRole = "pass-role"
            case dataEvents = "data-events"
            case kms
            /// Actions AWS's lists and the catalog say the calls may need, by request: not granted.
            case possibleCompanions = "possible-companions"
            case noPermission = "no-permission"
        }

        public var kind: Kind
        public var message: String
        /// Actions to consider adding (not observed).
        public var actions: [String]
        /// Observed actions or pairs that led to the hint.
        public var because: [String]
    }

    // MARK: Files

    public func jsonData() -> Data { Data(UsageFileWriter.encode(self)) }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case unsupportedFormat(path: String, format: String)
        case invalid(path: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "cannot read \(path)"
            case .unsupportedFormat(let path, let format):
                return "\(path) is '\(format)', not \(Usage.format): analyse the logs again with this version"
            case .invalid(let path, let reason): return "\(path) is not a usage file: \(reason)"
            }
        }
    }

    public static func load(_ path: String) throws -> Usage {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path) }
        let usage: Usage
        do {
            usage = try data.withUnsafeBytes { try UsageFileReader.decode($0.bindMemory(to: UInt8.self)) }
        } catch {
            // Say what the file is, when it says: another format, or (read to its end) none at all.
            let found = data.withUnsafeBytes { UsageFileReader.format($0.bindMemory(to: UInt8.self)) }
            if let format = found.format, format != Usage.format {
                throw LoadError.unsupportedFormat(path: path, format: format)
            }
            if found.format == nil && found.complete {
                throw LoadError.invalid(path: path, reason: "no \"format\" field")
            }
            throw LoadError.invalid(path: path, reason: "\(error)")
        }
        guard usage.format == Usage.format else { throw LoadError.unsupportedFormat(path: path, format: usage.format) }
        // Later steps add counts up: a crafted file must not make them overflow. Every sum they
        // take is part of one of these totals.
        let sources = usage.actions.flatMap(\.sources)
        let personActions = usage.people.flatMap(\.actions)
        let totals: [[Int]] = [
            usage.actions.map(\.count), usage.actions.map(\.denied), usage.actions.map(\.console),
            sources.map(\.count), sources.map(\.denied), usage.people.map(\.calls), usage.people.map(\.denied),
            personActions.map(\.count), personActions.map(\.denied), usage.unmapped.map(\.count),
            usage.signIns.map(\.count), usage.actions.map(\.onBehalf), usage.companions.map(\.calls),
        ]
        for counts in totals {
            var total = 0
            for count in counts {
                let (sum, overflow) = total.addingReportingOverflow(count)
                guard count >= 0, !overflow, sum <= maximumCount else {
                    throw LoadError.invalid(
                        path: path, reason: "counts out of range (each at least 0, together at most \(maximumCount))")
                }
                total = sum
            }
        }
        return usage
    }

    /// More calls than any trail holds, and far from where sums of them could overflow.
    static let maximumCount = 1_000_000_000_000_000
}
