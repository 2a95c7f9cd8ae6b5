/// A finding about the tiers that a reviewer or CI must look at.
public struct TierFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case doesNotFit = "does-not-fit"
        case session
        case risk
        case unassignedUsage = "unassigned-usage"
        case adminOnlyUsage = "admin-only-usage"
        case notConfigurationRead = "not-configuration-read"
        case missingCompanion = "missing-companion"
    }

    public var kind: Kind
    public var tier: String?
    public var action: String?
    public var message: String

    public var description: String {
        [tier.map { "[\($0)]" }, action, message].compactMap { $0 }.joined(separator: " ")
    }
}

/// Risk lint and the checks `iamtiers check` runs: what does not fit, impossible sessions, risky
/// actions below Admin without a note accepting them, and used actions no lower tier grants.
public struct TierReview {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Calls that run code or start resources with a role they are handed: with iam:PassRole in the
    /// same role, they let it act as any role it may pass.
    static let runsWithPassedRole: Set<String> = [
        "lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "ec2:RunInstances",
        "ecs:RunTask", "ecs:RegisterTaskDefinition", "cloudformation:CreateStack", "cloudformation:UpdateStack",
        "glue:CreateJob", "glue:UpdateJob", "codebuild:CreateProject", "states:CreateStateMachine",
        "sagemaker:CreateNotebookInstance", "datapipeline:CreatePipeline",
    ]

    /// Risky actions each non-Admin tier's role is granted, with the reason, and what a
    /// configuration-read tier holds besides configuration reads; an assignment with a note counts
    /// as accepted.
    public func riskFindings(_ set: TierSet) -> [TierFinding] {
        var findings: [TierFinding] = []
        for index in set.tiers.indices where !set.tiers[index].isAdministrator {
            let tier = set.tiers[index]
            if tier.configurationReadOnly { findings += configurationReadFindings(tier) }
            for assignment in TiersFile.sortedAssignments(tier.actions) where (assignment.note ?? "").isEmpty {
                guard let action = catalog.action(named: assignment.action) else { continue }
                var reasons = action.risk.flags.names
                if action.accessLevel == .permissionsManagement { reasons.append("permissions management") }
                guard !reasons.isEmpty else { continue }
                var message = reasons.joined(separator: ", ") + " below Admin; add a note to accept it"
                if action.fullName == "iam:PassRole" {
                    message +=
                        assignment.isScoped
                        ? " (scoped: "
                            + assignment.scopes.map { scope in
                                counted(scope.resources.count, "role")
                                    + (scope.passedTo.isEmpty ? "" : " to \(scope.passedTo.joined(separator: ", "))")
                            }.joined(separator: "; ") + ")"
                        : " (and scope it: Resource to the role ARNs it may pass, with an iam:PassedToService condition)"
                }
                findings.append(TierFinding(kind: .risk, tier: tier.name, action: action.fullName, message: message))
            }
            let granted = Set(set.grantedActions(of: index).map(\.action))
            if granted.contains("iam:PassRole") {
                let passRole = set.grantedActions(of: index).first { $0.action == "iam:PassRole" }
                let roles = Set(passRole?.scopes.flatMap(\.resources) ?? []).sorted()
                let which =
                    roles.isEmpty ? "any role it can pass" : "the roles it can pass (\(roles.joined(separator: ", ")))"
                for runner in granted.intersection(Self.runsWithPassedRole).sorted() {
                    findings.append(
                        TierFinding(
                            kind: .risk, tier: tier.name, action: runner,
                            message: "with iam:PassRole in the same role, \(runner) runs code as \(which): "
                                + "privilege escalation unless those roles hold no more than this one"))
                }
            }
        }
        return findings
    }

    /// What a configuration-read tier holds that is not a configuration read: its own actions
    /// (unless a note accepts one) and what its patterns grant.
    func configurationReadFindings(_ tier: Tier) -> [TierFinding] {
        var findings: [TierFinding] = []
        for assignment in TiersFile.sortedAssignments(tier.actions) where (assignment.note ?? "").isEmpty {
            guard let action = catalog.action(named: assignment.action),
                let objection = action.configurationReadObjection
            else { continue }
            findings.append(
                TierFinding(
                    kind: .notConfigurationRead, tier: tier.name, action: action.fullName,
                    message: "is \(objection); this tier holds configuration reads only: move it up or add a note"))
        }
        for text in tier.patterns.sorted() {
            guard let pattern = try? ActionPattern(text) else { continue }
            let others = catalog.expand(pattern).filter { !$0.isConfigurationRead }
            guard !others.isEmpty else { continue }
            let named = others.prefix(5).map(\.fullName).joined(separator: ", ") + (others.count > 5 ? ", …" : "")
            findings.append(
                TierFinding(
                    kind: .notConfigurationRead, tier: tier.name, action: text,
                    message:
                        "grants \(counted(others.count, "action")) that \(others.count == 1 ? "is not a configuration read" : "are not configuration reads") (\(named)); "
                        + "this tier holds configuration reads only"))
        }
        return findings
    }

    /// A tier's role gets an action but not a companion it needs: the tiers file's own relations
    /// (`companion-of`, which export fills in), and with a usage those its calls showed.
    func companionFindings(_ set: TierSet, policies: [TierPolicies], usage: Usage?) -> [TierFinding] {
        var findings: [TierFinding] = []
        for index in set.tiers.indices where !set.tiers[index].isAdministrator {
            let tier = set.tiers[index]
            let granted = set.grantedActions(of: index)
            let names = Set(granted.map { $0.action.lowercased() })
            for companion in policies[index].addedCompanions {
                for needing in companion.companionOf where names.contains(needing.lowercased()) {
                    findings.append(
                        TierFinding(
                            kind: .missingCompanion, tier: tier.name, action: needing,
                            message: "needs \(companion.action), which this role does not get (it is in "
                                + "\(set.tier(of: companion.action)?.name ?? "no tier")): export adds it to \(tier.name); "
                                + "place \(companion.action) here, or add a note on \(needing) to accept the gap"))
                }
            }
            let added = Set(policies[index].addedCompanions.map { $0.action.lowercased() })
            let accepted = Set(granted.filter { !($0.note ?? "").isEmpty }.map { $0.action.lowercased() })
            for companion in usage?.companions ?? []
            where names.contains(companion.neededBy.lowercased()) && !names.contains(companion.action.lowercased())
                && !added.contains(companion.action.lowercased()) && !accepted.contains(companion.neededBy.lowercased())
            {
                findings.append(
                    TierFinding(
                        kind: .missingCompanion, tier: tier.name, action: companion.neededBy,
                        message: "needs \(companion.action) (\(companion.rule): \(companion.reason)), which this role "
                            + "does not get; add it here, or a note on \(companion.neededBy) to accept the gap"))
            }
        }
        return findings
    }

    /// Everything `check` reports. Empty means the tiers can be deployed as they are.
    public func check(_ set: TierSet, policies: [TierPolicies], warnings: [String], usage: Usage?) -> [TierFinding] {
        var findings: [TierFinding] = []
        for (tier, policy) in zip(set.tiers, policies) {
            for problem in policy.meter.problems {
                findings.append(TierFinding(kind: .doesNotFit, tier: tier.name, action: nil, message: problem))
            }
        }
        findings += companionFindings(set, policies: policies, usage: usage)
        for warning in warnings {
            findings.append(TierFinding(kind: .session, tier: nil, action: nil, message: warning))
        }
        findings += riskFindings(set)
        guard let usage else { return findings }
        // One index, not a scan of every tier per used action: the editor checks on every change.
        var placed: [String: (tier: Tier, note: String?)] = [:]
        for tier in set.tiers {
            for assignment in tier.actions { placed[assignment.action.lowercased()] = (tier, assignment.note) }
        }
        for used in usage.actions where used.count > 0 {
            guard let (tier, note) = placed[used.action.lowercased()] else {
                findings.append(
                    TierFinding(
                        kind: .unassignedUsage, tier: nil, action: used.action,
                        message:
                            "used in \(counted(used.count, "call")) by \(counted(used.people.count, "person", "people")), in no tier"
                    ))
                continue
            }
            if tier.isAdministrator && (note ?? "").isEmpty {
                findings.append(
                    TierFinding(
                        kind: .adminOnlyUsage, tier: tier.name, action: used.action,
                        message:
                            "used in \(counted(used.count, "call")) by \(counted(used.people.count, "person", "people")), but only Admin grants it; "
                            + "move it down or add a note to accept break-glass use"))
            }
        }
        return findings
    }
}
