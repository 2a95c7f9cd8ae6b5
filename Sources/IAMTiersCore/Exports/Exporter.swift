/// One file an export writes, relative to the output folder.
public struct ExportFile: Sendable, Equatable {
    public var path: String
    public var contents: String
}

/// The formats `iamtiers export` writes; each is a pure function of the tiers and their policies.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One IAM JSON document per policy (`aws iam create-policy --policy-document file://…`).
    case iam
    /// Roles, customer managed policies, attachments and tags as Terraform (HCL), with the documents.
    case terraform
    /// The same as a CloudFormation YAML template.
    case cloudformation
    /// One Policy Sentry actions-mode YAML per tier.
    case policySentry = "policy-sentry"
    /// `~/.aws/config` profiles, one per tier role.
    case awsConfig = "aws-config"
    /// SUMMARY.md: tiers, sizes against limits, risky items, open items, notes.
    case summary
}

public struct Exporter {
    public let set: TierSet
    public let policies: [TierPolicies]
    public let findings: [TierFinding]
    /// For what exports name beyond the policies: wildcards written out, dependent actions.
    public let catalog: Catalog
    /// The account the roles live in, for ARNs (aws-config); a placeholder when not known.
    public var accountID: String
    /// Who gets which tier (from replay): account assignments of the permission sets.
    public var assignments: [ProposedAssignment] = []

    public init(set: TierSet, policies: [TierPolicies], findings: [TierFinding], catalog: Catalog, accountID: String?) {
        self.set = set
        self.catalog = catalog
        self.policies = policies
        self.findings = findings
        self.accountID = accountID ?? "ACCOUNT_ID"
    }

    /// Throws only when a resource iamtiers ships is missing or damaged.
    public func files(_ format: ExportFormat) throws -> [ExportFile] {
        switch format {
        case .iam: return policyFiles(folder: "")
        case .terraform: return [ExportFile(path: "main.tf", contents: terraform())] + policyFiles(folder: "policies/")
        case .cloudformation:
            return [ExportFile(path: "template.yaml", contents: cloudFormation())]
                + (customerManagedReferences.isEmpty
                    ? [] : [ExportFile(path: "member-account-policies.yaml", contents: memberAccountPolicies())])
        case .policySentry: return policySentry(gaps: try PolicySentryGaps.bundled())
        case .awsConfig: return [ExportFile(path: "aws-config", contents: awsConfig())]
        case .summary: return [ExportFile(path: "SUMMARY.md", contents: summary())]
        }
    }

    /// A role's or permission set's description as IAM and IAM Identity Center take it: tab, line
    /// breaks and Latin-1 printables only, at most 700 characters, and never empty (a permission set
    /// refuses an empty one).
    func awsDescription(_ tier: Tier) -> String {
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            [0x09, 0x0A, 0x0D].contains(scalar.value) || (0x20...0x7E).contains(scalar.value)
                || (0xA1...0xFF).contains(scalar.value)
        }
        func cleaned(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter(allowed))).trimmingCharacters(in: .whitespaces)
        }
        let text = cleaned(tier.description)
        return String((text.isEmpty ? "iamtiers tier " + cleaned(tier.name) : text).prefix(700))
    }

    /// A permission set's documents after its inline policy: customer managed policies it references
    /// by name, which every account it is assigned to must hold.
    var customerManagedReferences: [(tier: Tier, number: Int, document: PolicyDocument)] {
        zip(set.tiers, policies).filter { $0.0.container == .identityCenter }.flatMap { tier, policy in
            policy.documents.indices.dropFirst().map { (tier, $0, policy.documents[$0]) }
        }
    }

    /// `<role>-<n>.json` for each document of each tier.
    func policyName(_ tier: Tier, _ index: Int) -> String { "\(tier.roleName)-\(index + 1)" }

    private func policyFiles(folder: String) -> [ExportFile] {
        zip(set.tiers, policies).flatMap { tier, policy in
            policy.documents.enumerated().map { index, document in
                ExportFile(path: folder + policyName(tier, index) + ".json", contents: document.prettyJSON)
            }
        }
    }

    /// The managed policies a tier's role carries: its own documents, then those of the lower
    /// tiers it inherits (managed ones only: inline policies were copied into its own).
    func attachedDocuments(of index: Int) -> [(tier: Tier, document: Int)] {
        var attached = policies[index].documents.indices.map { (set.tiers[index], $0) }
        for lower in set.inheritedTiers(of: index)
        where set.tiers[index].container == .managed && set.tiers[lower].container == .managed {
            attached += policies[lower].documents.indices.map { (set.tiers[lower], $0) }
        }
        return attached
    }

    /// A Terraform identifier: lower-case words joined by underscores (`ExportName`).
    func identifier(_ text: String) -> String { ExportName.snake(text) }

    /// Profiles that sign in the way the roles trust: the roles trust SAML only, so a profile
    /// that assumes them from another profile (`role_arn` + `source_profile`, sts:AssumeRole) would be
    /// refused. A SAML role's profile gets its credentials from saml2aws (`credential_process`); a
    /// permission set's profile signs in through IAM Identity Center (`sso_session`).
    private func awsConfig() -> String {
        var lines = [
            "# AWS CLI profiles for the iamtiers roles; add them to ~/.aws/config.",
            "# SAML roles: credentials come from saml2aws (https://github.com/Versent/saml2aws), set up once",
            "# with `saml2aws configure` for your identity provider; the role and session length are per profile.",
        ]
        let permissionSets = set.tiers.filter { $0.container == .identityCenter }
        if !permissionSets.isEmpty {
            lines += [
                "# Permission sets: sign in once with `aws sso login --sso-session iamtiers`; set the start URL",
                "# and region of your IAM Identity Center below. A session lasts as the permission set says.",
                "",
                "[sso-session iamtiers]",
                "sso_start_url = https://YOUR-DIRECTORY.awsapps.com/start",
                "sso_region = us-east-1",
                "sso_registration_scopes = sso:account:access",
            ]
        }
        for tier in set.tiers {
            lines += ["", "[profile \(tier.roleName)]"]
            if tier.container == .identityCenter {
                lines += [
                    "sso_session = iamtiers", "sso_account_id = \(accountID)", "sso_role_name = \(tier.roleName)",
                ]
            } else {
                let role = "arn:aws:iam::\(accountID):role/\(tier.roleName)"
                lines.append(
                    "credential_process = saml2aws login --credential-process --quiet --skip-prompt --role \(role) "
                        + "--session-duration \(tier.maxSessionHours * 3600) --profile \(tier.roleName)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
