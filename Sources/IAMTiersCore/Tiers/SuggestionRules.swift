/// The rules `iamtiers suggest` drafts tiers with, in one readable place. The first rule that
/// matches an action decides its tier. Rules look at the catalog's access level and risk facts,
/// never at the verb: 25 `Get*` actions are Write and 24 are Permissions management
/// (`redshift:GetClusterCredentials` returns database credentials).
public struct SuggestionRule: Sendable {
    /// Where the default ladder puts what the rule matches.
    public enum Rung: Int, Sendable, Comparable {
        case read = 0
        case `operator` = 1
        case admin = 2

        public static func < (lhs: Rung, rhs: Rung) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let id: String
    public let rung: Rung
    /// One line for the README and the tiers file's readers.
    public let summary: String
    let matches: @Sendable (CatalogAction) -> Bool
}

public enum SuggestionRules {
    public static let all: [SuggestionRule] = [
        SuggestionRule(
            id: "privilege-escalation", rung: .admin,
            summary: "flagged privilege escalation (iam:PassRole, iam:AttachRolePolicy, …): Admin",
            matches: { $0.risk.flags.contains(.privilegeEscalation) }),
        SuggestionRule(
            id: "permissions-management", rung: .admin,
            summary: "Permissions management level (policies, grants, ACLs): Admin",
            matches: { $0.accessLevel == .permissionsManagement }),
        SuggestionRule(
            id: "credentials-exposure", rung: .operator,
            summary:
                "flagged credentials exposure (ecr:GetAuthorizationToken, secretsmanager:GetSecretValue, …): Operator",
            matches: { $0.risk.flags.contains(.credentialsExposure) }),
        SuggestionRule(
            id: "secret-read", rung: .operator,
            summary:
                "List or Read whose verdict is secret (lambda:GetFunctionConfiguration, acm:ExportCertificate, …): Operator",
            matches: { $0.verdict == .secret }),
        SuggestionRule(
            id: "data-read", rung: .operator,
            summary:
                "List or Read that returns data (s3:GetObject, dynamodb:GetItem, ssm:GetParameter, …), or a Write "
                + "flagged for data access (kms:Decrypt): Operator",
            matches: { $0.verdict == .data || ($0.risk.flags.contains(.dataAccess) && $0.accessLevel <= .write) }),
        SuggestionRule(
            id: "task-read", rung: .operator,
            summary: "List or Read that runs a task (bedrock:InvokeModel, comprehend:DetectSentiment, …): Operator",
            matches: { $0.verdict == .task }),
        SuggestionRule(
            id: "unassessed-read", rung: .operator,
            summary: "List or Read nothing has assessed: Operator, with an open item, never Read",
            matches: { $0.verdict == .unassessed }),
        SuggestionRule(
            id: "configuration-read", rung: .read,
            summary: "List or Read whose verdict is configuration (ec2:DescribeInstances, iam:ListRoles, …): Read",
            matches: { $0.verdict == .configuration }),
        SuggestionRule(
            id: "data-write", rung: .operator,
            summary:
                "Write on objects, items, messages, parameters or records (s3:PutObject, dynamodb:PutItem, sqs:SendMessage, …): Operator",
            matches: { $0.accessLevel == .write && isDataWrite($0) }),
        SuggestionRule(
            id: "task", rung: .operator,
            summary:
                "Write that runs a task rather than changing infrastructure (lambda:InvokeFunction, states:StartExecution, …): Operator",
            matches: { $0.accessLevel == .write && tasks.contains($0.fullName) }),
        SuggestionRule(
            id: "tagging", rung: .admin, summary: "Tagging level: Admin", matches: { $0.accessLevel == .tagging }),
        SuggestionRule(
            id: "infrastructure-write", rung: .admin,
            summary: "Write on infrastructure otherwise (create, change, delete resources): Admin",
            matches: { _ in true }),
    ]

    /// The first rule that matches.
    public static func rule(for action: CatalogAction) -> SuggestionRule {
        all.first { $0.matches(action) }!
    }

    static let dataNouns = [
        "Object", "Objects", "Item", "Items", "Message", "MessageBatch", "MessageVisibility", "Parameter", "Parameters",
        "Record", "Records", "MultipartUpload",
    ]
    static let dataVerbs = [
        "Put", "Delete", "Update", "BatchWrite", "BatchDelete", "Send", "Restore", "Copy", "Upload", "Abort",
        "Complete",
        "Create", "Change", "Label",
    ]

    /// A verb on a data noun, as a whole name (`PutObject`, `DeleteMessageBatch`, `PutRecords`).
    static func isDataWrite(_ action: CatalogAction) -> Bool {
        if [
            "sns:Publish", "sns:PublishBatch", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate",
            "dynamodb:PartiQLDelete",
        ]
        .contains(action.fullName) {
            return true
        }
        return dataVerbs.contains { verb in
            action.name.hasPrefix(verb) && dataNouns.contains(String(action.name.dropFirst(verb.count)))
        }
    }

    static let tasks: Set<String> = [
        "lambda:InvokeFunction", "lambda:InvokeAsync", "states:StartExecution", "states:StartSyncExecution",
        "states:StopExecution", "glue:StartJobRun", "athena:StartQueryExecution", "athena:StopQueryExecution",
        "codebuild:StartBuild", "codepipeline:StartPipelineExecution", "cloudwatch:PutMetricData",
        "logs:StartQuery", "logs:StopQuery", "ecs:RunTask", "ecs:StopTask",
    ]
}
