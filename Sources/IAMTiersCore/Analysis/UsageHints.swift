/// Permissions CloudTrail cannot show: iam:PassRole (never logged), data events (off by default),
/// KMS calls services make for the caller, catalog dependent actions, and calls needing no permission.
struct UsageHints {
    let catalog: Catalog

    /// Calls that hand a role to a service; the catalog's dependent actions add more of them.
    static let passRoleCallers: Set<String> = [
        "lambda:CreateFunction", "lambda:UpdateFunctionConfiguration", "ecs:RunTask", "ecs:StartTask",
        "ecs:RegisterTaskDefinition", "ecs:CreateService", "ec2:RunInstances", "ec2:AssociateIamInstanceProfile",
        "ec2:ReplaceIamInstanceProfileAssociation", "cloudformation:CreateStack", "cloudformation:UpdateStack",
        "cloudformation:CreateChangeSet", "cloudformation:CreateStackSet", "s3:PutReplicationConfiguration",
        "states:CreateStateMachine", "states:UpdateStateMachine", "glue:CreateJob", "glue:UpdateJob",
        "codebuild:CreateProject", "codebuild:UpdateProject", "events:PutTargets", "sagemaker:CreateTrainingJob",
        "sagemaker:CreateNotebookInstance", "sagemaker:CreateModel", "batch:RegisterJobDefinition",
        "elasticmapreduce:RunJobFlow", "datapipeline:CreatePipeline", "iot:CreateTopicRule", "scheduler:CreateSchedule",
    ]

    /// Operator-tier data actions that only data events can evidence.
    static let dataActions = [
        "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
        "dynamodb:UpdateItem", "lambda:InvokeFunction",
    ]

    /// Services whose encrypted resources make them call KMS on the caller's behalf.
    static let kmsUsers: Set<String> = [
        "s3", "dynamodb", "secretsmanager", "ssm", "sqs", "sns", "ebs", "ec2", "rds", "logs", "kinesis", "lambda",
    ]

    func hints(for usage: Usage) -> [Usage.Hint] {
        let observed = Set(usage.actions.filter { $0.count > 0 }.map(\.action))
        var hints: [Usage.Hint] = []

        let passers = observed.filter { name in
            Self.passRoleCallers.contains(name)
                || catalog.action(named: name).map { catalog.dependentActions(of: $0).contains("iam:PassRole") }
                    == true
        }
        if !passers.isEmpty && !observed.contains("iam:PassRole") {
            hints.append(
                Usage.Hint(
                    kind: .passRole,
                    message:
                        "These calls hand a role to a service, which needs iam:PassRole on that role; CloudTrail never "
                        + "logs iam:PassRole, so grant it for the roles these calls pass (use iam:PassedToService).",
                    actions: ["iam:PassRole"], because: passers.sorted()))
        }

        let events = usage.provenance.events
        if events.dataEvents == 0 {
            let why =
                events.dataEventsOfAnyone == 0
                ? "The input holds no data events at all (eventCategory Data): the trail does not record them, so "
                : "The trail records data events (\(counted(events.dataEventsOfAnyone, "data event")) read, of other "
                    + "principals), but none of the principals analysed: they read and wrote no objects or items the "
                    + "trail covers, so "
            hints.append(
                Usage.Hint(
                    kind: .dataEvents,
                    message: why
                        + "object and item reads and writes such as s3:GetObject or dynamodb:GetItem cannot be "
                        + "evidenced from these logs, and the Operator tier's data actions are a decision.",
                    actions: Self.dataActions, because: []))
        }

        let services = Set(observed.compactMap { $0.split(separator: ":").first.map(String.init) })
        let kmsCallers = services.intersection(Self.kmsUsers)
        if !kmsCallers.isEmpty && !services.contains("kms") {
            hints.append(
                Usage.Hint(
                    kind: .kms,
                    message:
                        "Calls to services that encrypt with KMS were seen but no KMS calls: reading or writing "
                        + "resources encrypted with a customer managed key also needs kms:Decrypt or "
                        + "kms:GenerateDataKey on that key.",
                    actions: ["kms:Decrypt", "kms:GenerateDataKey"], because: kmsCallers.sorted()))
        }

        var dependents: [String: Set<String>] = [:]
        for name in observed {
            guard let action = catalog.action(named: name) else { continue }
            for dependent in catalog.dependentActions(of: action) where !observed.contains(dependent) {
                if dependent == "iam:PassRole" && passers.contains(name) { continue }
                dependents[dependent, default: []].insert(name)
            }
        }
        if !dependents.isEmpty {
            hints.append(
                Usage.Hint(
                    kind: .dependentActions,
                    message:
                        "The catalog lists actions these calls depend on that were not observed; they may be "
                        + "needed when the calls use the features involved.",
                    actions: dependents.keys.sorted(),
                    because: Set(dependents.values.flatMap { $0 }).sorted()))
        }

        if !usage.noPermission.isEmpty {
            hints.append(
                Usage.Hint(
                    kind: .noPermission,
                    message: "These calls need no IAM permission; they are kept out of the tiers.",
                    actions: [],
                    because: usage.noPermission.map { "\($0.eventSource) \($0.eventName)" }))
        }
        return hints
    }
}
