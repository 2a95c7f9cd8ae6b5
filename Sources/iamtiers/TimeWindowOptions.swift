import ArgumentParser
import IAMTiersCore

/// `--since` and `--until`, shared by the commands that read or query a time window of logs.
struct TimeWindowOptions: ParsableArguments {
    @Option(help: "Only events at or after this time (YYYY-MM-DD or ISO 8601, UTC).")
    var since: String?

    @Option(help: "Only events before this time (YYYY-MM-DD or ISO 8601, UTC).")
    var until: String?

    func validate() throws {
        _ = try window()
    }

    func window() throws -> (since: EventTime?, until: EventTime?) {
        func parse(_ text: String?, _ option: String) throws -> EventTime? {
            guard let text else { return nil }
            guard let time = EventTime(commandLine: text) else {
                throw ValidationError("\(option) '\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 time")
            }
            return time
        }
        let window = (since: try parse(since, "--since"), until: try parse(until, "--until"))
        if let since = window.since, let until = window.until, until <= since {
            throw ValidationError("--until must be after --since")
        }
        return window
    }
}

/// Which events of the logs to read: the time window and the account, for the commands that read
/// CloudTrail (`analyze`, `denied`).
struct EventSelectionOptions: ParsableArguments {
    @OptionGroup var window: TimeWindowOptions

    @Option(help: "Only events of this AWS account (12 digits).")
    var account: String?

    func validate() throws {
        if let account { try checkAccountID(account, option: "--account") }
    }

    func filter(selection: PrincipalSelection?) throws -> EventFilter {
        let (since, until) = try window.window()
        return EventFilter(since: since, until: until, account: account, selection: selection)
    }
}

/// Refuses what is not an AWS account ID on the command line, where a typo costs least.
func checkAccountID(_ text: String, option: String) throws {
    guard AccountID.isValid(text) else {
        throw ValidationError("\(option) '\(text)' is not an AWS account ID (12 digits, e.g. 111122223333)")
    }
}

/// Whose calls are the usage: `--role`, `--user` and `--principal`, each repeatable, for the
/// commands that analyse logs or write the query that does (`analyze`, `athena-sql`).
struct PrincipalSelectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A role whose sessions to analyse: name, path/name, ARN, a glob, or an IAM Identity Center permission set "
                + "name (AdministratorAccess or AWSReservedSSO_AdministratorAccess).", valueName: "role"))
    var role: [String] = []

    @Option(
        help: ArgumentHelp(
            "An IAM user whose calls to analyse: name, path/name, ARN or a glob; repeat it for every member of a "
                + "group (each user is a person).", valueName: "user"))
    var user: [String] = []

    @Option(
        help: ArgumentHelp(
            "Any principal by ARN or glob: a role, an IAM user, the root user (arn:aws:iam::ACCOUNT:root), a "
                + "federated user (arn:aws:sts::ACCOUNT:federated-user/NAME).", valueName: "arn"))
    var principal: [String] = []

    /// nil when nothing was asked for: the input's only principal is analysed.
    var selection: PrincipalSelection? {
        let selection = PrincipalSelection(
            roles: role.map(RoleQuery.init), users: user.map(UserQuery.init), principals: principal)
        return selection.isEmpty ? nil : selection
    }
}
