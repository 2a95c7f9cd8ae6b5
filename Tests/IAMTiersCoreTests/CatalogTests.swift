import Foundation
import Testing

@testable import IAMTiersCore

@Suite struct BundledCatalogTests {
    let catalog = bundledCatalog

    @Test func countsAndProvenanceMatchTheSource() {
        #expect(catalog.serviceCount == 455)
        #expect(catalog.actionCount == 21_788)
        #expect(catalog.info.date == "2026-08-21")
        #expect(catalog.info.version == "0.21.202608211")
        #expect(catalog.info.licence == "MIT")
        let levels = catalog.countsByLevel()
        #expect(levels[.list] == 3_671)
        #expect(levels[.read] == 5_789)
        #expect(levels[.write] == 11_198)
        #expect(levels[.tagging] == 715)
        #expect(levels[.permissionsManagement] == 415)
    }

    @Test func lookupIsCaseInsensitiveAndReturnsCanonicalCase() throws {
        let action = try #require(catalog.action(named: "S3:getobject"))
        #expect(action.fullName == "s3:GetObject")
        #expect(action.accessLevel == .read)
        #expect(catalog.action(named: "iam:PassRole")?.accessLevel == .write)
        #expect(catalog.action(named: "redshift:GetClusterCredentials")?.accessLevel == .write)
        #expect(catalog.action(named: "s3:PutBucketTagging")?.accessLevel == .tagging)
        #expect(catalog.action(named: "iam:AttachRolePolicy")?.accessLevel == .permissionsManagement)
    }

    @Test func unknownActionsAreNotFound() {
        #expect(catalog.action(named: "s3:ListBuckets") == nil)
        #expect(catalog.action(named: "s4:GetObject") == nil)
        #expect(catalog.action(named: "GetObject") == nil)
        #expect(catalog.action(named: "s3:") == nil)
        #expect(catalog.action(named: "") == nil)
        #expect(catalog.action(named: "s3:GetObjectX") == nil)
    }

    @Test func unknownActionsGetTheClosestKnownNames() {
        let forBuckets = catalog.suggestions(for: "s3:ListBuckets").map(\.fullName)
        #expect(forBuckets.contains("s3:ListAllMyBuckets"))
        #expect(forBuckets.contains("s3:ListBucket"))
        #expect(catalog.suggestions(for: "ec2:DescribeInstance").first?.fullName == "ec2:DescribeInstances")
        #expect(catalog.suggestions(for: "s4:GetObject").map(\.fullName).contains("s3:GetObject"))
        #expect(catalog.suggestions(for: "GetCallerIdentity").map(\.fullName) == ["sts:GetCallerIdentity"])
        #expect(catalog.suggestions(for: "s3:Zzzzzzzzzzzzzzzz").isEmpty)
    }

    @Test func expansionGrantsExactlyTheMatchingActions() throws {
        let describe = catalog.expand(try ActionPattern("ec2:Describe*")).map(\.fullName)
        let expected = catalog.actions(inService: "ec2").filter { $0.name.lowercased().hasPrefix("describe") }.map(
            \.fullName)
        #expect(describe == expected)
        #expect(describe.count > 150)
        #expect(describe.contains("ec2:DescribeInstances"))

        let objects = catalog.expand(try ActionPattern("S3:*object")).map(\.name)
        #expect(objects == ["DeleteObject", "GetObject", "PutObject", "ReplicateObject", "RestoreObject"])

        #expect(catalog.expand(try ActionPattern("*")).count == catalog.actionCount)
        #expect(catalog.expand(try ActionPattern("nosuchservice:*")).isEmpty)
        let crossService = catalog.expand(try ActionPattern("s3*:GetObject")).map(\.fullName)
        #expect(crossService == ["s3:GetObject", "s3-object-lambda:GetObject", "s3-outposts:GetObject"])
    }

    @Test func listingByServiceAndAccessLevel() {
        let iamPermissions = catalog.actions(inService: "IAM", level: .permissionsManagement)
        #expect(iamPermissions.allSatisfy { $0.service == "iam" && $0.accessLevel == .permissionsManagement })
        #expect(iamPermissions.map(\.name).contains("AttachRolePolicy"))
        #expect(catalog.actions(inService: "iam").count == catalog.service(prefix: "iam")?.actionCount)
        #expect(catalog.services.map(\.prefix) == catalog.services.map(\.prefix).sorted())
        #expect(catalog.service(prefix: "s3")?.name == "Amazon S3")
    }

    @Test func detailsCarryResourceTypesWithArnTemplatesAndConditionKeys() throws {
        let getObject = try #require(catalog.action(named: "s3:GetObject"))
        let details = catalog.details(of: getObject)
        #expect(details.description == "Grants permission to retrieve objects from Amazon S3")
        let object = try #require(details.resourceTypes.first { $0.name == "object" })
        #expect(object.arnTemplate == "arn:${Partition}:s3:::${BucketName}/${ObjectName}")
        #expect(details.conditionKeys.contains("s3:TlsVersion"))
        let listAll = try #require(catalog.action(named: "s3:ListAllMyBuckets"))
        #expect(catalog.details(of: listAll).resourceTypes.isEmpty)
    }

    @Test func riskFactsComeFromIamDatasetAndTheSupplement() throws {
        let getObject = try #require(catalog.action(named: "s3:GetObject"))
        #expect(getObject.risk.datasetFlags == [.dataAccess] && getObject.risk.assessed)
        let passRole = try #require(catalog.action(named: "iam:PassRole"))
        #expect(passRole.risk.flags.contains(.privilegeEscalation))
        let token = try #require(catalog.action(named: "ecr:GetAuthorizationToken"))
        #expect(token.risk.flags.contains(.credentialsExposure))
        let secret = try #require(catalog.action(named: "secretsmanager:GetSecretValue"))
        #expect(secret.risk.supplementFlags == [.credentialsExposure] && secret.risk.datasetFlags.isEmpty)
        let describe = try #require(catalog.action(named: "ec2:DescribeInstances"))
        #expect(describe.risk.assessed && !describe.risk.isRisky)
    }
}

extension BundledCatalogTests {
    @Test func dependentActionsComeFromPolicySentry() throws {
        #expect(catalog.info.dependentsSource.contains("Policy Sentry 0.15.2"))
        let create = try #require(catalog.action(named: "lambda:CreateFunction"))
        #expect(catalog.details(of: create).dependentActions == ["iam:PassRole", "lambda:PassCapacityProvider"])
        let withDependents = catalog.allActions.count { !catalog.dependentActions(of: $0).isEmpty }
        #expect(withDependents == 1_654)
        // Every dependent names a catalog action, in its canonical case.
        for action in catalog.allActions {
            for dependent in catalog.dependentActions(of: action) {
                #expect(catalog.action(named: dependent)?.fullName == dependent, "\(action) -> \(dependent)")
            }
        }
    }

    /// The verdict classes of the issue, with known members of each: configuration reads stay
    /// configuration; whatever returns data or secrets, or runs something, is not.
    @Test(arguments: [
        ("ec2:DescribeInstances", ReadVerdict.configuration, "ViewOnlyAccess"),
        ("iam:ListRoles", .configuration, "ViewOnlyAccess"),
        ("s3:ListAllMyBuckets", .configuration, "ViewOnlyAccess"),
        ("secretsmanager:ListSecrets", .configuration, "reviewed"),
        ("ec2:GetVerifiedAccessGroupPolicy", .configuration, "rule policy-text"),
        ("s3:GetObject", .data, "iam-dataset"),
        ("cloudtrail:LookupEvents", .data, "iam-dataset"),
        ("kinesis:SubscribeToShard", .data, "rule returns-content"),
        ("ec2:GetPasswordData", .secret, "iam-dataset"),
        ("secretsmanager:GetSecretValue", .secret, "supplement"),
        ("acm:ExportCertificate", .secret, "reviewed"),
        ("lambda:GetFunctionConfiguration", .secret, "reviewed"),
        ("ec2:DescribeInstanceAttribute", .secret, "reviewed"),
        ("finspace:GetKxConnectionString", .secret, "rule secret-words"),
        ("bedrock:InvokeModel", .task, "rule runs-something"),
        ("quicksight:DescribeDataSetPermissions", .unassessed, "Policy Sentry level Permissions management"),
    ])
    func everyReadHasAVerdictWithItsSource(action name: String, verdict: ReadVerdict, source: String) throws {
        let action = try #require(catalog.action(named: name))
        #expect(action.verdict == verdict)
        #expect(catalog.details(of: action).verdictSource == source)
    }

    @Test func onlyReadsHaveVerdicts() {
        let reads = catalog.allActions.filter { $0.accessLevel <= .read }
        #expect(reads.count == 9_460)
        #expect(reads.allSatisfy { $0.verdict != nil })
        #expect(catalog.allActions.filter { $0.accessLevel > .read }.allSatisfy { $0.verdict == nil })
        // Whatever iam-dataset flags as credentials exposure or data access is never a configuration read.
        #expect(
            !reads.contains {
                $0.isConfigurationRead && !$0.risk.flags.isDisjoint(with: [.credentialsExposure, .dataAccess])
            })
    }
}

@Suite struct CatalogFormatTests {
    func parse(_ text: String) throws -> Catalog { try Catalog(text: Array(text.utf8)) }

    let header = "format\tiamtiers.catalog/2\ndate\t2030-01-01\n\n"

    @Test func aMinimalCatalogParses() throws {
        let catalog = try parse(
            header + "S\tx\tX Service\nA\tDo\tWrite\t?\t-\t\t\t\tdoes it\n"
                + "A\tGet\tRead\t?\tsecret:reviewed\t\t\t\treturns it\n")
        #expect(catalog.action(named: "x:do")?.fullName == "x:Do")
        #expect(catalog.action(named: "x:do")?.verdict == nil)
        let get = try #require(catalog.action(named: "x:get"))
        #expect(get.verdict == .secret && !get.isConfigurationRead)
        #expect(catalog.details(of: get).verdictSource == "reviewed")
        #expect(catalog.details(of: get).description == "returns it")
        #expect(catalog.info.date == "2030-01-01")
    }

    @Test func errorsNameTheLine() {
        #expect(throws: CatalogError.unsupportedFormat("iamtiers.catalog/9")) {
            try parse("format\tiamtiers.catalog/9\n\n")
        }
        #expect(throws: CatalogError.unsupportedFormat("iamtiers.catalog/1")) {
            try parse("format\tiamtiers.catalog/1\n\n")
        }
        #expect(throws: CatalogError.malformed(line: 5, reason: "unknown access level 'Sometimes'")) {
            try parse(header + "S\tx\tX\nA\tDo\tSometimes\t?\t-\t\t\t\tdoes it\n")
        }
        #expect(throws: CatalogError.malformed(line: 6, reason: "action Alpha is out of order")) {
            try parse(
                header + "S\tx\tX\nA\tBeta\tRead\t-\tdata\t\t\t\tb\nA\tAlpha\tRead\t-\tdata\t\t\t\ta\n")
        }
        #expect(throws: CatalogError.malformed(line: 5, reason: "action record needs 9 fields")) {
            try parse(header + "S\tx\tX\nA\tDo\tRead\t-\t\t\t\tdescription\n")
        }
        #expect(throws: CatalogError.malformed(line: 5, reason: "bad verdict 'maybe' for a Read action")) {
            try parse(header + "S\tx\tX\nA\tDo\tRead\t-\tmaybe\t\t\t\tdescription\n")
        }
        #expect(throws: CatalogError.malformed(line: 5, reason: "bad verdict 'data' for a Write action")) {
            try parse(header + "S\tx\tX\nA\tDo\tWrite\t-\tdata\t\t\t\tdescription\n")
        }
        #expect(throws: CatalogError.malformed(line: 4, reason: "action before any service")) {
            try parse(header + "A\tDo\tRead\t-\tdata\t\t\t\tdescription\n")
        }
        #expect(throws: CatalogError.malformed(line: 5, reason: "header says 2 actions, found 1")) {
            try parse("format\tiamtiers.catalog/2\nactions\t2\n\nS\tx\tX\nA\tDo\tRead\t-\tdata\t\t\t\td\n")
        }
    }

    @Test func aMissingFileIsAClearError() {
        #expect(
            throws: CatalogError.unreadable(path: "/nonexistent/catalog.tsv.gz", reason: "no such file or not readable")
        ) {
            try Catalog(contentsOf: "/nonexistent/catalog.tsv.gz")
        }
    }
}
