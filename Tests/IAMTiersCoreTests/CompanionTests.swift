import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Companion permissions: what the requests show a call needed besides its own action, and how the
/// tiers keep them with the actions that need them.
@Suite struct CompanionTests {
    static let usage: Usage = {
        let fixture = Repository.fixtures.appendingPathComponent("synthetic/companions.json").path
        let (totals, summary) = EventReader.read(paths: [fixture], filter: EventFilter())
        return try! UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: .role("Admin")))
    }()

    func draft() -> TierSet {
        TierSuggester(catalog: bundledCatalog, generator: "test").suggest(from: Self.usage, usagePath: nil)
    }

    /// Every companion rule, each with the calls that needed it, and where the roles went.
    @Test func theRequestsDecideWhichCompanionsEachCallNeeded() {
        let found = Self.usage.companions.map { companion in
            "\(companion.action) <- \(companion.neededBy) \(companion.rule) \(companion.calls)"
                + (companion.resources.isEmpty ? "" : " on \(companion.resources.joined(separator: " "))")
                + (companion.passedTo.isEmpty ? "" : " to \(companion.passedTo.joined(separator: " "))")
        }
        #expect(
            found == [
                "ec2:CreateTags <- ec2:CreateVpc tags-on-create 1",
                "ec2:CreateTags <- ec2:RunInstances tags-on-create 1",
                "iam:PassRole <- cloudtrail:UpdateTrail passes-role 1 on "
                    + "arn:aws:iam::111122223333:role/service-role/CloudTrailRoleForCloudWatchLogs to cloudtrail.amazonaws.com",
                // Only the instance profile is named: every role of the account, with an open item.
                "iam:PassRole <- ec2:RunInstances passes-role 1 on arn:aws:iam::111122223333:role/* to ec2.amazonaws.com",
                "iam:PassRole <- ecs:RunTask passes-role 1 on arn:aws:iam::111122223333:role/migrate-task to "
                    + "ecs-tasks.amazonaws.com",
                // A role name, not an ARN: a role of the account the call was made in.
                "iam:PassRole <- iam:AddRoleToInstanceProfile passes-role 1 on arn:aws:iam::111122223333:role/app-role "
                    + "to ec2.amazonaws.com",
                "iam:PassRole <- lambda:CreateFunction passes-role 1 on arn:aws:iam::111122223333:role/report-fn to "
                    + "lambda.amazonaws.com",
                "kms:Decrypt <- s3:GetObject on-behalf 2",
                "lambda:GetLayerVersion <- lambda:CreateFunction request-key 1",
                "secretsmanager:GetSecretValue <- secretsmanager:BatchGetSecretValue batch-item 2",
                "secretsmanager:ListSecrets <- secretsmanager:BatchGetSecretValue request-key 1",
                "ssm:AddTagsToResource <- ssm:PutParameter tags-on-create 1",
            ])
        // What needs nothing: AssumeRole's roleArn, a role inside a bucket policy, an empty tag list.
        #expect(!Self.usage.companions.contains { ["sts:AssumeRole", "s3:PutBucketPolicy"].contains($0.neededBy) })
        #expect(!Self.usage.companions.contains { $0.neededBy == "ec2:CreateSubnet" })
        #expect(Self.usage.companions.allSatisfy { !$0.reason.isEmpty && $0.people == ["alice@corp.example"] })
    }

    /// Log text becomes a policy's Resource only when it is an ARN IAM would take.
    @Test func onlyWellFormedRoleArnsAreGranted() {
        #expect(CompanionFinder.isRoleOrProfileArn("arn:aws:iam::111122223333:role/service-role/CloudTrail_CW"))
        #expect(CompanionFinder.isRoleOrProfileArn("arn:aws-us-gov:iam::111122223333:instance-profile/web"))
        #expect(CompanionFinder.isRoleOrProfileArn("arn:aws:iam::*:role/app-role"))
        for bad in [
            "arn:aws:iam::1:role/x", "arn:aws:iam::111122223333:role/", "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::111122223333:role/a\"b", "arn:aws:iam::111122223333:role/a\nb",
            "arn:aws:iam::111122223333:role/\u{202E}x", "arn:aws:s3:::bucket/role/x",
        ] {
            #expect(!CompanionFinder.isRoleOrProfileArn(bad), "\(bad)")
        }
    }

    @Test func callsAServiceMadeForTheCallerAreUsageCountedApart() throws {
        let decrypt = try #require(Self.usage.actions.first { $0.action == "kms:Decrypt" })
        #expect(decrypt.count == 2 && decrypt.onBehalf == 2 && decrypt.console == 0)
        let cloudFormation = try #require(Self.usage.actions.first { $0.action == "ec2:CreateSecurityGroup" })
        #expect(cloudFormation.count == 1 && cloudFormation.onBehalf == 1)
        // A console page view stays a page view.
        let pageView = try #require(Self.usage.actions.first { $0.action == "ec2:DescribeInstances" })
        #expect(pageView.count == 0 && pageView.console == 1)
        #expect(Self.usage.provenance.events.onBehalf == 3 && Self.usage.provenance.events.console == 1)
        // KMS was called, so no hint says it was not.
        #expect(!Self.usage.hints.contains { $0.kind == .kms })
    }

    @Test func theRestOfAWSsListIsPossibleNotGranted() throws {
        let finder = CompanionFinder(
            catalog: bundledCatalog, mapping: mapping, operations: try OperationActions.bundled())
        let getObject = try #require(Self.usage.actions.first { $0.action == "s3:GetObject" })
        let possible = finder.possibleCompanions(of: getObject, needed: ["kms:Decrypt"])
        #expect(possible.contains("s3:GetObjectVersion") && possible.contains("s3:GetObjectTagging"))
        #expect(!possible.contains("s3:GetObject") && !possible.contains("kms:Decrypt"))
        let hint = try #require(Self.usage.hints.first { $0.kind == .possibleCompanions })
        #expect(hint.actions.contains("s3:GetObjectVersion") && hint.because.contains("s3:GetObject"))
        // Needed companions are not "possible" any more.
        #expect(!hint.actions.contains("secretsmanager:GetSecretValue"))
    }

    @Test func companionsGoWithTheActionsThatNeedThemAndPassRoleIsScoped() throws {
        let set = draft()
        func place(_ action: String) -> String {
            guard let index = set.tierIndex(of: action) else { return "nowhere" }
            let assignment = set.tiers[index].actions.first { $0.action == action }!
            return "\(set.tiers[index].name) \(assignment.rule ?? "")"
        }
        // The session that read an SSE-KMS object: its tier decrypts too.
        #expect(place("s3:GetObject") == "Operator data-read")
        #expect(place("kms:Decrypt") == "Operator companion-of: s3:GetObject")
        #expect(place("secretsmanager:GetSecretValue") == "Operator companion-of: secretsmanager:BatchGetSecretValue")
        #expect(place("ec2:CreateTags") == "Admin companion-of: ec2:CreateVpc, ec2:RunInstances")
        // ecs:RunTask is Operator's; the Admin tier's callers need nothing AdministratorAccess lacks.
        #expect(place("iam:PassRole") == "Operator companion-of: ecs:RunTask")
        let passRole = try #require(set.tiers[1].actions.first { $0.action == "iam:PassRole" })
        #expect(
            passRole.scopes == [
                Assignment.Scope(
                    resources: ["arn:aws:iam::111122223333:role/migrate-task"], passedTo: ["ecs-tasks.amazonaws.com"])
            ])
        let document = try #require(PolicySynthesizer().policies(for: set)[1].documents.first)
        let statement = try #require(document.statements.first { $0.actions == ["iam:PassRole"] })
        #expect(statement.sid == "OperatorIamPassRole")
        #expect(statement.resources == ["arn:aws:iam::111122223333:role/migrate-task"])
        #expect(statement.conditions.map(\.key) == ["iam:PassedToService"])
        #expect(
            document.compactJSON.contains(
                #"{"Sid":"OperatorIamPassRole","Effect":"Allow","Action":["iam:PassRole"],"#
                    + #""Resource":["arn:aws:iam::111122223333:role/migrate-task"],"#
                    + #""Condition":{"StringEquals":{"iam:PassedToService":["ecs-tasks.amazonaws.com"]}}}"#))
        #expect(document.size == document.compactJSON.utf8.count)
    }

    @Test func aRoleThatGetsAnActionGetsItsCompanionsAndCheckSaysSo() throws {
        var set = draft()
        // Someone moves kms:Decrypt up to Admin by hand: Operator still reads SSE-KMS objects.
        let operatorTier = 1
        let decrypt = try #require(set.tiers[operatorTier].actions.firstIndex { $0.action == "kms:Decrypt" })
        set.tiers[2].actions.append(set.tiers[operatorTier].actions.remove(at: decrypt))
        let policies = PolicySynthesizer().policies(for: set)
        #expect(policies[operatorTier].addedCompanions.map(\.action) == ["kms:Decrypt"])
        #expect(
            policies[operatorTier].documents.contains { $0.statements.contains { $0.actions.contains("kms:Decrypt") } })
        let review = TierReview(catalog: bundledCatalog)
        let findings = review.check(set, policies: policies, warnings: [], usage: Self.usage).filter {
            $0.kind == .missingCompanion
        }
        #expect(
            findings.map(\.description) == [
                "[Operator] s3:GetObject needs kms:Decrypt, which this role does not get (it is in Admin): export adds it "
                    + "to Operator; place kms:Decrypt here, or add a note on s3:GetObject to accept the gap"
            ])
        // A note accepts the gap: nothing is added, nothing reported.
        let getObject = try #require(set.tiers[operatorTier].actions.firstIndex { $0.action == "s3:GetObject" })
        set.tiers[operatorTier].actions[getObject].note = "reports bucket is SSE-S3 only; security, 2026-12"
        let accepted = PolicySynthesizer().policies(for: set)
        #expect(accepted[operatorTier].addedCompanions.isEmpty)
        #expect(
            !review.check(set, policies: accepted, warnings: [], usage: Self.usage).contains {
                $0.kind == .missingCompanion
            })
    }

    @Test func theUsageFileCarriesCompanionsAndOnBehalfCounts() throws {
        let data = Self.usage.jsonData()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-companions-\(UUID()).json")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try Usage.load(file.path) == Self.usage)
    }

    @Test func scopesRoundTripThroughTheTiersFileAndAreChecked() throws {
        let set = draft()
        let text = TiersFile.text(of: set)
        #expect(
            text.contains(
                "- {action: iam:PassRole, rule: \"companion-of: ecs:RunTask\", scopes: [{resources: "
                    + "[arn:aws:iam::111122223333:role/migrate-task], passed-to: [ecs-tasks.amazonaws.com]}]}"))
        #expect(try TiersFile.parse(text, path: "t.yaml", catalog: bundledCatalog).tiers == set)
        let wrong = text.replacingOccurrences(
            of: "{action: ecs:RunTask, rule: task}",
            with: "{action: ecs:RunTask, rule: task, scopes: [{resources: [x], passed-to: [ecs.amazonaws.com]}]}")
        #expect(throws: TiersFile.LoadError.self) {
            try TiersFile.parse(wrong, path: "t.yaml", catalog: bundledCatalog)
        }
    }
}

/// The real SANS logs: S3 called KMS for their admin IAM user 1,132 times while it
/// read CloudTrail's SSE-KMS log files.
@Suite(.enabled(if: Repository.hasShared, "needs ../shared/data/cloudtrail"))
struct SharedCompanionTests {
    @Test func readingSSEKMSObjectsDraftsKmsDecryptBesideGetObject() throws {
        let sans = Repository.shared.appendingPathComponent("data/cloudtrail/sans-504-s3-ransomware-lab").path
        let selection = PrincipalSelection(users: [UserQuery("FalsimentisRoot")])
        let (totals, summary) = EventReader.read(paths: [sans], filter: EventFilter(selection: selection))
        let usage = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: selection))
        let decrypt = try #require(usage.actions.first { $0.action == "kms:Decrypt" })
        #expect(decrypt.count == 1_132 && decrypt.onBehalf == 1_132)
        #expect(
            usage.companions.map { "\($0.action) <- \($0.neededBy) \($0.calls)" } == [
                "kms:Decrypt <- s3:GetObject 1132"
            ])
        let set = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(from: usage, usagePath: nil)
        #expect(set.tierIndex(of: "s3:GetObject") == 1 && set.tierIndex(of: "kms:Decrypt") == 1)
    }
}

@Suite struct OperationActionsTableTests {
    let header = "format\tiamtiers.operation-actions/1\nsource\ttest\n\n"

    @Test func looksOperationsUpWhateverTheirCase() throws {
        let table = try OperationActions(
            text: header + "ECS:RunTask\tecs:RunTask,iam:PassRole\nS3:PutObject\ts3:PutObject,s3:PutObjectTagging\n\n")
        #expect(table.source == "test" && table.operationCount == 2)
        #expect(table.actions(prefix: "ecs", operation: "runtask") == ["ecs:RunTask", "iam:PassRole"])
        #expect(table.actions(prefix: "s3", operation: "PutObject") == ["s3:PutObject", "s3:PutObjectTagging"])
        #expect(table.actions(prefix: "s3", operation: "GetObject") == nil)
        // A key beyond ASCII is lower-cased as the lookup lower-cases it.
        let wide = try OperationActions(text: header + "SVC:ÉTAPE\tsvc:Étape\n")
        #expect(wide.actions(prefix: "svc", operation: "Étape") == ["svc:Étape"])
    }

    @Test func namesTheLineOfWhatItCannotRead() {
        #expect(throws: OperationActions.LoadError.malformed(line: 4, reason: "expected service:Operation<TAB>actions"))
        {
            try OperationActions(text: header + "no colon here\tx:Y\n")
        }
        #expect(
            throws: OperationActions.LoadError.malformed(line: 2, reason: "format is not iamtiers.operation-actions/1")
        ) {
            try OperationActions(text: "format\tother/1\n\n")
        }
        #expect(throws: OperationActions.LoadError.malformed(line: 1, reason: "header line without a value")) {
            try OperationActions(text: "format\n\n")
        }
    }
}
