/// The rules that decide which further actions a logged call needed: its **companions**. AWS's
/// Service Reference lists, per API operation, every action that may authorize it
/// (`Resources/operation-actions.tsv.gz`); those lists are "may need". What the request shows
/// decides which of them a call did need; the rest are possible companions, shown, not granted.
///
/// In the order they are tried for each action an operation lists besides its own:
/// 1. `passes-role`: `iam:PassRole`, when the request names a role (a role or instance-profile ARN
///    anywhere in `requestParameters`, or a role name under a key such as `roleName`).
/// 2. `tags-on-create`: a Tagging-level action (`ec2:CreateTags`, `ssm:AddTagsToResource`, …) when
///    the request carries tags (`tags`, `tagSpecificationSet`, `TagSpecifications`, …).
/// 3. `batch-item`: the per-item action of a batch operation (`BatchGetSecretValue` →
///    `GetSecretValue`, `glue:BatchGetJobs` → `glue:GetJob`): always.
/// 4. `request-key`: a documented pair of operation and request key (below).
/// Calls a service makes on the caller's behalf (`userIdentity.invokedBy`) are usage of their own;
/// `onBehalf` says which of the caller's actions KMS served.
public enum CompanionRules {
    public struct KeyRule: Sendable {
        /// `service:Operation` as CloudTrail names it.
        public let operation: String
        /// The top-level `requestParameters` key that shows the companion was needed.
        public let key: String
        public let companion: String
        public let source: String
    }

    /// Requests whose parameters show that one more action was needed.
    public static let keyRules: [KeyRule] = [
        KeyRule(
            operation: "secretsmanager:BatchGetSecretValue", key: "filters", companion: "secretsmanager:ListSecrets",
            source: "Secrets Manager API reference, BatchGetSecretValue: filters need secretsmanager:ListSecrets"),
        KeyRule(
            operation: "s3:GetObject", key: "versionId", companion: "s3:GetObjectVersion",
            source: "Amazon S3 API reference, GetObject: a versionId needs s3:GetObjectVersion"),
        KeyRule(
            operation: "s3:PutObject", key: "x-amz-acl", companion: "s3:PutObjectAcl",
            source: "Amazon S3 API reference, PutObject: an ACL header needs s3:PutObjectAcl"),
        KeyRule(
            operation: "lambda:CreateFunction", key: "layers", companion: "lambda:GetLayerVersion",
            source: "AWS Lambda developer guide, layers: using a layer needs lambda:GetLayerVersion"),
        KeyRule(
            operation: "lambda:UpdateFunctionConfiguration", key: "layers", companion: "lambda:GetLayerVersion",
            source: "AWS Lambda developer guide, layers: using a layer needs lambda:GetLayerVersion"),
    ]

    /// The keys the extractor watches for, one bit each in `EventFields.requestKeys`.
    static let requestKeys: [String] = Array(Set(keyRules.map(\.key))).sorted()

    /// `requestParameters` keys whose non-empty value means the call tags what it creates.
    static let tagKeys: Set<String> = [
        "tags", "tagspecification", "tagspecifications", "tagspecificationset", "taglist", "tagset", "tagging",
        "x-amz-tagging",
    ]

    /// The service a call passes its role to (`iam:PassedToService`): the service called, except
    /// where the IAM user guide names another (ECS task roles are assumed by ecs-tasks; an instance
    /// profile's role by EC2).
    static func passedToService(operation: String, eventSource: String) -> String {
        switch (operation.lowercased(), eventSource.lowercased()) {
        case ("iam:addroletoinstanceprofile", _): return "ec2.amazonaws.com"
        case (_, "ecs.amazonaws.com"): return "ecs-tasks.amazonaws.com"
        default: return eventSource.lowercased()
        }
    }

    /// KMS calls a service makes for the caller, and the caller's actions they serve. Sources: the
    /// Amazon S3 user guide (SSE-KMS: reads need kms:Decrypt, uploads kms:GenerateDataKey), the
    /// Secrets Manager, Systems Manager Parameter Store and Amazon SQS/SNS encryption guides.
    public static let onBehalf: [String: [String: [String]]] = [
        "s3": [
            "kms:Decrypt": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "kms:GenerateDataKey": ["s3:PutObject"],
        ],
        "secretsmanager": [
            "kms:Decrypt": ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"],
            "kms:GenerateDataKey": ["secretsmanager:CreateSecret", "secretsmanager:PutSecretValue"],
        ],
        "ssm": [
            "kms:Decrypt": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            "kms:Encrypt": ["ssm:PutParameter"],
        ],
        "sqs": [
            "kms:Decrypt": ["sqs:ReceiveMessage"],
            "kms:GenerateDataKey": ["sqs:SendMessage"],
        ],
        "sns": ["kms:GenerateDataKey": ["sns:Publish"], "kms:Decrypt": ["sns:Publish"]],
    ]
}
