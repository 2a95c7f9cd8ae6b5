import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// The follow-up's Athena route: the refused-calls query returns the rollup's columns, and its
/// result CSV gives the same proposals as the raw logs of `Tests/CLITests/Fixtures/denied`.
@Suite struct DeniedFollowUpTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures")

    @Test func theRefusedCallsQueryResultGivesTheSameProposalsAsTheLogs() throws {
        let tiers = try TiersFile.load(fixtures.appendingPathComponent("diff/v2.yaml").path, catalog: bundledCatalog)
            .tiers
        let sql = AthenaSQL(table: "cloudtrail", selection: .role("unused"))
            .refusedCalls(ofRoles: tiers.tiers.map(\.roleName))
        #expect(sql.contains("(?i):role/(.*/)?(iamtiers-read|AWSReservedSSO_iamtiers-read_[0-9a-f]+)$"))
        #expect(sql.contains("AND (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%Unauthorized%'"))
        let rollup = AthenaSQL(table: "cloudtrail", selection: .role("unused")).rollup
        func select(_ query: String) -> Substring {
            query[query.range(of: "SELECT")!.lowerBound..<query.range(of: "WHERE")!.lowerBound]
        }
        #expect(select(sql) == select(rollup))

        // What Athena would return: the refusals of the tier roles, one row per group.
        let raw = try Data(contentsOf: fixtures.appendingPathComponent("denied/cloudtrail.json"))
        let records = try #require(
            (try JSONSerialization.jsonObject(with: raw) as? [String: Any])?["Records"] as? [[String: Any]])
        var groups: [[String]: [String]] = [:]
        for record in records {
            guard let error = record["errorCode"] as? String,
                let identity = record["userIdentity"] as? [String: Any], let arn = identity["arn"] as? String,
                let issuer = ((identity["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any])?[
                    "arn"] as? String,
                tiers.tiers.contains(where: { issuer.hasSuffix(":role/" + $0.roleName) })
            else { continue }
            let console = record["sessionCredentialFromConsole"] as? String == "true" ? "true" : "false"
            let key = [
                issuer, String(arn.split(separator: "/").last!), record["eventSource"] as! String,
                record["eventName"] as! String, error, console,
            ]
            groups[key, default: []].append(record["eventTime"] as! String)
        }
        var csv =
            "role_arn,session_name,eventsource,eventname,errorcode,console,eventcategory,recipientaccountid,calls,first_seen,last_seen\n"
        for (key, times) in groups.sorted(by: { $0.key.joined() < $1.key.joined() }) {
            csv +=
                (key + ["Management", "111122223333", "\(times.count)", times.min()!, times.max()!])
                .joined(separator: ",") + "\n"
        }
        let (csvTotals, _) = try readInput(["refused.csv": bytes(csv)])
        let (rawTotals, _) = try readInput(["cloudtrail.json": Array(raw)])
        let fromAthena = DeniedFollowUp(
            totals: csvTotals, tiers: tiers, catalog: bundledCatalog, mapping: mapping, includeConsole: false)
        let fromLogs = DeniedFollowUp(
            totals: rawTotals, tiers: tiers, catalog: bundledCatalog, mapping: mapping, includeConsole: false)
        #expect(fromAthena.proposals == fromLogs.proposals && fromAthena.unmapped == fromLogs.unmapped)
        #expect(fromAthena.proposals.count == 7 && fromAthena.deniedCalls == fromLogs.deniedCalls)
    }

    /// A tier that does not inherit gets its own addition: the lower tier would not reach its role.
    @Test func aNonInheritingTierKeepsWhatItWasRefused() throws {
        var tiers = try TiersFile.load(fixtures.appendingPathComponent("diff/v2.yaml").path, catalog: bundledCatalog)
            .tiers
        tiers.tiers[1].inherits = false
        let (totals, _) = try readInput([
            "cloudtrail.json": Array(try Data(contentsOf: fixtures.appendingPathComponent("denied/cloudtrail.json")))
        ])
        let followUp = DeniedFollowUp(
            totals: totals, tiers: tiers, catalog: bundledCatalog, mapping: mapping, includeConsole: true)
        let rds = try #require(followUp.proposals.first { $0.action == "rds:DescribeDBInstances" })
        #expect(rds.verdict == .add && rds.target == "Operator")
        #expect(
            followUp.consoleCallsLeftOut == 0 && followUp.proposals.contains { $0.action == "ec2:DescribeAddresses" })
    }

    /// One refused call of a session of `role`, as CloudTrail delivers it.
    func refusal(_ role: String, _ person: String, _ source: String, _ name: String) -> String {
        """
        {"eventTime": "2026-11-03T10:00:00Z", "eventSource": "\(source).amazonaws.com", "eventName": "\(name)",
         "errorCode": "AccessDenied", "userAgent": "aws-cli/2", "recipientAccountId": "111122223333",
         "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/\(role)/\(person)",
           "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/\(role)"}}}}
        """
    }

    func followUp(_ records: [String], _ tiers: TierSet) throws -> DeniedFollowUp {
        let (totals, _) = try readInput(["r.json": bytes("{\"Records\": [\(records.joined(separator: ","))]}")])
        return DeniedFollowUp(
            totals: totals, tiers: tiers, catalog: bundledCatalog, mapping: mapping, includeConsole: false)
    }

    @Test func aTierThatHasTheActionWinsAndAnActionIsPlacedOnce() throws {
        var tiers = try TiersFile.load(fixtures.appendingPathComponent("diff/v2.yaml").path, catalog: bundledCatalog)
            .tiers
        tiers.tiers[1].actions.append(Assignment(action: "iam:PassRole", note: "deploys pass the task role"))
        tiers.tiers[1].deny = ["lambda:InvokeFunction"]
        let records = [
            refusal("iamtiers-read", "carol@corp.example", "s3", "PutObject"),
            refusal("iamtiers-operator", "erin@corp.example", "s3", "PutObject"),
            refusal("iamtiers-read", "bob@corp.example", "iam", "PassRole"),
            refusal("iamtiers-operator", "erin@corp.example", "lambda", "Invoke"),
        ]
        let followUp = try followUp(records, tiers)
        let verdicts = followUp.proposals.map {
            "\($0.verdict.rawValue) \($0.action) in \($0.deniedIn) → \($0.target ?? "-")"
        }
        #expect(
            verdicts == [
                "add s3:PutObject in Read → Operator", "add s3:PutObject in Operator → Operator",
                "use-higher-tier iam:PassRole in Read → Operator",
                "denied-by-tier lambda:InvokeFunction in Operator → Operator",
            ])
        let applied = followUp.applied(to: tiers, asOpenItems: false)
        let putObject = applied.tiers[1].actions.filter { $0.action == "s3:PutObject" }
        #expect(putObject.count == 1 && putObject[0].note?.contains("in Operator") == true)
        #expect(putObject[0].note?.contains("carol@corp.example in Read") == true)
        #expect(applied.openItems.map(\.text).filter { $0.hasPrefix("s3:PutObject") }.isEmpty)
        // The new version is a valid tiers file.
        #expect(
            try TiersFile.parse(TiersFile.text(of: applied), path: "v3.yaml", catalog: bundledCatalog).tiers == applied)
    }

    @Test func adminPlacementsAndDenyListsAndPermissionSetsAreRespected() throws {
        var tiers = try TiersFile.load(fixtures.appendingPathComponent("diff/v2.yaml").path, catalog: bundledCatalog)
            .tiers
        tiers.tiers[2].actions = [Assignment(action: "ec2:DescribeVpcs", note: "break glass only")]
        tiers.tiers[2].deny = ["s3:DeleteBucket"]
        tiers.tiers.insert(Tier(name: "Read Ops", roleName: "Read_Ops", maxSessionHours: 1), at: 1)
        tiers.tiers[0].roleName = "Read"
        let records = [
            refusal("Read", "a@x", "ec2", "DescribeVpcs"),
            refusal("iamtiers-admin", "b@x", "s3", "DeleteBucket"),
            refusal("aws-reserved/sso.amazonaws.com/AWSReservedSSO_Read_Ops_0123abcd", "c@x", "ec2", "DescribeSubnets"),
        ]
        let followUp = try followUp(records, tiers)
        let verdicts = followUp.proposals.map { "\($0.verdict.rawValue) \($0.action) in \($0.deniedIn)" }
        #expect(
            verdicts.sorted() == [
                "add ec2:DescribeSubnets in Read Ops", "admin ec2:DescribeVpcs in Read",
                "denied-by-tier s3:DeleteBucket in Admin",
            ])
        // Nothing is lost when applied: the add is placed, the rest are open items.
        let applied = followUp.applied(to: tiers, asOpenItems: false)
        #expect(applied.openItems.count == 2)
        #expect(applied.tiers[0].actions.contains { $0.action == "ec2:DescribeSubnets" })
    }
}
