import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

let mapping: CloudTrailMapping = {
    do { return try CloudTrailMapping.bundled(catalog: bundledCatalog) } catch { fatalError("mapping: \(error)") }
}()

func mappedNames(_ source: String, _ name: String) -> [String]? {
    if case .actions(let actions) = mapping.map(eventSource: source, eventName: name).outcome {
        return actions.map(\.fullName)
    }
    return nil
}

@Suite struct CloudTrailMappingTests {
    @Test func directNamesResolveInCanonicalCase() {
        let result = mapping.map(eventSource: "ec2.amazonaws.com", eventName: "describeinstances")
        #expect(result.outcome == .actions([bundledCatalog.action(named: "ec2:DescribeInstances")!]))
        #expect(result.rule == "direct")
    }

    @Test func hostExceptionsNameTheIAMPrefix() {
        #expect(mappedNames("monitoring.amazonaws.com", "GetMetricData") == ["cloudwatch:GetMetricData"])
        #expect(mappedNames("tagging.amazonaws.com", "GetResources") == ["tag:GetResources"])
        #expect(mappedNames("streams.dynamodb.amazonaws.com", "GetRecords") == ["dynamodb:GetRecords"])
        #expect(mappedNames("email.amazonaws.com", "SendEmail") == ["ses:SendEmail"])
        let rule = mapping.map(eventSource: "monitoring.amazonaws.com", eventName: "GetMetricData").rule
        #expect(rule.hasPrefix("host monitoring.amazonaws.com -> cloudwatch (iam-dataset"))
        #expect(rule.hasSuffix("; direct"))
    }

    @Test func s3RenamesFollowTheIAMNames() {
        #expect(mappedNames("s3.amazonaws.com", "ListBuckets") == ["s3:ListAllMyBuckets"])
        #expect(mappedNames("s3.amazonaws.com", "HeadObject") == ["s3:GetObject"])
        #expect(mappedNames("s3.amazonaws.com", "HeadBucket") == ["s3:ListBucket"])
        #expect(mappedNames("s3.amazonaws.com", "ListObjectsV2") == ["s3:ListBucket"])
        #expect(mappedNames("s3.amazonaws.com", "CreateMultipartUpload") == ["s3:PutObject"])
        #expect(mappedNames("s3.amazonaws.com", "UploadPart") == ["s3:PutObject"])
        #expect(mappedNames("s3.amazonaws.com", "DeleteObjects") == ["s3:DeleteObject"])
        #expect(mappedNames("s3.amazonaws.com", "GetBucketEncryption") == ["s3:GetEncryptionConfiguration"])
        #expect(mappedNames("s3.amazonaws.com", "DeleteBucketCors") == ["s3:PutBucketCORS"])
        #expect(mappedNames("s3.amazonaws.com", "GetBucketCors") == ["s3:GetBucketCORS"])  // case-insensitive direct
        #expect(mappedNames("s3.amazonaws.com", "GetBucketAccessControlPolicy") == ["s3:GetBucketAcl"])
    }

    @Test func trailscrapersTwoWrongReplicationEntriesAreCorrected() {
        // trailscraper 0.10.0 maps both to DeleteReplicationConfiguration, which is not how IAM
        // authorises them: replication is written (and deleted) with PutReplicationConfiguration.
        #expect(mappedNames("s3.amazonaws.com", "PutBucketReplication") == ["s3:PutReplicationConfiguration"])
        #expect(mappedNames("s3.amazonaws.com", "DeleteBucketReplication") == ["s3:PutReplicationConfiguration"])
    }

    @Test func oneCallCanNeedSeveralActions() {
        #expect(mappedNames("s3.amazonaws.com", "CopyObject") == ["s3:GetObject", "s3:PutObject"])
        #expect(mappedNames("kms.amazonaws.com", "ReEncrypt") == ["kms:ReEncryptFrom", "kms:ReEncryptTo"])
    }

    @Test func lambdaDataEventInvokeIsInvokeFunction() {
        #expect(mappedNames("lambda.amazonaws.com", "Invoke") == ["lambda:InvokeFunction"])
    }

    @Test func apiVersionSuffixesAreStripped() {
        #expect(mappedNames("lambda.amazonaws.com", "ListFunctions20150331") == ["lambda:ListFunctions"])
        #expect(mappedNames("lambda.amazonaws.com", "GetFunction20150331v2") == ["lambda:GetFunction"])
        #expect(
            mappedNames("cloudfront.amazonaws.com", "CreateDistribution2020_05_31") == ["cloudfront:CreateDistribution"]
        )
        #expect(strippingVersionSuffix("ListObjectsV2") == nil)
        #expect(strippingVersionSuffix("GetFunctionv2") == nil)
        let rule = mapping.map(eventSource: "lambda.amazonaws.com", eventName: "GetFunction20150331v2").rule
        #expect(rule == "API-version suffix stripped (GetFunction20150331v2 -> GetFunction); direct")
    }

    @Test func callsThatNeedNoPermissionAreMarked() {
        #expect(mapping.map(eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity").outcome == .noPermission)
        #expect(mapping.map(eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin").outcome == .noPermission)
    }

    @Test func unknownPairsAreUnmappedNotInvented() {
        #expect(
            mapping.map(eventSource: "s3.amazonaws.com", eventName: "GetStorageLensDashboardDataInternal").outcome
                == .unmapped(reason: "no action s3:GetStorageLensDashboardDataInternal in the catalog"))
        #expect(
            mapping.map(eventSource: "nosuch.amazonaws.com", eventName: "Do").outcome
                == .unmapped(reason: "no IAM service 'nosuch' in the catalog"))
        #expect(
            mapping.map(eventSource: "", eventName: "Do").outcome == .unmapped(reason: "empty eventSource or eventName")
        )
    }

    @Test func everyShippedRuleTargetsACatalogAction() throws {
        let path = Repository.root.appendingPathComponent("Sources/IAMTiersCore/Resources/cloudtrail-mapping.tsv")
        let text = try String(contentsOf: path, encoding: .utf8)
        #expect(throws: Never.self) { try CloudTrailMapping(rules: text, catalog: bundledCatalog) }
        #expect(throws: CloudTrailMapping.LoadError.malformed(line: 1, reason: "s3:Nope is not in the catalog")) {
            try CloudTrailMapping(rules: "event\ts3:X\ts3:Nope\tsource\n", catalog: bundledCatalog)
        }
    }

    /// The 322 (eventSource, eventName) pairs seen in the real logs, resolved as the developers' table says.
    @Test(.enabled(if: Repository.hasShared, "needs ../shared/data/mapping"))
    func theObservedPairsResolveAsDocumented() throws {
        let table = Repository.shared.appendingPathComponent("data/mapping/observed-pairs-resolution.tsv")
        let rows = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 322)
        for row in rows {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let (source, name, resolution, expected) = (fields[0], fields[1], fields[6], fields[7])
            let outcome = mapping.map(eventSource: source, eventName: name).outcome
            switch resolution {
            case "UNRESOLVED":
                // Service events and console-internal names: no public IAM action exists.
                guard case .unmapped = outcome else {
                    Issue.record("\(source) \(name) should be unmapped, got \(outcome)")
                    continue
                }
            case let kind where kind.hasPrefix("no-iam-action"):
                #expect(outcome == .noPermission, "\(source) \(name)")
            default:
                #expect(
                    mappedNames(source, name) == expected.split(separator: ",").map(String.init), "\(source) \(name)")
            }
        }
    }
}
