import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Writes `files` (name -> content) into a fresh folder and reads it.
func readInput(_ files: [String: [UInt8]], filter: EventFilter = EventFilter()) throws -> (EventTotals, InputSummary) {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, content) in files {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content).write(to: url)
    }
    let (totals, summary) = EventReader.read(paths: [directory.path], filter: filter)
    // Problems name the files relative to the folder, so tests can compare them.
    var relative = summary
    relative.problems = summary.problems.map {
        var problem = $0
        problem.path = String(problem.path.dropFirst(directory.path.count + 1))
        return problem
    }
    return (totals, relative)
}

func event(
    _ source: String, _ name: String, role: String = "Admin", session: String = "alice@corp.example",
    time: String = "2026-10-01T08:00:00Z", extra: String = ""
) -> String {
    """
    {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAX:\(session)",\
    "arn":"arn:aws:sts::111122223333:assumed-role/\(role)/\(session)","accountId":"111122223333",\
    "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/\(role)",\
    "userName":"\(role)"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"\(time)",\
    "eventSource":"\(source)","eventName":"\(name)","awsRegion":"us-east-1","requestParameters":{"a":[1,{"b":"}"}]},\
    "responseElements":null,"recipientAccountId":"111122223333"\(extra)}
    """
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func gzipped(_ text: String) throws -> [UInt8] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("data")
    try Data(text.utf8).write(to: file)
    return [UInt8](try run("/bin/gzip", ["-c", "-n", file.path]).stdoutData)
}

/// A zip archive (deflated members) as Python writes it.
func zip(_ files: [String: [UInt8]]) throws -> [UInt8] {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, content) in files { try Data(content).write(to: directory.appendingPathComponent(name)) }
    let output = directory.appendingPathComponent("out.zip.bin").path
    let script =
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n"
        + "for name in sys.argv[3:]: z.write(sys.argv[2] + '/' + name, name)\nz.close()"
    let result = try run("/usr/bin/env", ["python3", "-c", script, output, directory.path] + files.keys.sorted())
    #expect(result.status == 0, "\(result.stderr)")
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
}

func pairCounts(_ totals: EventTotals) -> [String: Int] {
    totals.calls.reduce(into: [:]) { $0["\($1.key.eventSource) \($1.key.eventName)", default: 0] += $1.value.count }
}

@Suite struct IngestShapeTests {
    @Test func s3DeliveryFilesPlainAndGzipped() throws {
        let records =
            "{\"Records\":[\(event("s3.amazonaws.com", "ListBuckets")),\(event("ec2.amazonaws.com", "DescribeVpcs"))]}"
        let (totals, summary) = try readInput([
            "AWSLogs/1/CloudTrail/us-east-1/2026/10/01/a.json.gz": try gzipped(records),
            "AWSLogs/1/CloudTrail/us-east-1/2026/10/01/b.json": bytes(records),
            "AWSLogs/1/CloudTrail-Digest/us-east-1/2026/10/01/d.json.gz": try gzipped("{\"awsAccountId\":\"1\"}"),
        ])
        #expect(totals.eventsRead == 4)
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 2, "ec2.amazonaws.com DescribeVpcs": 2])
        #expect(summary.filesRead == 2)
        #expect(summary.filesSkipped == ["CloudTrail digest file": 1])
        #expect(summary.shapes == [InputShape.s3Delivery.rawValue: 2])
        let call = try #require(totals.calls.keys.first)
        #expect(call.principalKind == .role && call.principal == "arn:aws:iam::111122223333:role/Admin")
        #expect(call.session == "alice@corp.example")
    }

    @Test func lookupEventsCarryTheEventAsAString() throws {
        let inner = event("iam.amazonaws.com", "ListRoles").replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        let lookup = "{\"Events\":[{\"EventId\":\"1\",\"EventName\":\"ListRoles\",\"CloudTrailEvent\":\"\(inner)\"}]}"
        let (totals, summary) = try readInput(["lookup.json": bytes(lookup)])
        #expect(pairCounts(totals) == ["iam.amazonaws.com ListRoles": 1])
        #expect(totals.calls.keys.first?.session == "alice@corp.example")
        #expect(summary.shapes[InputShape.lookupEvents.rawValue] == 1)
    }

    @Test func eventBridgeEnvelopesNDJSONAndArrays() throws {
        let envelope =
            "{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.s3\","
            + "\"resources\":[],\"detail\":\(event("s3.amazonaws.com", "PutObject"))}"
        let ndjson = event("sqs.amazonaws.com", "ListQueues") + "\n" + event("sqs.amazonaws.com", "ListQueues") + "\n"
        let (totals, summary) = try readInput([
            "bridge.json": bytes("[\(envelope),\(envelope)]"), "lines.jsonl": bytes(ndjson),
        ])
        #expect(pairCounts(totals) == ["s3.amazonaws.com PutObject": 2, "sqs.amazonaws.com ListQueues": 2])
        #expect(summary.shapes[InputShape.eventBridge.rawValue] == 1)
        #expect(summary.shapes[InputShape.ndjson.rawValue] == 1)
    }

    @Test func cloudTrailLakeRows() throws {
        let lake = """
            {"QueryStatus":"FINISHED","QueryResultRows":[[{"eventName":"ListBuckets"},{"eventSource":"s3.amazonaws.com"},
            {"eventTime":"2023-01-22 20:25:01.000"}],[{"eventName":"GetObject"},{"eventSource":"s3.amazonaws.com"}]]}
            """
        let (totals, _) = try readInput(["lake.json": bytes(lake)])
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1, "s3.amazonaws.com GetObject": 1])
        let listed = try #require(totals.calls.first { $0.key.eventName == "ListBuckets" })
        #expect(listed.value.first?.description == "2023-01-22T20:25:01Z")
        #expect(listed.key.principalKind == .unknown)
    }

    @Test func realFixturesFromStratusAndOTRF() throws {
        let fixtures = Repository.fixtures.appendingPathComponent("cloudtrail")
        let (totals, summary) = EventReader.read(paths: [fixtures.path], filter: EventFilter())
        #expect(totals.eventsRead == 6)
        #expect(summary.filesSkipped == ["not CloudTrail JSON or an Athena CSV": 1])  // PROVENANCE.md
        #expect(summary.problems.isEmpty)
        let stratus = totals.calls.keys.filter { $0.eventSource == "iam.amazonaws.com" }
        #expect(Set(stratus.map(\.eventName)) == ["CreateUser", "AttachUserPolicy", "CreateAccessKey"])
        #expect(stratus.allSatisfy { $0.principalKind == .user && $0.principal.hasSuffix(":user/christophe") })
        // The Logstash export has no eventTime, only @timestamp, and console user agents.
        let otrf = totals.calls.filter { $0.key.eventSource != "iam.amazonaws.com" }
        #expect(otrf.values.allSatisfy { $0.first != nil })
        #expect(otrf.keys.contains { $0.console })
    }
}

@Suite struct AthenaCSVTests {
    @Test func rollupRowsCountAsManyCalls() throws {
        let csv = """
            "role_arn","session_name","eventsource","eventname","errorcode","console","calls","first_seen","last_seen"
            "arn:aws:iam::1:role/Admin","alice","s3.amazonaws.com","ListBuckets","","false","40","2026-10-01 08:00:00.000","2026-10-09 17:00:00.000"
            "arn:aws:iam::1:role/Admin","bob","ec2.amazonaws.com","DescribeInstances","AccessDenied","false","3","2026-10-02 08:00:00.000","2026-10-02 08:00:00.000"
            "arn:aws:iam::1:role/Admin","bob","ec2.amazonaws.com","DescribeInstances","","true","7","2026-10-02 08:00:00.000","2026-10-03 08:00:00.000"

            """
        let (totals, summary) = try readInput(["rollup.csv": bytes(csv)])
        #expect(summary.shapes[InputShape.athenaCSV.rawValue] == 1)
        #expect(totals.eventsRead == 50)
        let list = try #require(totals.calls.first { $0.key.eventName == "ListBuckets" })
        #expect(list.value.count == 40 && list.key.session == "alice")
        #expect(list.value.first?.description == "2026-10-01T08:00:00Z")
        #expect(list.value.last?.description == "2026-10-09T17:00:00Z")
        #expect(totals.calls.keys.contains { $0.eventName == "DescribeInstances" && $0.denied && !$0.console })
        #expect(totals.calls.keys.contains { $0.eventName == "DescribeInstances" && $0.console && !$0.denied })
    }

    @Test func theMinimalRollupHasNoRoleColumn() throws {
        let (totals, _) = try readInput([
            "r.csv": bytes("eventsource,eventname,_col2\ns3.amazonaws.com,ListBuckets,5\n")
        ])
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 5])
        let usage = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "t")
            .build(totals, InputSummary(), AnalysisOptions())
        #expect(usage.actions.map(\.action) == ["s3:ListAllMyBuckets"])
        #expect(usage.actions.first?.count == 5)
    }

    @Test func badRowsAreReportedWithTheirLine() throws {
        let (totals, summary) = try readInput([
            "r.csv": bytes(
                "eventsource,eventname,calls\ns3.amazonaws.com,ListBuckets,many\niam.amazonaws.com,ListRoles,2\n")
        ])
        #expect(pairCounts(totals) == ["iam.amazonaws.com ListRoles": 2])
        #expect(
            summary.problems == [
                InputProblem(path: "r.csv", record: 1, message: "count 'many' is not a whole number of calls")
            ])
    }

    @Test func quotedFieldsFollowRFC4180EvenSplitAcrossChunks() throws {
        let text = Array("a,\"b,\"\"c\"\"\",\"multi\nline\"\n1,2,3".utf8)
        for chunkSize in [1, 2, 3, text.count] {
            var reader = CSVRowReader(maximumRowBytes: 1 << 20)
            var rows: [CSVRowReader.Row] = []
            for start in stride(from: 0, to: text.count, by: chunkSize) {
                let piece = Array(text[start..<min(text.count, start + chunkSize)])
                piece.withUnsafeBufferPointer { reader.feed($0) { rows.append($0) } }
            }
            reader.finish { rows.append($0) }
            #expect(
                rows.map(\.fields) == [["a", "b,\"c\"", "multi\nline"], ["1", "2", "3"]], "chunks of \(chunkSize)")
            #expect(rows.map(\.line) == [1, 3])
        }
    }
}

@Suite struct BadInputTests {
    @Test func aTruncatedGzipIsReportedAndTheRestIsRead() throws {
        let good = "{\"Records\":[\(event("s3.amazonaws.com", "ListBuckets"))]}"
        let broken = try gzipped(
            String(repeating: "{\"Records\":[\(event("s3.amazonaws.com", "GetObject"))]}", count: 50))
        let (totals, summary) = try readInput([
            "good.json": bytes(good), "broken.json.gz": Array(broken.prefix(broken.count / 2)),
        ])
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1])
        #expect(summary.problems == [InputProblem(path: "broken.json.gz", message: "not valid gzip data (truncated)")])
        #expect(summary.filesUnreadable == 1 && summary.filesRead == 1)
    }

    @Test func invalidJSONKeepsTheEventsBeforeItAndNamesTheRecord() throws {
        let text =
            "{\"Records\":[\(event("s3.amazonaws.com", "ListBuckets")),\(event("s3.amazonaws.com", "GetObject")),{\"eventName\": tru}]}"
        let (totals, summary) = try readInput(["bad.json": bytes(text)])
        #expect(totals.eventsRead == 2)
        let problem = try #require(summary.problems.first)
        #expect(problem.record == 2)
        #expect(problem.message.hasPrefix("unexpected character at byte"))
        #expect(problem.message.hasSuffix("2 events before it were read"))
        #expect(summary.malformedRecords == 1)
    }

    @Test func junkAndEmptyFilesAreSkippedWithACount() throws {
        let (totals, summary) = try readInput([
            "junk.json": [0x00, 0xFF, 0x13, 0x37] + Array(repeating: 0x42, count: 100), "empty.json": [],
            "notes.txt": bytes("just some notes"), "other.json": bytes("{\"name\":\"not cloudtrail\"}"),
        ])
        #expect(totals.eventsRead == 0)
        #expect(summary.filesSkipped["binary, not CloudTrail"] == 1)
        #expect(summary.filesSkipped["empty"] == 1)
        #expect(summary.filesSkipped["not CloudTrail JSON or an Athena CSV"] == 1)
        #expect(summary.filesSkipped["JSON without CloudTrail events"] == 1)
        #expect(summary.problems.map(\.path) == ["junk.json"])
    }

    @Test func fieldsOfTheWrongTypeAreNamedWithTheirRecord() throws {
        let deep = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let text =
            "[\(event("s3.amazonaws.com", "ListBuckets", extra: ",\"requestParameters\":\(deep)")),"
            + "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":42},"
            + "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"userIdentity\":\"root\"}]"
        let (totals, summary) = try readInput(["a.json": bytes(text)])
        #expect(totals.eventsRead == 3)
        #expect(
            summary.problems.map {
                "\($0.record ?? -1): \($0.message.replacingOccurrences(of: #"byte \d+"#, with: "byte N", options: .regularExpression))"
            } == [
                "1: eventName is a number at byte N, not a string: read as missing",
                "2: userIdentity is a string at byte N, not an object: read as missing",
            ])
    }

    @Test func recordsWithoutEventNamesAreCountedAsIncomplete() throws {
        let text = "[{\"eventSource\":\"s3.amazonaws.com\"},\(event("s3.amazonaws.com", "ListBuckets"))]"
        let (totals, _) = try readInput(["a.json": bytes(text)])
        #expect(totals.eventsRead == 2 && totals.incomplete == 1)
    }

    @Test func hostileStringsAreMadeSafeWhereTheyEnterAndHugeFieldsAreFine() throws {
        let session = "evil\\u001b[2J\\u001b]0;pwned\\u0007"
        let huge = String(repeating: "A", count: 5_000_000)
        let text =
            "{\"Records\":[\(event("s3.amazonaws.com", "ListBuckets", session: session, extra: ",\"userAgent\":\"\(huge)\""))]}"
        let (totals, summary) = try readInput(["h.json": bytes(text)])
        #expect(summary.problems.isEmpty)
        #expect(totals.calls.keys.first?.session == "evil\u{FFFD}\u{FFFD}")
    }

    @Test func missingPathsAreProblemsNotCrashes() {
        let (totals, summary) = EventReader.read(paths: ["/nonexistent/logs"], filter: EventFilter())
        #expect(totals.eventsRead == 0)
        #expect(summary.problems == [InputProblem(path: "/nonexistent/logs", message: "no such file or folder")])
    }

    @Test func windowAndAccountFiltersCountWhatTheyDrop() throws {
        let text =
            "[\(event("s3.amazonaws.com", "A", time: "2026-09-30T23:59:59Z")),\(event("s3.amazonaws.com", "B", time: "2026-10-01T00:00:00Z")),"
            + "\(event("s3.amazonaws.com", "C", time: "2026-10-02T00:00:00Z"))]"
        let filter = EventFilter(
            since: EventTime(commandLine: "2026-10-01"), until: EventTime(commandLine: "2026-10-02"))
        let (totals, _) = try readInput(["w.json": bytes(text)], filter: filter)
        #expect(pairCounts(totals) == ["s3.amazonaws.com B": 1])
        #expect(totals.outsideWindow == 2)
        let (other, _) = try readInput(["w.json": bytes(text)], filter: EventFilter(account: "999999999999"))
        #expect(other.otherAccounts == 3 && other.calls.isEmpty)
    }
}

@Suite struct IngestPrimitiveTests {
    @Test func jsonStringsDecodeEscapesAndSurrogatePairs() {
        let raw = Array(#"a\"b\\c\/d\n\u00e9\ud83d\ude00\u001b"#.utf8)
        #expect(raw.withUnsafeBufferPointer(decodeJSONString) == "a\"b\\c/d\né😀\u{1b}")
    }

    @Test func timesParseInEveryFormatCloudTrailUses() {
        #expect(EventTime("2026-10-01T08:00:00Z")?.description == "2026-10-01T08:00:00Z")
        #expect(EventTime("2023-01-22 16:53:53.000")?.description == "2023-01-22T16:53:53Z")
        #expect(EventTime("2021-11-18T09:41:02-08:00")?.description == "2021-11-18T17:41:02Z")
        #expect(EventTime("1970-01-01T00:00:00Z")?.secondsSinceEpoch == 0)
        #expect(EventTime("2024-02-29T12:00:00Z")?.description == "2024-02-29T12:00:00Z")
        #expect(EventTime("yesterday") == nil)
        #expect(EventTime("2026-13-01T00:00:00Z") == nil)
        #expect(EventTime(commandLine: "2026-10-01")?.description == "2026-10-01T00:00:00Z")
        #expect(EventTime("2026-10-01T23:59:59Z")?.day == "2026-10-01")
        #expect(EventTime("2026-10-01T23:59:59Z")?.startOfDay.description == "2026-10-01T00:00:00Z")
        #expect(EventTime("1969-12-31T12:00:00Z")?.startOfDay.description == "1969-12-31T00:00:00Z")
    }

    @Test func roleQueriesMatchNamesPathsArnsGlobsAndPermissionSets() {
        let sso =
            "arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70"
        #expect(RoleQuery("AdministratorAccess").matches(roleArn: sso))
        #expect(RoleQuery("AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70").matches(roleArn: sso))
        #expect(
            RoleQuery("aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70").matches(
                roleArn: sso))
        #expect(RoleQuery(sso).matches(roleArn: sso))
        #expect(RoleQuery("AWSReservedSSO_Admin*").matches(roleArn: sso))
        #expect(!RoleQuery("Administrator").matches(roleArn: sso))
        #expect(RoleQuery("admin").matches(roleArn: "arn:aws:iam::1:role/Admin"))
        #expect(!RoleQuery("Admin").matches(roleArn: "arn:aws:iam::1:role/ci-deployer"))
        #expect(!RoleQuery("role").matches(roleArn: "arn:aws:iam::1:role/Admin"))
    }
}

/// Hostile and unusual inputs found in review: each once crashed, miscounted or was skipped.
@Suite struct HardenedInputTests {
    /// Zips `files` with Python's zipfile (deflated), an independent writer.
    @Test func zipMembersAreReadButArchivesInsideArchivesAreNot() throws {
        let inner = try zip(["inner.json": bytes("[\(event("s3.amazonaws.com", "GetObject"))]")])
        let outer = try zip(["a.json": bytes("[\(event("s3.amazonaws.com", "ListBuckets"))]"), "nested.zip": inner])
        let (totals, summary) = try readInput(["logs.zip": outer])
        #expect(pairCounts(totals) == ["s3.amazonaws.com ListBuckets": 1])
        #expect(summary.filesRead == 1)
        #expect(
            summary.problems == [
                InputProblem(path: "logs.zip:nested.zip", message: "an archive inside an archive: skipped")
            ])
    }

    @Test func aZipWithoutCentralDirectoryIsAnError() throws {
        var archive = try zip(["a.json": bytes("[\(event("s3.amazonaws.com", "ListBuckets"))]")])
        archive.removeLast(22)  // the end-of-central-directory record
        let (totals, summary) = try readInput(["broken.zip": archive])
        #expect(totals.eventsRead == 0)
        #expect(
            summary.problems == [
                InputProblem(path: "broken.zip", message: "not a readable zip archive (no central directory)")
            ])
        #expect(summary.filesUnreadable == 1)
    }

    @Test func hugeCountsAreRejectedInsteadOfOverflowing() throws {
        let csv =
            "eventsource,eventname,calls\ns3.amazonaws.com,ListBuckets,9223372036854775807\n"
            + "s3.amazonaws.com,ListBuckets,9223372036854775807\ns3.amazonaws.com,GetObject,2\n"
        let (totals, summary) = try readInput(["r.csv": bytes(csv)])
        #expect(pairCounts(totals) == ["s3.amazonaws.com GetObject": 2])
        #expect(summary.problems.count == 2)
    }

    @Test func rollupsWithSessionsButNoRoleKeepThePeople() throws {
        let csv = "\u{FEFF}eventsource,eventname,calls,session_name\ns3.amazonaws.com,ListBuckets,4,alice\\x\n"
        let (totals, summary) = try readInput(["r.csv": bytes(csv)])
        let usage = try UsageBuilder(catalog: bundledCatalog, mapping: mapping, generator: "t")
            .build(totals, summary, AnalysisOptions())
        #expect(usage.people.map(\.name) == ["alice\\x"])  // a byte-order mark and a backslash survive
        #expect(usage.actions.first?.count == 4)
    }

    @Test func refusedAssumeRoleIsNotASignIn() throws {
        func assume(_ error: String) -> String {
            "{\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"eventTime\":\"2026-10-01T08:00:00Z\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/ci\",\"userName\":\"ci\"},"
                + "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::1:role/Admin\",\"roleSessionName\":\"x\"}\(error)}"
        }
        let (totals, _) = try readInput([
            "a.json": bytes("[\(assume("")),\(assume(",\"errorCode\":\"AccessDenied\""))]")
        ])
        #expect(totals.signIns.values.map(\.tally.count) == [1])
    }

    @Test func athenaJSONRowsUseLowerCaseColumnNames() throws {
        let row =
            "{\"eventsource\":\"ec2.amazonaws.com\",\"eventname\":\"DescribeVpcs\",\"eventtype\":\"AwsApiCall\","
            + "\"useragent\":\"AWS Internal\",\"eventcategory\":\"Data\",\"eventtime\":\"2026-10-01T08:00:00Z\"}\n"
            + "{\"eventsource\":\"ec2.amazonaws.com\",\"eventname\":\"SharedSnapshotCopyInitiated\",\"eventtype\":\"AwsServiceEvent\"}\n"
        let (totals, _) = try readInput(["rows.json": bytes(row)])
        #expect(totals.serviceEvents == 1)
        let call = try #require(totals.calls.keys.first)
        #expect(call.console && call.dataEvent)
    }

    @Test func overlappingArgumentsReadEachFileOnce() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sub = directory.appendingPathComponent("2026")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let file = sub.appendingPathComponent("a.json")
        try Data(bytes("[\(event("s3.amazonaws.com", "ListBuckets"))]")).write(to: file)
        let digests = sub.appendingPathComponent("CloudTrail-Digest")
        try FileManager.default.createDirectory(at: digests, withIntermediateDirectories: true)
        try Data(bytes("{}")).write(to: digests.appendingPathComponent("d.json"))
        // The same file by a link, by a hard link and by a spelling with `..`.
        let link = directory.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        let hardLink = directory.appendingPathComponent("hard.json")
        try FileManager.default.linkItem(at: file, to: hardLink)
        let (totals, summary) = EventReader.read(
            paths: [directory.path, sub.path, link.path, "\(sub.path)/../2026/a.json"], filter: EventFilter())
        #expect(totals.eventsRead == 1 && summary.filesRead == 1)
        #expect(summary.filesSkipped == ["CloudTrail digest file": 1])
    }

    @Test func utcOffsetsInEveryFormAndNothingElse() {
        #expect(EventTime("2021-11-18T09:41:02-0800")?.description == "2021-11-18T17:41:02Z")
        #expect(EventTime("2021-11-18T09:41:02+05")?.description == "2021-11-18T04:41:02Z")
        #expect(EventTime("2021-11-18T09:41:02.123+05:30")?.description == "2021-11-18T04:11:02Z")
        #expect(EventTime("2021-11-18T09:41:02 tomorrow") == nil)
        #expect(EventTime("2021-11-18T09:41:02+") == nil)
        #expect(EventTime("2021-11-18T09:41:02+25:00") == nil)
    }
}
