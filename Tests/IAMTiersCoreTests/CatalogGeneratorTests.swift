import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Scripts/update-catalog: run on a small fixture, and checked against the shipped resource.
@Suite struct CatalogGeneratorTests {
    let script = Repository.root.appendingPathComponent("Scripts/update-catalog").path

    func generate(catalog: String, riskDir: String, supplement: String, into directory: URL) throws -> ProcessResult {
        func fixture(_ name: String) -> String { Repository.fixtures.appendingPathComponent(name).path }
        return try run(
            "/usr/bin/env",
            [
                "python3", script, "--catalog", catalog, "--risk-dir", riskDir, "--supplement", supplement,
                "--risk-provenance", "fixture risk data", "--dependents", fixture("policy-sentry.json"),
                "--dependents-provenance", "fixture dependents", "--verdicts", fixture("read-verdicts.tsv"),
                "--verdict-rules", fixture("read-verdict-rules.tsv"), "--out",
                directory.appendingPathComponent("catalog.tsv.gz").path,
            ])
    }

    @Test func theScriptTurnsAFixtureIntoALoadableCatalog() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try generate(
            catalog: Repository.fixtures.appendingPathComponent("catalog-source.json").path,
            riskDir: Repository.fixtures.appendingPathComponent("risk").path,
            supplement: Repository.fixtures.appendingPathComponent("risk-supplement.tsv").path,
            into: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "2 services, 8 actions, 3 risk-assessed, 3 flagged, 1 with dependent actions (1 unknown dependents "
                    + "dropped); reads: 3 configuration, 1 data, 0 secret, 0 task, 1 unassessed"), "\(result.stderr)")

        // Beside it, what Policy Sentry's database (the fixture knows three s3 actions) cannot take.
        let gaps = try PolicySentryGaps(
            text: String(contentsOf: directory.appendingPathComponent("policy-sentry-gaps.txt"), encoding: .utf8))
        #expect(gaps.database == "fixture dependents")
        #expect(gaps.takes("s3:GetBucketPolicy") && gaps.takes("S3:PUTBUCKETTAGGING"))
        #expect(!gaps.knows("s3:GetObject") && !gaps.knows("iam:PassRole"))

        let catalog = try Catalog(contentsOf: directory.appendingPathComponent("catalog.tsv.gz").path)
        #expect(catalog.info.date == "2030-01-02")
        #expect(catalog.info.version == "9.9.9")
        #expect(catalog.info.riskSource == "fixture risk data: 2 expanded managed policies")
        #expect(catalog.info.dependentsSource == "fixture dependents")
        #expect(catalog.services.map(\.prefix) == ["iam", "s3"])
        #expect(
            catalog.allActions.map(\.fullName) == [
                "iam:AttachRolePolicy", "iam:PassRole", "s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketPolicy",
                "s3:GetObject", "s3:ListAllMyBuckets", "s3:PutBucketTagging",
            ])
        // Each read's verdict, from the source that decides it first.
        let verdicts = catalog.allActions.filter { $0.verdict != nil }.map {
            "\($0.fullName) \($0.verdict!.rawValue) (\(catalog.details(of: $0).verdictSource))"
        }
        #expect(
            verdicts == [
                "s3:GetBucketAcl unassessed (Policy Sentry level Permissions management)",
                "s3:GetBucketLocation configuration (rule fixture-region)",
                "s3:GetBucketPolicy configuration (reviewed)", "s3:GetObject data (iam-dataset)",
                "s3:ListAllMyBuckets configuration (ViewOnlyAccess)",
            ])

        let tagging = try #require(catalog.action(named: "s3:putbuckettagging"))
        #expect(tagging.accessLevel == .tagging)
        #expect(!tagging.risk.assessed)
        let details = catalog.details(of: tagging)
        #expect(details.description == "Grants permission to add tags to a bucket")  // tab and newline folded
        #expect(
            details.resourceTypes == [
                ResourceTypeReference(
                    name: "bucket", required: true, arnTemplate: "arn:${Partition}:s3:::${BucketName}")
            ])
        // The source's own dependents and Policy Sentry's, in canonical case; unknown ones dropped.
        #expect(details.dependentActions == ["s3:GetBucketTagging", "s3:GetObject"])

        #expect(catalog.action(named: "iam:PassRole")?.risk.datasetFlags == [.privilegeEscalation, .resourceExposure])
        let attach = try #require(catalog.action(named: "iam:AttachRolePolicy"))
        #expect(attach.accessLevel == .permissionsManagement)
        #expect(attach.risk.supplementFlags == [.privilegeEscalation] && !attach.risk.assessed)
        let listAll = try #require(catalog.action(named: "s3:ListAllMyBuckets"))
        #expect(listAll.risk.assessed && !listAll.risk.isRisky)
    }

    @Test func aSupplementNamingAnUnknownActionIsRejectedWithItsLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let supplement = directory.appendingPathComponent("supplement.tsv")
        try "# comment\ns3:NoSuchAction\tdata-access\twhy\n".write(to: supplement, atomically: true, encoding: .utf8)
        let result = try generate(
            catalog: Repository.fixtures.appendingPathComponent("catalog-source.json").path,
            riskDir: Repository.fixtures.appendingPathComponent("risk").path,
            supplement: supplement.path, into: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("supplement.tsv:2: s3:NoSuchAction is not in the catalog"))
    }

    @Test(.enabled(if: Repository.hasShared, "needs ../shared/data"))
    func theShippedOperationTableIsExactlyTheScriptsOutput() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("operation-actions.tsv.gz")
        let result = try run(
            "/usr/bin/env",
            [
                "python3", Repository.root.appendingPathComponent("Scripts/update-operation-actions").path, "--out",
                out.path,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3141 of 20947 operations list more than one action"))
        let shipped = Repository.root.appendingPathComponent("Sources/IAMTiersCore/Resources/operation-actions.tsv.gz")
        #expect(
            try Gzip.decompress([UInt8](Data(contentsOf: out))) == Gzip.decompress([UInt8](Data(contentsOf: shipped))),
            "run Scripts/update-operation-actions and commit the result")
        let table = try OperationActions.bundled()
        #expect(table.operationCount == 3_141)
        #expect(
            table.actions(prefix: "cloudtrail", operation: "UpdateTrail") == ["cloudtrail:UpdateTrail", "iam:PassRole"])
        #expect(table.actions(prefix: "s3", operation: "ListBuckets") == nil)  // lists only its own
    }

    @Test(.enabled(if: Repository.hasShared, "needs ../shared/data"))
    func theShippedResourceIsExactlyTheScriptsOutput() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(
            "/usr/bin/env", ["python3", script, "--out", directory.appendingPathComponent("catalog.tsv.gz").path])
        #expect(result.status == 0, "\(result.stderr)")
        let fresh = try Gzip.decompress([UInt8](Data(contentsOf: directory.appendingPathComponent("catalog.tsv.gz"))))
        let shipped = try Gzip.decompress(
            [UInt8](
                Data(
                    contentsOf: Repository.root.appendingPathComponent("Sources/IAMTiersCore/Resources/catalog.tsv.gz"))
            ))
        #expect(fresh == shipped, "run Scripts/update-catalog and commit the result")
        let gaps = "policy-sentry-gaps.txt"
        #expect(
            try Data(contentsOf: directory.appendingPathComponent(gaps))
                == Data(contentsOf: Repository.root.appendingPathComponent("Sources/IAMTiersCore/Resources/\(gaps)")),
            "run Scripts/update-catalog and commit the result")
    }
}
