import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// A usage in which every catalog action was called once by one person.
func wholeCatalogUsage() -> Usage {
    var usage = Usage(
        generator: "test", catalog: .init(date: bundledCatalog.info.date, version: bundledCatalog.info.version),
        provenance: .init(
            inputs: [], files: .init(read: 0, skipped: [:], unreadable: 0, bytes: 0),
            events: .init(
                read: 0, kept: 0, console: 0, denied: 0, onBehalf: 0, otherPrincipals: 0, outsideWindow: 0,
                otherAccounts: 0,
                serviceEvents: 0, dataEvents: 0, dataEventsOfAnyone: 0, noPermission: 0, unmapped: 0, malformed: 0),
            window: nil,
            filters: .init(
                selection: [], since: nil, until: nil, account: nil, includeConsole: false, includeDenied: false),
            shapes: [:], problems: []),
        principals: [], actions: [], people: [], unmapped: [], noPermission: [], signIns: [], companions: [],
        hints: [])
    usage.actions = bundledCatalog.allActions.map {
        Usage.ActionUsage(
            action: $0.fullName, accessLevel: $0.accessLevel, risk: $0.risk.flags.names, count: 1, denied: 0,
            console: 0, onBehalf: 0, firstSeen: nil, lastSeen: nil, people: ["someone"], sources: [])
    }
    return usage
}

func exampleUsage() throws -> Usage {
    let logs = Repository.root.appendingPathComponent("Examples/cloudtrail").path
    let (totals, summary) = EventReader.read(paths: [logs], filter: EventFilter())
    return try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "test")
        .build(totals, summary, AnalysisOptions(selection: .role("AdministratorAccess")))
}

@Suite struct SuggestionRuleTests {
    /// "rung/rule" for an action, e.g. "read/configuration-read".
    func rung(_ name: String) -> String {
        guard let action = bundledCatalog.action(named: name) else { return "unknown action \(name)" }
        let rule = SuggestionRules.rule(for: action)
        return "\(rule.rung)/\(rule.id)"
    }

    @Test func tiersFollowAccessLevelsAndRiskNotVerbs() throws {
        #expect(rung("ec2:DescribeInstances") == "read/configuration-read")
        #expect(rung("s3:ListAllMyBuckets") == "read/configuration-read")
        #expect(rung("s3:GetObject") == "operator/data-read")
        #expect(rung("ssm:GetParameter") == "operator/data-read")
        #expect(rung("secretsmanager:GetSecretValue") == "operator/credentials-exposure")
        #expect(rung("ecr:GetAuthorizationToken") == "operator/credentials-exposure")
        // A Get* that is Write level and hands out database credentials is not configuration read.
        #expect(rung("redshift:GetClusterCredentials") == "operator/credentials-exposure")
        #expect(rung("s3:PutObject") == "operator/data-write")
        #expect(rung("dynamodb:PutItem") == "operator/data-write")
        #expect(rung("sqs:SendMessage") == "operator/data-write")
        #expect(rung("lambda:InvokeFunction") == "operator/task")
        #expect(rung("iam:PassRole") == "admin/privilege-escalation")
        #expect(rung("iam:AttachRolePolicy") == "admin/privilege-escalation")
        #expect(rung("s3:PutBucketPolicy") == "admin/permissions-management")
        #expect(rung("s3:PutBucketTagging") == "admin/tagging")
        #expect(rung("ec2:RunInstances") == "admin/infrastructure-write")
        #expect(rung("s3:PutBucketObjectLockConfiguration") == "admin/infrastructure-write")
        // Reads by what they return, whatever iam-dataset says of their risk.
        #expect(rung("acm:ExportCertificate") == "operator/secret-read")
        #expect(rung("lambda:GetFunctionConfiguration") == "operator/secret-read")
        #expect(rung("bedrock:InvokeModel") == "operator/task-read")
        #expect(rung("kinesis:SubscribeToShard") == "operator/data-read")
        #expect(rung("quicksight:DescribeDataSetPermissions") == "operator/unassessed-read")
    }

    /// Every catalog action called once, drafted: the Read tier holds configuration reads only, and
    /// each unassessed read is an open item.
    @Test func theWholeCatalogDraftedKeepsEveryOtherReadOutOfRead() throws {
        let usage = wholeCatalogUsage()
        let set = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(from: usage, usagePath: nil)
        #expect(set.tiers[0].configurationReadOnly && !set.tiers[1].configurationReadOnly)
        let read = set.tiers[0].actions.compactMap { bundledCatalog.action(named: $0.action) }
        #expect(!read.isEmpty && read.allSatisfy(\.isConfigurationRead))
        #expect(read.count == bundledCatalog.allActions.count(where: \.isConfigurationRead))
        let unassessed = bundledCatalog.allActions.filter { $0.verdict == .unassessed }
        #expect(set.openItems.filter { $0.kind == .unassessedRead }.count == unassessed.count)
        let operatorTier = Set(set.tiers[1].actions.map(\.action))
        #expect(unassessed.allSatisfy { operatorTier.contains($0.fullName) })
        #expect(TierReview(catalog: bundledCatalog).configurationReadFindings(set.tiers[0]).isEmpty)
    }

    @Test func theDraftPlacesEveryUsedActionAndKeepsTheRestAsOpenItems() throws {
        let usage = try exampleUsage()
        let set = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(
            from: usage, usagePath: "usage.json")
        #expect(set.tiers.map(\.name) == ["Read", "Operator", "Admin"])
        #expect(set.tiers[2].isAdministrator && set.tiers[2].alertOnUse)
        let placed = set.tiers.flatMap { $0.actions.map(\.action) }
        // Every used action, and the companions they need (glue's batch calls need their per-item Get).
        #expect(
            Set(placed)
                == Set(usage.actions.filter { $0.count > 0 }.map(\.action) + usage.companions.map(\.action)))
        #expect(usage.companions.map(\.action) == ["glue:GetCustomEntityType", "glue:GetTrigger"])
        #expect(set.tiers.allSatisfy { $0.actions.allSatisfy { $0.rule != nil } })
        #expect(set.openItems.contains { $0.kind == .dataEvents })
        #expect(set.openItems.contains { $0.kind == .consoleOnly })
        let deniedOnly = usage.actions.filter { $0.count == 0 && $0.denied > 0 }.count
        #expect(set.openItems.filter { $0.kind == .deniedOnly && $0.action != nil }.count == deniedOnly)
    }
}

@Suite struct TiersFileTests {
    func draft() throws -> TierSet {
        var set = TierSuggester(catalog: bundledCatalog, generator: "test").suggest(
            from: try exampleUsage(), usagePath: "usage.json")
        set.tiers[0].actions[0].note = "asked by \"ops\": needed\tfor on-call"
        return set
    }

    @Test func savingTwiceGivesTheSameBytesAndLoadingGivesTheSameTiers() throws {
        let set = try draft()
        let text = TiersFile.text(of: set)
        let loaded = try TiersFile.parse(text, path: "tiers.yaml", catalog: bundledCatalog)
        #expect(loaded.tiers == set)
        #expect(loaded.warnings.isEmpty)
        #expect(TiersFile.text(of: loaded.tiers) == text)
    }

    @Test func openItemsKeepTheirKindTheirActionAndTheReasonTheyWereResolved() throws {
        var set = try draft()
        set.openItems = [
            .init(kind: .deniedOnly, action: "athena:ListDatabases", text: "refused", resolution: "nobody needs it"),
            .init(kind: .consoleOnly, text: "3 actions called by console page views"),
        ]
        let text = TiersFile.text(of: set)
        #expect(
            text.contains(
                "  - {kind: denied-only, action: athena:ListDatabases, text: refused, resolved: \"nobody needs it\"}\n"
                    + "  - {kind: console-only, text: \"3 actions called by console page views\"}\n"))
        let loaded = try TiersFile.parse(text, path: "t.yaml", catalog: bundledCatalog).tiers
        #expect(loaded.openItems == set.openItems && loaded.unresolvedItems.map(\.kind) == [.consoleOnly])
        let unknown = text.replacingOccurrences(of: "kind: console-only", with: "kind: hunch")
        #expect {
            try TiersFile.parse(unknown, path: "t.yaml", catalog: bundledCatalog)
        } throws: { error in
            "\(error)".contains("unknown kind 'hunch' of an open item (known: not-in-catalog, denied-only,")
        }
    }

    @Test func compressedServicesAreSavedSortedAndLoadedLowerCase() throws {
        var set = try draft()
        set.compressedServices = ["ssm", "glue"]
        let text = TiersFile.text(of: set)
        #expect(text.contains("\ncompress: [glue, ssm]\ntiers:\n"))
        #expect(try TiersFile.parse(text, path: "tiers.yaml", catalog: bundledCatalog).tiers == set)
        let shouted = text.replacingOccurrences(of: "compress: [glue, ssm]", with: "compress: [Glue, SSM]")
        #expect(try TiersFile.parse(shouted, path: "tiers.yaml", catalog: bundledCatalog).tiers == set)
        #expect(!TiersFile.text(of: try draft()).contains("compress:"))  // absent when nothing is compressed
    }

    @Test func actionsAreOneALineSortedWithNotesBeside() throws {
        let set = try draft()
        let text = TiersFile.text(of: set)
        let actionLines = text.split(separator: "\n").filter { $0.hasPrefix("      - ") }
        #expect(actionLines.count == set.tiers.reduce(0) { $0 + $1.actions.count })
        #expect(text.contains(#"note: "asked by \"ops\": needed\tfor on-call""#))
    }

    func parse(_ text: String) throws -> TiersFile.Loaded {
        try TiersFile.parse(text, path: "t.yaml", catalog: bundledCatalog)
    }

    let header = "format: iamtiers.tiers/1\nsource: {catalog: '2026-08-21', generator: test}\ntiers:\n"

    /// YAML's null written plainly is no note: it must not read as a note accepting a risk.
    @Test func aNullNoteIsNoNote() throws {
        let loaded = try parse(
            header
                + "  - name: Read\n    actions:\n      - {action: s3:GetObject, note: ~}\n"
                + "      - {action: s3:PutObject, note: null}\n      - {action: s3:ListBucket, note: \"~\"}\n")
        let notes = Dictionary(uniqueKeysWithValues: loaded.tiers.tiers[0].actions.map { ($0.action, $0.note) })
        #expect(notes == ["s3:GetObject": nil, "s3:PutObject": nil, "s3:ListBucket": "~"])
    }

    @Test func aRepeatedFieldNamesItsLineWithoutQuotingTheFile() {
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 5, message: "not valid YAML: a field appears twice in the same place: inherits")
        ) {
            try parse(header + "  - name: Read\n    inherits: true\n    inherits: false\n")
        }
    }

    @Test func errorsNameTheLine() {
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 1,
                message: "format 'iamtiers.tiers/9' is not supported (this iamtiers reads iamtiers.tiers/1)")
        ) {
            try parse("format: iamtiers.tiers/9\ntiers: []\n")
        }
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 6,
                message:
                    "unknown action 's3:ListBuckets' (IAM catalog of 2026-08-21); did you mean s3:ListBucket, s3:ListAllMyBuckets, s3:ListBucketVersions?"
            )
        ) {
            try parse(header + "  - name: Read\n    actions:\n      - s3:ListBuckets\n")
        }
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 9,
                message:
                    "s3:ListAllMyBuckets is already assigned to tier 'Read' (line 6); an action belongs to one tier")
        ) {
            try parse(
                header
                    + "  - name: Read\n    actions:\n      - s3:listallmybuckets\n  - name: Admin\n    actions:\n      - {action: S3:ListAllMyBuckets}\n"
            )
        }
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 5, message: "container 'box' is not one of managed, inline, identity-center")
        ) {
            try parse(header + "  - name: Read\n    container: box\n")
        }
        #expect(throws: TiersFile.LoadError(path: "t.yaml", line: 5, message: "unknown field 'actoins' in tier 'Read'"))
        {
            try parse(header + "  - name: Read\n    actoins: []\n")
        }
        #expect(throws: TiersFile.LoadError.self) { try parse("tiers: [unclosed\n") }
        #expect(
            throws: TiersFile.LoadError(
                path: "t.yaml", line: 3, message: "no tiers: the ladder needs at least one tier")
        ) {
            try parse(header.replacingOccurrences(of: "tiers:\n", with: "tiers: []\n"))
        }
    }

    @Test func sessionsLongerThanTwelveHoursAreClampedWithTheReason() throws {
        let loaded = try parse(header + "  - name: Read\n    max-session-hours: 24\n")
        #expect(loaded.tiers.tiers[0].maxSessionHours == 12)
        #expect(
            loaded.warnings == [
                "t.yaml:5: tier 'Read' asks for 24 h sessions; IAM roles allow at most 12 h (MaxSessionDuration 43,200 s), so 12 h is used"
            ])
        #expect(throws: TiersFile.LoadError.self) {
            try parse(self.header + "  - name: Read\n    max-session-hours: 0\n")
        }
    }
}

@Suite struct PolicySynthesisTests {
    func randomTier(_ count: Int, seed: UInt64) -> [Assignment] {
        var generator = SeededGenerator(seed: seed)
        let all = bundledCatalog.allActions
        var chosen = Set<Int>()
        while chosen.count < count { chosen.insert(Int.random(in: 0..<all.count, using: &generator)) }
        return chosen.map { Assignment(action: all[$0].fullName) }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func exportedDocumentsGrantExactlyTheTiersActions(seed: UInt64) throws {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].actions = randomTier(400, seed: seed)
        set.tiers[1].actions = randomTier(50, seed: seed + 100).filter { set.tier(of: $0.action) == nil }
        set.tiers[1].inherits = seed % 2 == 0
        let policies = PolicySynthesizer().policies(for: set)
        for (index, policy) in policies.enumerated() where !set.tiers[index].isAdministrator {
            var granted = Set<String>()
            for document in policy.documents {
                let json = document.prettyJSON
                #expect(json.allSatisfy { $0.isASCII })
                #expect(document.size == iamPolicyCharacters(json))  // arithmetic against a scan of the text
                #expect(document.size == document.compactJSON.utf8.count)
                #expect(document.size <= AWSLimits.managedPolicySize)
                let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
                for statement in parsed?["Statement"] as? [[String: Any]] ?? [] {
                    for action in statement["Action"] as? [String] ?? [] {
                        for expanded in bundledCatalog.expand(try ActionPattern(action)) {
                            granted.insert(expanded.fullName)
                        }
                    }
                }
            }
            let own =
                set.tiers[index].inherits || index == 0
                ? set.tiers[index].actions : set.grantedActions(of: index)
            #expect(granted == Set(own.map(\.action)), "tier \(index) seed \(seed)")
        }
    }

    @Test func twoThousandActionsArePackedIntoDocumentsWithinTheLimit() {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].actions = randomTier(2_000, seed: 42)
        let read = PolicySynthesizer(managedPolicyQuota: 20).policies(for: set)[0]
        #expect(read.documents.allSatisfy { $0.size <= AWSLimits.managedPolicySize })
        #expect(read.documents.count >= read.meter.used / AWSLimits.managedPolicySize)
        #expect(
            Set(read.documents.flatMap { $0.statements.flatMap(\.actions) }) == Set(set.tiers[0].actions.map(\.action)))
        #expect(read.meter.fits)
        let tight = PolicySynthesizer(managedPolicyQuota: 3).policies(for: set)[0]
        #expect(!tight.meter.fits)
        #expect(tight.meter.problems.first?.hasPrefix("needs \(read.documents.count) managed policies") == true)
    }

    @Test func aStatementTooLargeForOneDocumentIsCutIntoNumberedParts() {
        let actions = (0..<800).map { "ec2:DescribeSomethingQuiteLongNumber\($0)" }
        let documents = PolicySynthesizer.pack(
            [PolicyStatement(sid: "ReadEc2", actions: actions)], limit: AWSLimits.managedPolicySize)
        let sids = documents.flatMap { $0.statements.map(\.sid) }
        #expect(sids.count > 2 && sids.first == "ReadEc2")
        #expect(sids.dropFirst().allSatisfy { $0.hasPrefix("ReadEc2Part") }, "\(sids)")
        #expect(documents.flatMap { $0.statements.flatMap(\.actions) }.sorted() == actions.sorted())
    }

    @Test func inheritedManagedPoliciesCountAgainstTheQuota() {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].actions = randomTier(600, seed: 7)
        let policies = PolicySynthesizer().policies(for: set)
        #expect(policies[1].meter.documentLimit == 10 - policies[0].documents.count)
        #expect(policies[2].documents.isEmpty)  // AdministratorAccess needs no policy of its own
    }

    @Test func theDenyListBecomesADenyStatement() throws {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].actions = [Assignment(action: "s3:ListBucket")]
        set.tiers[0].deny = ["s3:GetObject*"]
        let document = try #require(PolicySynthesizer().policies(for: set)[0].documents.first)
        #expect(
            document.compactJSON.contains(
                #"{"Sid":"ReadDeny","Effect":"Deny","Action":["s3:GetObject*"],"Resource":"*"}"#))
        #expect(document.size == document.compactJSON.utf8.count)
        #expect(document.size == iamPolicyCharacters(document.prettyJSON))
    }

    @Test func inlineTiersAreLimitedInAggregate() {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].container = .inline
        set.tiers[0].actions = randomTier(600, seed: 9)
        let meter = PolicySynthesizer().policies(for: set)[0].meter
        #expect(meter.capacity == 10_240)
        #expect(!meter.fits && meter.problems[0].contains("a role allows 10,240 in all"))
    }
}

/// A small deterministic generator (SplitMix64) for property tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct TierReviewTests {
    func ladder(read: [String], operator operatorActions: [String] = [], admin: [String] = []) -> TierSet {
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        set.tiers[0].actions = read.map { Assignment(action: $0) }
        set.tiers[1].actions = operatorActions.map { Assignment(action: $0) }
        set.tiers[2].actions = admin.map { Assignment(action: $0) }
        return set
    }

    @Test func riskyActionsBelowAdminNeedANote() {
        var set = ladder(
            read: ["ec2:DescribeInstances"], operator: ["s3:GetObject", "iam:PassRole", "lambda:CreateFunction"])
        let review = TierReview(catalog: bundledCatalog)
        let findings = review.riskFindings(set)
        #expect(findings.map { $0.action ?? "" } == ["iam:PassRole", "s3:GetObject", "lambda:CreateFunction"])
        #expect(findings[0].message.contains("iam:PassedToService"))
        #expect(findings[2].message.contains("privilege escalation"))
        set.tiers[1].actions[0].note = "data team reads exports; accepted by security 2026-11"
        #expect(!review.riskFindings(set).contains { $0.action == "s3:GetObject" })
    }

    @Test func usedActionsMustBeGrantedBelowAdmin() throws {
        let usage = try exampleUsage()
        let used = usage.actions.filter { $0.count > 0 }.map(\.action)
        let review = TierReview(catalog: bundledCatalog)
        let empty = ladder(read: [])
        let unassigned = review.check(
            empty, policies: PolicySynthesizer().policies(for: empty), warnings: [], usage: usage)
        #expect(unassigned.filter { $0.kind == .unassignedUsage }.count == used.count)

        let all = ladder(read: [], admin: used)
        let adminOnly = review.check(all, policies: PolicySynthesizer().policies(for: all), warnings: [], usage: usage)
        #expect(adminOnly.filter { $0.kind == .adminOnlyUsage }.count == used.count)
    }

    @Test func aConfigurationReadTierObjectsToEverythingElseUnlessANoteAcceptsIt() throws {
        var set = ladder(
            read: [
                "acm:ExportCertificate", "bedrock:InvokeModel", "ec2:DescribeInstances", "ec2:RunInstances",
                "quicksight:DescribeDataSetPermissions", "s3:GetObject", "s3:PutBucketPolicy",
            ])
        set.tiers[0].patterns = ["ec2:DescribeInstance*", "iam:List*"]
        let review = TierReview(catalog: bundledCatalog)
        let findings = review.riskFindings(set).filter { $0.kind == .notConfigurationRead }
        #expect(
            findings.map { "\($0.action!): \($0.message.prefix { $0 != ";" })" } == [
                "acm:ExportCertificate: is a read that returns secrets or credentials",
                "bedrock:InvokeModel: is a read that runs a task",
                "ec2:RunInstances: is a Write action",
                "quicksight:DescribeDataSetPermissions: is a read nobody has assessed",
                "s3:GetObject: is a data read",
                "s3:PutBucketPolicy: is permissions management",
                "ec2:DescribeInstance*: grants 1 action that is not a configuration read (ec2:DescribeInstanceAttribute)",
            ])
        set.tiers[0].actions[0].note = "the platform team exports certificates daily; accepted 2026-12"
        #expect(!review.riskFindings(set).contains { $0.action == "acm:ExportCertificate" })
        set.tiers[0].configurationReadOnly = false
        #expect(!review.riskFindings(set).contains { $0.kind == .notConfigurationRead })
    }

    @Test func safeTiersHaveNoFindings() {
        let set = ladder(read: ["ec2:DescribeInstances", "s3:ListAllMyBuckets"])
        let review = TierReview(catalog: bundledCatalog)
        #expect(review.check(set, policies: PolicySynthesizer().policies(for: set), warnings: [], usage: nil).isEmpty)
    }
}

@Suite struct CompressionTests {
    let compressor = Compressor(catalog: bundledCatalog)

    @Test func prefixesEndAtCamelCaseWords() {
        #expect(Compressor.wordPrefixes("DescribeInstanceStatus") == ["Describe", "DescribeInstance"])
        #expect(Compressor.wordPrefixes("ListDBInstances") == ["List", "ListDB"])
        #expect(Compressor.wordPrefixes("Get") == [])
    }

    @Test func aPatternIsUsedOnlyWhenEverythingItMatchesIsGranted() throws {
        let describe = bundledCatalog.expand(try ActionPattern("ec2:Describe*")).map(\.fullName)
        let all = compressor.compress(describe, granted: Set(describe.map { $0.lowercased() }))
        #expect(all.patterns.map(\.pattern) == ["ec2:Describe*"])
        #expect(all.actions.isEmpty)
        #expect(all.patterns[0].matches.count == describe.count && all.patterns[0].replaces == describe.count)

        // One Describe action belongs to a higher tier: ec2:Describe* would grant it, so it is not used.
        let withheld = "ec2:DescribeInstances"
        let lower = describe.filter { $0 != withheld }
        let safe = compressor.compress(lower, granted: Set(lower.map { $0.lowercased() }))
        #expect(!safe.patterns.contains { $0.pattern == "ec2:Describe*" })
        for pattern in safe.patterns {
            #expect(bundledCatalog.expand(try ActionPattern(pattern.pattern)).allSatisfy { $0.fullName != withheld })
        }
    }

    @Test(arguments: [Compressor.Style.readable, .smallest], [11 as UInt64, 12, 13])
    func compressedTiersGrantExactlyWhatTheRolesHave(style: Compressor.Style, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        // Dense sets, so that wildcards are possible: most of a few services.
        let services = ["ec2", "s3", "iam", "cloudwatch", "lambda"]
        var set = TierSet.defaultLadder(source: .init(usage: nil, catalogDate: "d", generator: "t"))
        for service in services {
            for action in bundledCatalog.actions(inService: service) {
                let roll = Int.random(in: 0..<10, using: &generator)
                if roll < 6 {
                    set.tiers[0].actions.append(Assignment(action: action.fullName))
                } else if roll < 8 {
                    set.tiers[1].actions.append(Assignment(action: action.fullName))
                } else if roll < 9 {
                    set.tiers[2].actions.append(Assignment(action: action.fullName))
                }
            }
        }
        let policies = PolicySynthesizer(
            managedPolicyQuota: 20, compression: .all, style: style, catalog: bundledCatalog
        ).policies(for: set)
        func expanded(_ policy: TierPolicies) throws -> Set<String> {
            var granted = Set<String>()
            for document in policy.documents {
                for statement in document.statements {
                    for entry in statement.actions {
                        for action in bundledCatalog.expand(try ActionPattern(entry)) {
                            granted.insert(action.fullName)
                        }
                    }
                }
            }
            return granted
        }
        let read = try expanded(policies[0])
        let operatorRole = read.union(try expanded(policies[1]))  // Operator inherits Read's policies
        #expect(read == Set(set.tiers[0].actions.map(\.action)))
        #expect(operatorRole == Set(set.grantedActions(of: 1).map(\.action)))
        #expect(policies[0].meter.used < PolicySynthesizer(managedPolicyQuota: 20).policies(for: set)[0].meter.used)
    }
}

/// What replaces an IAM Identity Center permission set's role is permission sets; any other role's
/// replacement is roles with managed policies.
@Suite struct DraftContainerTests {
    @Test func aPermissionSetsRoleIsReplacedByPermissionSets() throws {
        let usage = try exampleUsage()
        #expect(usage.principals.map(\.arn).allSatisfy { $0.contains("AWSReservedSSO_AdministratorAccess_") })
        let draft = TierSuggester(catalog: bundledCatalog, generator: "t").suggest(from: usage, usagePath: nil)
        #expect(draft.tiers.allSatisfy { $0.container == .identityCenter })
        var saml = usage
        saml.principals[0].arn = "arn:aws:iam::227403448444:role/Admin"
        let roles = TierSuggester(catalog: bundledCatalog, generator: "t").suggest(from: saml, usagePath: nil)
        #expect(roles.tiers.allSatisfy { $0.container == .managed })
    }

    @Test(arguments: [
        (
            "arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70",
            "AdministratorAccess"
        ),
        ("arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Read_Ops_0a1b", "Read_Ops"),
        ("arn:aws:iam::1:role/AWSReservedSSO_NoHash_", nil), ("arn:aws:iam::1:role/Admin", nil),
        ("arn:aws:iam::1:user/AWSReservedSSO_X_1f", nil),
    ])
    func thePermissionSetOfARole(arn: String, set: String?) {
        #expect(RoleQuery.permissionSet(ofRoleArn: arn) == set)
    }
}

/// One rule for the names exports write (Sids, logical IDs, Terraform identifiers), followed by
/// the tiers file and the editor's rename.
@Suite struct ExportNameTests {
    @Test func namesAreFoldedIntoASCIIWords() {
        #expect(ExportName.pascal("s3-object-lambda") == "S3ObjectLambda")
        #expect(ExportName.pascal("Café") == "Cafe" && ExportName.snake("Café") == "cafe")
        #expect(ExportName.snake("Ops Team") == "ops_team" && ExportName.snake("2nd") == "t_2nd")
        #expect(ExportName.collide("Café", "cafe") && ExportName.collide("r-EAD", "Read"))
        #expect(!ExportName.collide("Café", "Caf_") && !ExportName.isWritable("—"))
        // Plain ASCII takes a path of its own: the same words as the general one.
        for (name, expected) in [
            ("ops team 2", "OpsTeam2"), ("--x--", "X"), ("", ""), ("read-ONLY_v2", "ReadONLYV2"), ("a@[`{z", "AZ"),
        ] {
            #expect(ExportName.pascal(name) == expected, "\(name)")
            #expect(ExportName.pascal(name + " é") == expected + "E", "\(name) é")
        }
    }

    @Test func aTiersFileWhoseNamesExportAlikeIsRefused() throws {
        let text = """
            format: iamtiers.tiers/1
            tiers:
              - {name: Café, role: a}
              - {name: "CAFE!", role: b}

            """
        #expect {
            try TiersFile.parse(text, path: "t.yaml", catalog: bundledCatalog)
        } throws: { error in
            "\(error)".contains("tiers 'Café' and 'CAFE!' would have the same name in exports (cafe)")
        }
    }
}

/// Which tier a suggestion rule's rung means, on any ladder: one rule for suggest, the editor's
/// `a` and the access-denied follow-up.
@Suite struct RungTests {
    func ladder(_ names: String...) -> TierSet {
        TierSet(
            source: .init(usage: nil, catalogDate: "d", generator: "t"),
            tiers: names.map {
                Tier(
                    name: $0, roleName: $0.lowercased(),
                    attachedPolicies: $0 == "Admin" ? [Tier.administratorAccess] : [])
            })
    }

    @Test func eachRungMeansATierOfTheLadder() {
        let rungs: [SuggestionRule.Rung] = [.read, .operator, .admin]
        #expect(rungs.map { ladder("Read", "Operator", "Admin").tier(forRung: $0) } == [0, 1, 2])
        #expect(rungs.map { ladder("Read", "Admin").tier(forRung: $0) } == [0, 0, 1])
        #expect(rungs.map { ladder("Read", "Ops", "Extra", "Admin").tier(forRung: $0) } == [0, 1, 3])
        #expect(rungs.map { ladder("Admin").tier(forRung: $0) } == [0, 0, 0])
        #expect(rungs.map { ladder("Read", "Ops").tier(forRung: $0) } == [0, 1, nil])
    }
}

/// Placing an action keeps a tier's actions sorted (ignoring case), as saving writes them.
@Suite struct PlacingTests {
    @Test func insertingKeepsTheOrderAndPlacementFindsIt() {
        var tier = Tier(name: "Read", roleName: "read")
        for action in [
            "s3:ListBuckets", "ec2:DescribeInstances", "EC2:AssociateAddress", "iam:GetRole", "acm:ListCertificates",
        ] {
            tier.insert(Assignment(action: action))
        }
        let names = tier.actions.map(\.action)
        #expect(names == names.sorted { $0.lowercased() < $1.lowercased() })
        let set = TierSet(source: .init(usage: nil, catalogDate: "d", generator: "t"), tiers: [tier])
        #expect(set.placement(of: "iam:getrole")?.assignment.action == "iam:GetRole")
        #expect(set.placement(of: "iam:ListRoles") == nil)
    }
}

@Suite struct CaseInsensitiveOrderTests {
    @Test func ordersAsTheLowerCasedBytesWouldWithoutMakingThem() {
        let names = [
            "ec2:DescribeInstances", "EC2:describeinstances", "ec2:DescribeInstance", "ec2:Describe", "ec2messages:Get",
            "ec2:describeImages", "s3:GetObject", "s3:getobject", "S3:Get", "", "a", "A", "[", "_", "`", "{", "Z",
        ]
        for left in names {
            for right in names {
                let expected = Array(left.lowercased().utf8).lexicographicallyPrecedes(Array(right.lowercased().utf8))
                #expect(caseInsensitiveLess(left, right) == expected, "\(left) < \(right)")
            }
        }
    }
}
