/// `iamtiers plan`: the rollout as a dated Markdown checklist, from the tiers and the usage: the
/// friendly group first, who keeps Admin for break glass, the alerts on Admin use, the refusals to
/// watch, everyone's role, and the end of the old role.
public struct RolloutPlan: Sendable {
    public var tiers: TierSet
    public var usage: Usage
    public var replay: Replay
    /// The people who go first, as named or as chosen from the replay.
    public var friendly: [String]
    public var friendlyWereNamed: Bool
    /// Day one, at midnight UTC.
    public var start: EventTime
    /// The Athena table of CloudTrail logs the watch query reads.
    public var athenaTable: String
    public var tiersPath: String
    public var usagePath: String

    /// How many people go first when none are named.
    public static let friendlyGroupSize = 3

    public init(
        tiers: TierSet, usage: Usage, catalog: Catalog, friendly named: [String], start: EventTime, athenaTable: String,
        tiersPath: String, usagePath: String
    ) {
        self.tiers = tiers
        self.usage = usage
        let replay = Replay(tiers: tiers, usage: usage, catalog: catalog)
        self.replay = replay
        friendlyWereNamed = !named.isEmpty
        friendly = named.isEmpty ? Self.bestServed(replay, tiers).map(\.person) : named
        self.start = start
        self.athenaTable = athenaTable
        self.tiersPath = tiersPath
        self.usagePath = usagePath
    }

    /// The people the tiers serve best: fewest calls that need Admin, then the largest share any
    /// tier below Admin allows, then by name.
    static func bestServed(_ replay: Replay, _ set: TierSet) -> [Replay.Person] {
        let daily = set.tiers.indices.filter { !set.tiers[$0].isAdministrator }
        guard !daily.isEmpty else { return [] }
        let best = { (person: Replay.Person) in daily.map { person.coverage[$0].share }.max() ?? 0 }
        return replay.people.filter { $0.calls > 0 }
            .sorted { ($0.onlyAdminCalls, -best($0), $0.person) < ($1.onlyAdminCalls, -best($1), $1.person) }
            .prefix(friendlyGroupSize).map { $0 }
    }

    /// The highest tier below Admin that allows the most of a person's calls: their daily role when
    /// no tier below Admin allows all of them.
    func dailyTier(of person: Replay.Person) -> Int? {
        let daily = tiers.tiers.indices.filter { !tiers.tiers[$0].isAdministrator }
        if let proposed = tiers.tiers.firstIndex(where: { $0.name == person.proposedTier }), daily.contains(proposed) {
            return proposed
        }
        return daily.max { person.coverage[$0].calls < person.coverage[$1].calls }
    }

    func day(_ offset: Int) -> String {
        EventTime(secondsSinceEpoch: start.secondsSinceEpoch + Int64(offset) * 86_400).day
    }

    public func markdown() -> String {
        let admin = tiers.tiers.filter(\.isAdministrator)
        let alerting = tiers.tiers.filter(\.alertOnUse)
        let oldRoles = usage.principals.map(\.arn)
        var lines = [
            "# Rollout plan: \(markdownEscaped(tiersPath))", "",
            "From \(markdownEscaped(usagePath)): \(counted(replay.totalCalls, "call")) by "
                + "\(counted(replay.people.count, "person", "people"))"
                + (usage.provenance.window.map { " between \($0.first.day) and \($0.last.day)" }
                    ?? "")
                + ". Tiers: "
                + tiers.tiers.map { "\(markdownEscaped($0.name)) (`\($0.roleName)`, \($0.maxSessionHours) h)" }
                .joined(separator: ", ") + ".",
            "", "## \(day(0)): prepare", "",
            "- [ ] `iamtiers check \(tiersPath) --usage \(usagePath)` passes (limits, sessions, risky actions, usage).",
            "- [ ] `iamtiers export \(tiersPath) --out deploy --format terraform` (or `cloudformation`), reviewed and deployed: "
                + "roles " + tiers.tiers.map { "`\($0.roleName)`" }.joined(separator: ", ") + ".",
        ]
        for tier in alerting {
            // An IAM Identity Center permission set's role is AWSReservedSSO_<name>_<hash>.
            let roleMatch =
                tier.container == .identityCenter
                ? #"{"wildcard": "*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_\#(tier.roleName)_*"}"#
                : #"{"suffix": ":role/\#(tier.roleName)"}"#
            lines.append(
                "- [ ] Alert on every sign-in to `\(tier.roleName)` (\(markdownEscaped(tier.name)) alerts when used): "
                    + "an EventBridge rule on CloudTrail with the pattern below, to the on-call channel.")
            lines += [
                "", "  ```json",
                "  {\"source\": [\"aws.sts\"], \"detail-type\": [\"AWS API Call via CloudTrail\"],",
                "   \"detail\": {\"eventName\": [\"AssumeRole\", \"AssumeRoleWithSAML\", \"AssumeRoleWithWebIdentity\"],",
                "              \"requestParameters\": {\"roleArn\": [\(roleMatch)]}}}",
                "  ```", "",
            ]
        }
        if lines.last == "" { lines.removeLast() }  // each section opens with its own blank line
        lines += friendlySection() + watchSection() + everyoneSection(admin: admin) + endSection(oldRoles)
        return lines.joined(separator: "\n") + "\n"
    }

    private func friendlySection() -> [String] {
        var lines = ["", "## \(day(0)): the friendly group first", ""]
        lines.append(
            friendlyWereNamed
                ? "Named for the first week:"
                : "The people the tiers serve best (fewest calls that need Admin), for the first week:")
        for name in friendly {
            guard let person = replay.people.first(where: { $0.person.lowercased() == name.lowercased() }) else {
                lines.append(
                    "- [ ] \(markdownEscaped(name)): not in the usage, so no calls to judge by; give the lowest tier and watch"
                )
                continue
            }
            lines.append("- [ ] " + assignment(person))
        }
        lines += ["", "They keep the old role for the week, and say when the new one is not enough."]
        return lines
    }

    private func watchSection() -> [String] {
        let sql = AthenaSQL(table: athenaTable, selection: PrincipalSelection(), since: start)
            .refusedCalls(ofRoles: tiers.tiers.map(\.roleName))
        return [
            "", "## \(day(0)) to \(day(7)): watch the refusals", "",
            "- [ ] Daily: what IAM refused the new roles. With the logs at hand: "
                + "`iamtiers denied AWSLogs/ --tiers \(tiersPath) --since \(day(0))`; with Athena, this query, then "
                + "`iamtiers denied result.csv --tiers \(tiersPath)`:", "", "  ```sql",
        ] + sql.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } + [
            "  ```", "",
            "- [ ] Fix what is proposed: `iamtiers denied … --tiers \(tiersPath) -o next.yaml`, "
                + "`iamtiers diff \(tiersPath) next.yaml --usage \(usagePath) --format markdown` in the pull request, deploy.",
        ]
    }

    private func everyoneSection(admin: [Tier]) -> [String] {
        var lines = [
            "", "## \(day(7)): everyone", "",
            "| person | daily role | allows | \(replay.hasAdministratorTier ? "needs Admin for" : "no tier allows") |",
            "|---|---|---:|---|",
        ]
        for person in replay.people {
            let daily = dailyTier(of: person)
            let role = daily.map { "\(markdownEscaped(tiers.tiers[$0].name)) (`\(tiers.tiers[$0].roleName)`)" } ?? "–"
            let share = daily.map { Replay.percent(person.coverage[$0].share) } ?? "–"
            let needs =
                person.onlyAdmin.isEmpty
                ? "–"
                : "\(counted(person.onlyAdmin.count, "action")): " + markdownEscaped(Replay.names(person.onlyAdmin))
            lines.append("| \(markdownEscaped(person.person)) | \(role) | \(share) | \(needs) |")
        }
        let keepers = replay.people.filter { !$0.onlyAdmin.isEmpty }
        lines += ["", "### Who keeps Admin (break glass, on-call)", ""]
        if keepers.isEmpty {
            lines.append("Nobody's observed calls need Admin: keep it for on-call only, behind the alert.")
        } else {
            if admin.isEmpty {
                lines.append(
                    "These people made calls no tier allows: place those actions in a tier (`iamtiers edit`), or "
                        + "add an AdministratorAccess tier for break glass.")
            } else {
                lines.append(
                    "These people made calls only \(admin.map { markdownEscaped($0.name) }.joined(separator: ", ")) "
                        + "allows; they get it besides their daily role, and each use alerts. Or move those actions "
                        + "into a tier with a note (`iamtiers edit`, f: Admin-only).")
            }
            for person in keepers {
                lines.append(
                    "- [ ] \(markdownEscaped(person.person)): \(counted(person.onlyAdminCalls, "call")) need it")
            }
        }
        return lines
    }

    private func endSection(_ oldRoles: [String]) -> [String] {
        var lines = [
            "", "## \(day(14)): the old role leaves daily use", "",
            "- [ ] Remove everyone's access to the old role except the break-glass list above:",
        ]
        lines += oldRoles.map { "  - `\($0)`" }
        lines += [
            "", "## \(day(44)): delete the old role", "",
            "- [ ] Nobody signed in to it for 30 days: `iamtiers analyze AWSLogs/ --since \(day(14))` "
                + "(sign-ins per user) or `iamtiers athena-sql --table \(athenaTable) --role \(Self.roleName(oldRoles.first)) "
                + "--since \(day(14))` (its second query).",
        ]
        if oldRoles.contains(where: { $0.contains("/aws-reserved/sso.amazonaws.com/") }) {
            lines.append(
                "- [ ] IAM Identity Center: delete the permission set's account assignments, then the permission set; "
                    + "IAM deletes the `AWSReservedSSO_…` roles itself.")
        } else {
            lines.append(
                "- [ ] Detach its managed policies (`aws iam detach-role-policy`), delete its inline policies "
                    + "(`aws iam delete-role-policy`), then `aws iam delete-role`.")
        }
        lines.append("- [ ] Keep `\(tiersPath)` and this plan with the change record.")
        return lines
    }

    private func assignment(_ person: Replay.Person) -> String {
        guard let daily = dailyTier(of: person) else { return "\(markdownEscaped(person.person)): no tier below Admin" }
        let tier = tiers.tiers[daily]
        var text =
            "\(markdownEscaped(person.person)): \(markdownEscaped(tier.name)) (`\(tier.roleName)`), which allows "
            + "\(Replay.percent(person.coverage[daily].share)) of their \(counted(person.calls, "call"))"
        if !person.onlyAdmin.isEmpty {
            text +=
                (replay.hasAdministratorTier ? "; Admin for " : "; no tier for ")
                + counted(person.onlyAdmin.count, "action") + " ("
                + markdownEscaped(Replay.names(person.onlyAdmin)) + ")"
        }
        return text
    }

    /// `…:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_6f1c…` → the name
    /// `--role` takes (the permission set name for IAM Identity Center roles).
    static func roleName(_ arn: String?) -> String {
        guard let arn, let name = arn.split(separator: "/").last else { return "OLD_ROLE" }
        return RoleQuery.permissionSet(ofRoleArn: arn) ?? String(name)
    }
}
