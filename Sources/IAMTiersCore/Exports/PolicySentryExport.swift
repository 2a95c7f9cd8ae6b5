import Foundation
import SafeText

/// What `policy_sentry write-policy`, of the release iamtiers writes templates for, cannot put in
/// its policy (from `Resources/policy-sentry-gaps.txt`, written by Scripts/update-catalog): actions
/// its database lacks (it stops at the first with a KeyError) and actions whose every resource ARN
/// is another service's (it leaves them out without a word). Templates list both in a comment.
public struct PolicySentryGaps: Sendable {
    public static let format = "iamtiers.policy-sentry-gaps/1"
    /// Which database, as its provenance line says (release and source).
    public let database: String
    /// Lower-cased `service:action`.
    let unknown: Set<String>
    let foreign: Set<String>

    public init(text: String) throws {
        let parts = text.components(separatedBy: "\n\n")
        var header: [String: String] = [:]
        for line in parts[0].split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            if fields.count == 2 { header[String(fields[0])] = String(fields[1]) }
        }
        guard header["format"] == Self.format, parts.count == 2 else {
            throw CatalogError.unreadable(path: "policy-sentry-gaps.txt", reason: "format is not \(Self.format)")
        }
        var unknown = Set<String>()
        var foreign = Set<String>()
        for line in parts[1].split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2 else { continue }
            if fields[0] == "unknown" {
                unknown.insert(fields[1].lowercased())
            } else {
                foreign.insert(fields[1].lowercased())
            }
        }
        database = header["database"] ?? "unknown"
        self.unknown = unknown
        self.foreign = foreign
    }

    public static func bundled() throws -> PolicySentryGaps {
        guard let path = Bundle.module.path(forResource: "policy-sentry-gaps", ofType: "txt"),
            let data = FileManager.default.contents(atPath: path)
        else {
            throw CatalogError.unreadable(path: "policy-sentry-gaps.txt", reason: "not found in the iamtiers resources")
        }
        return try PolicySentryGaps(text: String(decoding: data, as: UTF8.self))
    }

    public func knows(_ action: String) -> Bool { !unknown.contains(action.lowercased()) }

    /// Known, and written into the policy when asked for.
    public func takes(_ action: String) -> Bool {
        let lowered = action.lowercased()
        return !unknown.contains(lowered) && !foreign.contains(lowered)
    }
}

extension Exporter {
    /// One actions-mode template per tier below AdministratorAccess, for `policy_sentry
    /// write-policy --input-file`. Policy Sentry takes actions, not wildcards (a pattern gives an
    /// empty policy), so patterns are written as the actions they match; actions its database lacks
    /// are listed in a comment, not given to it; the dependent actions it will add are named, so the
    /// policy it writes holds no surprise.
    func policySentry(gaps: PolicySentryGaps) -> [ExportFile] {
        set.tiers.filter { !$0.isAdministrator }.map { tier in
            var actions = Set(tier.actions.map(\.action))
            var expanded: [String] = []
            for pattern in tier.patterns.sorted() {
                guard let parsed = try? ActionPattern(pattern) else { continue }
                let matched = catalog.expand(parsed).map(\.fullName)
                expanded.append("#   \(pattern): \(counted(matched.count, "action"))")
                actions.formUnion(matched)
            }
            let sorted = actions.sorted(by: caseInsensitiveLess)
            let taken = sorted.filter(gaps.takes)
            let unknown = sorted.filter { !gaps.knows($0) }
            let foreign = sorted.filter { gaps.knows($0) && !gaps.takes($0) }
            let lowered = Set(sorted.map { $0.lowercased() })
            let added = Set(
                taken.compactMap { catalog.action(named: $0) }.flatMap { catalog.dependentActions(of: $0) }
                    .filter { !lowered.contains($0.lowercased()) && gaps.knows($0) }
            ).sorted(by: caseInsensitiveLess)
            var lines = [
                "# Policy Sentry template for the iamtiers tier \"\(SafeText.cleaned(tier.name))\" (role \(tier.roleName)):",
                "#   policy_sentry write-policy --input-file \(tier.roleName).yml",
                "# Written for \(gaps.database).",
            ]
            if !expanded.isEmpty { lines += ["# Wildcards, written out as the actions they match:"] + expanded }
            if !added.isEmpty {
                lines.append(
                    "# Policy Sentry adds \(counted(added.count, "dependent action")) its database names for these:")
                lines += added.map { "#   \($0)" }
            }
            if !unknown.isEmpty {
                lines.append(
                    "# \(counted(unknown.count, "action")) newer than that database (policy_sentry stops at an "
                        + "action it does not know), add by hand:")
                lines += unknown.map { "#   - \($0)" }
            }
            if !foreign.isEmpty {
                lines.append(
                    "# \(counted(foreign.count, "action")) policy_sentry leaves out of its policy (their resource "
                        + "ARNs are another service's), add by hand:")
                lines += foreign.map { "#   - \($0)" }
            }
            if !tier.deny.isEmpty {
                lines.append(
                    "# The tier's deny list (\(counted(tier.deny.count, "action"))) has no place in a Policy Sentry template."
                )
            }
            lines += ["mode: actions", "name: \(tier.roleName)", "actions:"] + taken.map { "- \($0)" }
            return ExportFile(path: "\(tier.roleName).yml", contents: lines.joined(separator: "\n") + "\n")
        }
    }
}
