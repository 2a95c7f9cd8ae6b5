/// Permissions CloudTrail cannot show: iam:PassRole where the request did not show it (never logged),
/// data events (off by default), KMS calls services make for the caller, what AWS's lists and the
/// catalog say the calls may need, and calls needing no permission.
struct UsageHints {
    let companions: CompanionFinder

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
        let used = usage.actions.filter { $0.count > 0 }
        let observed = Set(used.map(\.action))
        var neededBy: [String: Set<String>] = [:]
        for companion in usage.companions { neededBy[companion.neededBy, default: []].insert(companion.action) }
        var possible: [String: Set<String>] = [:]
        for action in used {
            for companion in companions.possibleCompanions(of: action, needed: neededBy[action.action] ?? [])
            where !observed.contains(companion) {
                possible[companion, default: []].insert(action.action)
            }
        }
        var hints: [Usage.Hint] = []

        if let passers = possible.removeValue(forKey: "iam:PassRole") {
            hints.append(
                Usage.Hint(
                    kind: .passRole,
                    message:
                        "These calls can hand a role to a service, but no request showed one (or the logs do not "
                        + "record the request): if they do, they need iam:PassRole on that role, which CloudTrail "
                        + "never logs. Grant it for those roles only, with iam:PassedToService.",
                    actions: ["iam:PassRole"], because: passers.sorted(by: caseInsensitiveLess)))
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
                        "Calls to services that encrypt with KMS were seen but no KMS calls (neither the caller's nor "
                        + "a service's on its behalf): reading or writing resources encrypted with a customer managed "
                        + "key also needs kms:Decrypt or kms:GenerateDataKey on that key.",
                    actions: ["kms:Decrypt", "kms:GenerateDataKey"], because: kmsCallers.sorted()))
        }

        if !possible.isEmpty {
            hints.append(
                Usage.Hint(
                    kind: .possibleCompanions,
                    message:
                        "AWS's service reference and the catalog list more actions these calls may need, depending on "
                        + "the request (a version, an ACL, a layer, a feature); none of these requests showed a need, "
                        + "so they are not granted. The editor shows them per action.",
                    actions: possible.keys.sorted(by: caseInsensitiveLess),
                    because: Set(possible.values.flatMap { $0 }).sorted(by: caseInsensitiveLess)))
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
