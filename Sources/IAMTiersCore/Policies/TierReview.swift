/// A finding about the tiers that a reviewer or CI must look at.
public struct TierFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case doesNotFit = "does-not-fit"
        case session
        case risk
        case unassignedUsage = "unassigned-usage"
        case adminOnlyUsage = "admin-only-usage"
        case notConfigurationRead = "not-configuration-read"
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
                        " (and scope it: Resource to the role ARNs it may pass, with an iam:PassedToService condition)"
                }
                findings.append(TierFinding(kind: .risk, tier: tier.name, action: action.fullName, message: message))
            }
            let granted = Set(set.grantedActions(of: index).map(\.action))
            if granted.contains("iam:PassRole") {
                for runner in granted.intersection(Self.runsWithPassedRole).sorted() {
                    findings.append(
                        TierFinding(
                            kind: .risk, tier: tier.name, action: runner,
                            message: "with iam:PassRole in the same role, \(runner) runs code as any role it can pass: "
                                + "privilege escalation"))
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

    /// Everything `check` reports. Empty means the tiers can be deployed as they are.
    public func check(_ set: TierSet, policies: [TierPolicies], warnings: [String], usage: Usage?) -> [TierFinding] {
        var findings: [TierFinding] = []
        for (tier, policy) in zip(set.tiers, policies) {
            for problem in policy.meter.problems {
                findings.append(TierFinding(kind: .doesNotFit, tier: tier.name, action: nil, message: problem))
            }
        }
        for warning in warnings {
            findings.append(TierFinding(kind: .session, tier: nil, action: nil, message: warning))
        }
        findings += riskFindings(set)
        guard let usage else { return findings }
        for used in usage.actions where used.count > 0 {
            guard let tier = set.tier(of: used.action) else {
                findings.append(
                    TierFinding(
                        kind: .unassignedUsage, tier: nil, action: used.action,
                        message:
                            "used in \(counted(used.count, "call")) by \(counted(used.people.count, "person", "people")), in no tier"
                    ))
                continue
            }
            let assignment = tier.actions.first { $0.action.lowercased() == used.action.lowercased() }
            if tier.isAdministrator && (assignment?.note ?? "").isEmpty {
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
