import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Every kind of principal people sign in as can be selected: roles, IAM users, the root user and
/// federated users; AWS services acting on their own are service events.
@Suite struct PrincipalSelectionTests {
    let fixture = Repository.fixtures.appendingPathComponent("synthetic/principals.json").path

    func usage(_ selection: PrincipalSelection?) throws -> Usage {
        let (totals, summary) = EventReader.read(paths: [fixture], filter: EventFilter(selection: selection))
        return try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: selection))
    }

    /// "person: action count" for every person's actions.
    func calls(_ usage: Usage) -> [String] {
        usage.people.flatMap { person in person.actions.map { "\(person.name): \($0.action) \($0.count)" } }
    }

    @Test func theKindsAreToldApart() throws {
        let (totals, _) = EventReader.read(paths: [fixture], filter: EventFilter())
        #expect(
            totals.principalsSeen().map { "\($0.kind.label) \($0.arn)" } == [
                "role arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd",
                "IAM user arn:aws:iam::111122223333:user/ops/alice", "root arn:aws:iam::111122223333:root",
                "IAM user arn:aws:iam::111122223333:user/bob",
                // Issued by bob, but a principal of its own, not bob and not a role.
                "federated user arn:aws:sts::111122223333:federated-user/contractor",
            ])
        #expect(throws: AnalysisError.self) { try usage(nil) }  // several principals: choose
    }

    @Test func usersAreSelectedByNamePathArnOrGlobAndEachIsAPerson() throws {
        let alice = try usage(PrincipalSelection(users: [UserQuery("alice")]))
        #expect(calls(alice) == ["alice: iam:ListRoles 2", "alice: sqs:ListQueues 1"])
        #expect(alice.principals.map(\.type) == ["IAM user"])
        #expect(try usage(PrincipalSelection(users: [UserQuery("ops/alice")])).actions == alice.actions)
        #expect(
            try usage(PrincipalSelection(users: [UserQuery("arn:aws:iam::111122223333:user/ops/alice")])).actions
                == alice.actions)
        let group = try usage(PrincipalSelection(users: [UserQuery("alice"), UserQuery("bob")]))
        #expect(group.people.map(\.name) == ["alice", "bob"])
        #expect(group.actions.first { $0.action == "iam:ListRoles" }?.count == 3)
        #expect(group.actions.first { $0.action == "iam:ListRoles" }?.people == ["alice", "bob"])
        #expect(try usage(PrincipalSelection(users: [UserQuery("*")])).people.map(\.name) == ["alice", "bob"])
        // A role's name is not a user's.
        #expect(throws: AnalysisError.self) { try usage(PrincipalSelection(users: [UserQuery("AWSReservedSSO*")])) }
    }

    @Test func rootAndFederatedUsersBySelectingTheirArns() throws {
        let root = try usage(PrincipalSelection(principals: ["arn:aws:iam::111122223333:root"]))
        #expect(calls(root) == ["root: iam:GetAccountSummary 1", "root: iam:ListUsers 1"])
        #expect(root.principals.map(\.type) == ["root"])
        let federated = try usage(PrincipalSelection(principals: ["arn:aws:sts::*:federated-user/*"]))
        #expect(calls(federated) == ["contractor: s3:ListAllMyBuckets 1"])
        #expect(federated.principals.map(\.type) == ["federated user"])
        // bob's own calls are not the federated user's.
        #expect(!calls(try usage(PrincipalSelection(users: [UserQuery("bob")]))).contains { $0.contains("s3:") })
    }

    @Test func permissionSetRolesMatchWithOrWithoutTheReservedPrefix() throws {
        let bySet = try usage(.role("Admin"))
        #expect(
            calls(bySet) == ["carol@corp.example: ec2:DescribeInstances 1", "dave@corp.example: s3:ListAllMyBuckets 2"])
        #expect(try usage(.role("AWSReservedSSO_Admin")).actions == bySet.actions)
        #expect(try usage(.role("AWSReservedSSO_Admin_0123abcd")).actions == bySet.actions)
        #expect(throws: AnalysisError.self) { try usage(.role("AWSReservedSSO_Adm")) }
    }

    @Test func servicesAreServiceEventsAndTheDataEventsHintSaysWhoseAreMissing() throws {
        let alice = try usage(PrincipalSelection(users: [UserQuery("alice")]))
        // One AwsServiceEvent and one call by an AWS service principal.
        #expect(alice.provenance.events.serviceEvents == 2)
        #expect(alice.provenance.events.otherPrincipals == 8)
        #expect(alice.provenance.events.dataEvents == 0 && alice.provenance.events.dataEventsOfAnyone == 1)
        let hint = try #require(alice.hints.first { $0.kind == .dataEvents })
        #expect(hint.message.hasPrefix("The trail records data events (1 data event read, of other principals)"))
        let withoutAny = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test").build(
            try readInput(["a.json": bytes("[" + event("s3.amazonaws.com", "ListBuckets") + "]")]).0,
            InputSummary(), AnalysisOptions())
        #expect(
            withoutAny.hints.first { $0.kind == .dataEvents }?.message.hasPrefix(
                "The input holds no data events at all") == true)
    }
}

/// The real SANS logs: their human activity is by IAM users and the root user.
@Suite(.enabled(if: Repository.hasShared, "needs ../shared/data/cloudtrail"))
struct SharedPrincipalTests {
    let sans = Repository.shared.appendingPathComponent("data/cloudtrail/sans-504-s3-ransomware-lab")

    /// Counts each `(eventSource, eventName)` pair of one caller with Foundation's JSON parser, not
    /// iamtiers' scanner.
    func pairs(ofCaller arn: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let files = FileManager.default.enumerator(atPath: sans.path)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json.gz") }
        for file in files {
            let data = try Gzip.decompress([UInt8](Data(contentsOf: sans.appendingPathComponent(file))))
            let object = try JSONSerialization.jsonObject(with: Data(data)) as? [String: Any]
            for record in object?["Records"] as? [[String: Any]] ?? [] {
                let identity = record["userIdentity"] as? [String: Any]
                guard identity?["arn"] as? String == arn else { continue }
                counts["\(record["eventSource"]!) \(record["eventName"]!)", default: 0] += 1
            }
        }
        return counts
    }

    /// The same pairs as the usage file has them: every call of a pair once, however many actions it
    /// maps to, allowed, refused or from the console; needing no permission; or unmapped.
    func pairs(of usage: Usage) -> [String: Int] {
        var counts: [String: Int] = [:]
        for source in usage.actions.flatMap(\.sources) {
            counts["\(source.eventSource) \(source.eventName)"] = source.count + source.denied + source.console
        }
        for pair in usage.noPermission { counts["\(pair.eventSource) \(pair.eventName)"] = pair.count }
        for pair in usage.unmapped {
            counts["\(pair.eventSource) \(pair.eventName)"] = pair.count + pair.denied + pair.console
        }
        return counts
    }

    @Test(arguments: [
        ("--user", "FalsimentisRoot", "arn:aws:iam::342082656213:user/FalsimentisRoot"),
        ("--user", "jmerckle", "arn:aws:iam::342082656213:user/jmerckle"),
        ("--principal", "arn:aws:iam::342082656213:root", "arn:aws:iam::342082656213:root"),
    ])
    func aUsersUsageHasExactlyItsPairs(option: String, value: String, arn: String) throws {
        let selection =
            option == "--user" ? PrincipalSelection(users: [UserQuery(value)]) : PrincipalSelection(principals: [value])
        let (totals, summary) = EventReader.read(paths: [sans.path], filter: EventFilter(selection: selection))
        let usage = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: selection))
        let expected = try pairs(ofCaller: arn)
        #expect(!expected.isEmpty)
        #expect(pairs(of: usage) == expected)
        #expect(usage.principals.map(\.arn) == [arn])
    }
}
