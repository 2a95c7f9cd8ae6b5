import ArgumentParser
import IAMTiersCore

struct AthenaSQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athena-sql",
        abstract:
            "Print the Athena SQL that scans CloudTrail for a role or users, for logs too large for one machine.",
        discussion: """
            Prints the rollup query whose result CSV `iamtiers analyze result.csv` reads, and the query \
            listing who signed in (to the roles; the users' console sign-ins); with --create-table also a \
            CloudTrail table with partition projection (account, region, day) over the given S3 location. \
            --role, --user and --principal select as they do for analyze.
            """
    )

    @Option(help: "The Athena table of CloudTrail logs.")
    var table: String

    @OptionGroup var principals: PrincipalSelectionOptions

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "The Glue database holding the table.")
    var database: String?

    @Option(
        help: "Also print CREATE EXTERNAL TABLE for logs at this location (s3://bucket/AWSLogs/ or …/AWSLogs/o-org/).")
    var createTable: String?

    @Option(help: "Accounts the table projects (comma-separated; read from the location when it names one).")
    var accounts: String?

    @Option(help: "Regions the table projects (comma-separated; default: every commercial region).")
    var regions: String?

    @Option(help: "First day of logs the table projects (YYYY/MM/DD).")
    var firstDay = "2020/01/01"

    func validate() throws {
        guard principals.selection != nil else {
            throw ValidationError("say whose calls to query: --role, --user or --principal")
        }
    }

    func run() throws {
        let (since, until) = try window.window()
        guard let selection = principals.selection else { return }
        let sql = AthenaSQL(table: table, database: database, selection: selection, since: since, until: until)
        var statements: [String] = []
        if let createTable {
            statements.append(sql.createTable(try location(createTable)))
        }
        statements.append(sql.rollup)
        statements.append(sql.signIns)
        print(statements.joined(separator: "\n\n"))
    }

    /// The AWSLogs/ prefix, and the accounts: from --accounts, or the account the location names.
    private func location(_ text: String) throws -> AthenaSQL.Location {
        guard text.hasPrefix("s3://"),
            !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } == true })
        else { throw ValidationError("--create-table takes an s3:// location (without spaces)") }
        var logs = text
        var named: [String] = []
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if let index = parts.firstIndex(of: "AWSLogs"), index + 1 < parts.count {
            let next = parts[index + 1]
            if AccountID.isValid(next) {
                named = [String(next)]
                logs = parts[...index].joined(separator: "/")
            }
        }
        let list = accounts.map { $0.split(separator: ",").map(String.init) } ?? named
        for account in list { try checkAccountID(account, option: "--accounts") }
        guard !list.isEmpty else {
            throw ValidationError("name the accounts the table covers with --accounts 111122223333,444455556666")
        }
        let regionList = regions.map { $0.split(separator: ",").map(String.init) } ?? AthenaSQL.commercialRegions
        return AthenaSQL.Location(logs: logs, accounts: list, regions: regionList, firstDay: firstDay)
    }
}
