import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// The rollup query's result CSV, read by analyze, gives the same usage as the raw logs.
@Suite struct AthenaRoundTripTests {
    struct Call {
        var session: String
        var source: String
        var name: String
        var time: String
        var error: String = ""
        var console = false
    }

    let calls = [
        Call(
            session: "alice@corp.example", source: "s3.amazonaws.com", name: "ListBuckets", time: "2026-10-01T08:00:00Z"
        ),
        Call(
            session: "alice@corp.example", source: "s3.amazonaws.com", name: "ListBuckets", time: "2026-10-03T09:30:00Z"
        ),
        Call(
            session: "bob@corp.example", source: "ec2.amazonaws.com", name: "DescribeInstances",
            time: "2026-10-02T10:00:00Z"),
        Call(
            session: "bob@corp.example", source: "ec2.amazonaws.com", name: "DescribeInstances",
            time: "2026-10-02T10:01:00Z",
            console: true),
        Call(
            session: "bob@corp.example", source: "iam.amazonaws.com", name: "CreateRole", time: "2026-10-04T11:00:00Z",
            error: "AccessDenied"),
        Call(
            session: "carol@corp.example", source: "lambda.amazonaws.com", name: "ListFunctions20150331",
            time: "2026-10-05T12:00:00Z"),
        Call(
            session: "carol@corp.example", source: "s3.amazonaws.com", name: "CopyObject", time: "2026-10-06T12:00:00Z"),
    ]

    /// The column names the rollup SELECT gives its result, read from the SQL itself.
    func rollupColumns() -> [String] {
        let sql = AthenaSQL(table: "t", selection: .role("Admin")).rollup
        let select = sql[sql.range(of: "SELECT")!.upperBound..<sql.range(of: "FROM")!.lowerBound]
        // Each output column is a bare name or ends in `AS alias`; other lines continue an expression.
        return select.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: ","))
            if let alias = trimmed.components(separatedBy: " AS ").dropFirst().last { return alias }
            return trimmed.allSatisfy { $0.isLetter || $0 == "_" } && !trimmed.isEmpty ? trimmed : nil
        }
    }

    @Test func theRollupCSVGivesTheSameUsageAsTheRawLogs() throws {
        let raw =
            "["
            + calls.map { call in
                event(
                    call.source, call.name, session: call.session, time: call.time,
                    extra: (call.error.isEmpty ? "" : ",\"errorCode\":\"\(call.error)\"")
                        + (call.console ? ",\"sessionCredentialFromConsole\":\"true\"" : ""))
            }.joined(separator: ",") + "]"

        // What Athena returns for the rollup: one row per group, times as eventtime strings.
        let columns = rollupColumns()
        #expect(
            columns == [
                "principal_type", "principal", "role_arn", "session_name", "eventsource", "eventname", "errorcode",
                "console", "invoked_by", "eventcategory", "recipientaccountid", "passed_roles", "role_names", "tagged",
                "request_keys", "kms_context", "calls", "first_seen", "last_seen",
            ])
        var groups: [[String]: [Call]] = [:]
        for call in calls {
            groups[[call.session, call.source, call.name, call.error, call.console ? "true" : "false"], default: []]
                .append(call)
        }
        var csv = columns.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        for (key, members) in groups.sorted(by: { $0.key.joined() < $1.key.joined() }) {
            let row = [
                "AssumedRole", "arn:aws:sts::111122223333:assumed-role/Admin/\(key[0])",
                "arn:aws:iam::111122223333:role/Admin", key[0], key[1], key[2], key[3], key[4], "", "Management",
                "111122223333", "", "", "false", "", "", String(members.count), members.map(\.time).min()!,
                members.map(\.time).max()!,
            ]
            csv += row.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        }

        let builder = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
        for options in [
            AnalysisOptions(selection: .role("Admin")), AnalysisOptions(includeConsole: true, includeDenied: true),
        ] {
            let (rawTotals, rawSummary) = try readInput(["raw.json": bytes(raw)])
            let (csvTotals, csvSummary) = try readInput(["rollup.csv": bytes(csv)])
            let fromLogs = try builder.build(rawTotals, rawSummary, options)
            let fromAthena = try builder.build(csvTotals, csvSummary, options)
            #expect(fromAthena.actions == fromLogs.actions)
            #expect(fromAthena.people == fromLogs.people)
            #expect(fromAthena.provenance.events.kept == fromLogs.provenance.events.kept)
            #expect(fromAthena.provenance.events.denied == fromLogs.provenance.events.denied)
            #expect(fromAthena.provenance.events.console == fromLogs.provenance.events.console)
            #expect(fromAthena.provenance.window == fromLogs.provenance.window)
        }
    }
}
