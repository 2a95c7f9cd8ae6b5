import Foundation

/// Where the fields of one CloudTrail event are in the buffer that holds it (raw JSON string
/// contents, escapes not decoded). Only what the analysis needs is located.
struct EventFields {
    var eventSource: Range<Int>?
    var eventName: Range<Int>?
    var eventTime: Range<Int>?
    /// The end of a group's time span, for rollup rows that stand for many calls.
    var lastEventTime: Range<Int>?
    var errorCode: Range<Int>?
    var eventType: Range<Int>?
    var eventCategory: Range<Int>?
    var userAgent: Range<Int>?
    var recipientAccountId: Range<Int>?
    var sourceIPAddress: Range<Int>?
    var identityType: Range<Int>?
    var identityArn: Range<Int>?
    var identityUserName: Range<Int>?
    var identityAccountId: Range<Int>?
    var principalId: Range<Int>?
    var invokedBy: Range<Int>?
    var issuerArn: Range<Int>?
    var issuerUserName: Range<Int>?
    /// `requestParameters.roleArn` and `roleSessionName`: who signed in to which role (AssumeRole*).
    var requestRoleArn: Range<Int>?
    var requestRoleSessionName: Range<Int>?
    /// A session name given on its own (rollup rows), used whoever the principal is.
    var sessionName: Range<Int>?
    /// Role and instance-profile ARNs anywhere in `requestParameters`: roles the call may pass.
    var passedRoles: [Range<Int>] = []
    /// Role names where a role could be passed (`roleName`, `role`, `…RoleName`), without an ARN.
    var passedRoleNames: [Range<Int>] = []
    /// The request tags what it creates (a non-empty `tags`, `tagSpecificationSet`, …).
    var carriesTags = false
    /// The top-level request keys companion rules look at: bit i is `CompanionRules.requestKeys[i]`.
    var requestKeys: UInt32 = 0
    /// The services an encryption context names (`aws:s3:arn` → s3): whom a KMS call worked for.
    var encryptionContextServices: [Range<Int>] = []
    /// `@timestamp` of SIEM exports that dropped `eventTime`.
    var exportTimestamp: Range<Int>?
    var consoleCredential: Bool?
    var managementEvent: Bool?
    /// Hive-struct text of Athena JSON rows (`useridentity` column), parsed on demand.
    var hiveUserIdentity: Range<Int>?
    var sawEventKey = false
}

/// The container shapes CloudTrail data arrives in.
public enum InputShape: String, Sendable, Codable, CaseIterable {
    case s3Delivery = "S3 delivery {\"Records\":[…]}"
    case lookupEvents = "lookup-events {\"Events\":[…]}"
    case lakeQueryResults = "CloudTrail Lake query results"
    case eventBridge = "EventBridge envelopes"
    case jsonArray = "JSON array of events"
    case ndjson = "NDJSON (one event a line)"
    case singleEvent = "single event"
    case athenaCSV = "Athena result CSV"
}

struct ExtractionResult {
    var events = 0
    var shapes = Set<InputShape>()
    /// The last record's first field of an unexpected type (`eventName` a number): named, not fatal.
    var mistyped: Mistyped?

    typealias Mistyped = (field: String, offset: Int, found: String, expected: String)
}

/// Reads the events out of one record the splitter cut out and hands each event's fields to `emit`.
struct EventExtractor {
    typealias Emit = (inout EventFields, UnsafeBufferPointer<UInt8>) -> Void

    /// Throws the record's first syntax error, with offsets within the record.
    static func extract(
        _ record: UnsafeBufferPointer<UInt8>, as kind: RecordKind, result: inout ExtractionResult,
        repairedCommas: inout [Int], emit: Emit
    ) throws {
        var scanner = JSONScanner(record)
        defer {
            repairedCommas += scanner.repairedCommas
            result.mistyped = mistypedField(&scanner)
        }
        switch kind {
        case .object: try handleObject(&scanner, topLevel: false, result: &result, emit: emit)
        case .topLevelObject: try handleObject(&scanner, topLevel: true, result: &result, emit: emit)
        case .lakeRow:
            var row = EventFields()
            try scanner.forEachElement { scanner, _ in
                try scanner.forEachMember { scanner, column in try readEventMember(&scanner, column, &row) }
            }
            if row.sawEventKey {
                result.events += 1
                emit(&row, scanner.bytes)
            }
        }
    }

    /// The record's first field of an unexpected type, described (and forgotten by the scanner).
    private static func mistypedField(_ scanner: inout JSONScanner) -> ExtractionResult.Mistyped? {
        guard let (key, offset, expected) = scanner.takeMistyped() else { return nil }
        let found: String
        switch scanner.bytes[offset] {
        case UInt8(ascii: "{"): found = "an object"
        case UInt8(ascii: "["): found = "an array"
        case UInt8(ascii: "\""): found = "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "true or false"
        default: found = "a number"
        }
        return (decodeJSONString(UnsafeBufferPointer(rebasing: scanner.bytes[key])), offset, found, expected)
    }

    /// Where the one-pass reader of a delivery file handed over to the splitter: inside the
    /// `Records` array at `offset`, after `records` records, with or without a comma owed.
    struct DeliveryHandover {
        var offset: Int
        var records: Int
        var needsComma: Bool
    }

    /// A whole S3 delivery file, `{"Records":[…]}`, in one pass: each record is read where it lies
    /// instead of being cut out by the splitter first. It reads for as long as the records are plain
    /// objects between commas and hands over at the first thing that is not (the closing `]` at
    /// the latest), so the splitter reads, repairs and reports the rest exactly as it would have.
    /// Nil when the file does not start that way: the splitter reads all of it.
    static func extractDelivery(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, result: inout ExtractionResult,
        repairedCommas: inout [Int], recordRead: (_ record: Int, _ mistyped: ExtractionResult.Mistyped?) -> Void,
        emit: Emit
    ) -> DeliveryHandover? {
        var scanner = JSONScanner(buffer, position: start)
        guard (try? scanner.expect(UInt8(ascii: "{"), "'{'")) != nil, let key = try? scanner.readString(),
            scanner.equals(key, "Records"), (try? scanner.expect(UInt8(ascii: ":"), "':'")) != nil,
            (try? scanner.expect(UInt8(ascii: "["), "'['")) != nil
        else { return nil }
        var records = 0
        scanner.skipWhitespace()
        while true {
            scanner.skipWhitespace()
            let recordStart = scanner.position
            let repairs = scanner.repairedCommas.count
            do {
                guard scanner.current == UInt8(ascii: "{") else { throw scanner.error("expected '{'") }
                try handleObject(&scanner, topLevel: false, result: &result, emit: emit)
            } catch {
                // The splitter cuts the record out and reads it again, finding the same fault (what
                // the attempt counted is only counted when a record is read to its end).
                scanner.repairedCommas.removeSubrange(repairs...)
                repairedCommas += scanner.repairedCommas
                return DeliveryHandover(offset: recordStart, records: records, needsComma: false)
            }
            recordRead(records, mistypedField(&scanner))
            records += 1
            scanner.skipWhitespace()
            guard scanner.current == UInt8(ascii: ",") else {
                repairedCommas += scanner.repairedCommas
                return DeliveryHandover(offset: scanner.position, records: records, needsComma: true)
            }
            scanner.position += 1
        }
    }

    /// One object: an EventBridge envelope, a lookup-events entry with an embedded event, or an event.
    private static func handleObject(
        _ scanner: inout JSONScanner, topLevel: Bool, result: inout ExtractionResult, emit: Emit
    ) throws {
        var fields = EventFields()
        try scanner.forEachMember { scanner, key in
            if scanner.equals(key, "detail") {
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
                result.shapes.insert(.eventBridge)
                try scanner.forEachMember { scanner, member in try readEventMember(&scanner, member, &fields) }
            } else if scanner.equals(key, "CloudTrailEvent") {
                let raw = try scanner.readString()
                try extractEmbedded(raw, in: scanner, result: &result, emit: emit)
            } else {
                try readEventMember(&scanner, key, &fields)
            }
        }
        if fields.sawEventKey {
            if topLevel && !result.shapes.contains(.eventBridge) { result.shapes.insert(.singleEvent) }
            result.events += 1
            emit(&fields, scanner.bytes)
        }
    }

    /// lookup-events carries each event as a JSON string: decode it and scan that.
    private static func extractEmbedded(
        _ raw: Range<Int>, in scanner: JSONScanner, result: inout ExtractionResult, emit: Emit
    ) throws {
        let decoded = Array(decodeJSONString(UnsafeBufferPointer(rebasing: scanner.bytes[raw])).utf8)
        try decoded.withUnsafeBufferPointer { buffer in
            var inner = JSONScanner(buffer)
            var fields = EventFields()
            do {
                try inner.forEachMember { inner, key in try readEventMember(&inner, key, &fields) }
            } catch let error as JSONScanError {
                throw JSONScanError(offset: raw.lowerBound, reason: "CloudTrailEvent string: \(error)")
            }
            if fields.sawEventKey {
                result.events += 1
                emit(&fields, buffer)
            }
        }
    }

    /// Reads one member of an event object into `fields` (or skips it).
    static func readEventMember(_ scanner: inout JSONScanner, _ key: Range<Int>, _ fields: inout EventFields) throws {
        switch key.count {
        case 9 where scanner.equals(key, "eventName") || scanner.equals(key, "eventname"):
            fields.eventName = try stringOrNil(&scanner, key)
            fields.sawEventKey = true
        case 9 where scanner.equals(key, "eventTime") || scanner.equals(key, "eventtime"):
            fields.eventTime = try stringOrNil(&scanner, key)
        case 9 where scanner.equals(key, "errorCode") || scanner.equals(key, "errorcode"):
            fields.errorCode = try stringOrNil(&scanner, key)
        case 9 where scanner.equals(key, "eventType") || scanner.equals(key, "eventtype"):
            fields.eventType = try stringOrNil(&scanner, key)
        case 9 where scanner.equals(key, "userAgent") || scanner.equals(key, "useragent"):
            fields.userAgent = try stringOrNil(&scanner, key)
        case 10 where scanner.equals(key, "@timestamp"):
            fields.exportTimestamp = try stringOrNil(&scanner, key)
        case 11 where scanner.equals(key, "eventSource") || scanner.equals(key, "eventsource"):
            fields.eventSource = try stringOrNil(&scanner, key)
            fields.sawEventKey = true
        case 12 where scanner.equals(key, "userIdentity"):
            fields.sawEventKey = true
            try readUserIdentity(&scanner, key, &fields)
        case 12 where scanner.equals(key, "useridentity"):
            fields.hiveUserIdentity = try stringOrNil(&scanner, key)
            fields.sawEventKey = true
        case 13 where scanner.equals(key, "eventCategory") || scanner.equals(key, "eventcategory"):
            fields.eventCategory = try stringOrNil(&scanner, key)
        case 15 where scanner.equals(key, "managementEvent") || scanner.equals(key, "managementevent"):
            fields.managementEvent = try scanner.readBool()
        case 15 where scanner.equals(key, "sourceIPAddress") || scanner.equals(key, "sourceipaddress"):
            fields.sourceIPAddress = try stringOrNil(&scanner, key)
        case 17 where scanner.equals(key, "requestParameters"):
            try readRequestParameters(&scanner, &fields)
        case 18 where scanner.equals(key, "recipientAccountId") || scanner.equals(key, "recipientaccountid"):
            fields.recipientAccountId = try stringOrNil(&scanner, key)
        case 28
        where scanner.equals(key, "sessionCredentialFromConsole") || scanner.equals(key, "sessioncredentialfromconsole"):
            fields.consoleCredential = try scanner.readBool()
        default:
            try scanner.skipValue()
        }
    }

    private static func readUserIdentity(
        _ scanner: inout JSONScanner, _ identityKey: Range<Int>, _ fields: inout EventFields
    ) throws {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else {
            if scanner.current != UInt8(ascii: "n") { scanner.noteMistyped(identityKey, expected: "an object") }
            return try scanner.skipValue()
        }
        try scanner.forEachMember { scanner, key in
            switch key.count {
            case 3 where scanner.equals(key, "arn"): fields.identityArn = try stringOrNil(&scanner, key)
            case 4 where scanner.equals(key, "type"): fields.identityType = try stringOrNil(&scanner, key)
            case 8 where scanner.equals(key, "userName"): fields.identityUserName = try stringOrNil(&scanner, key)
            case 9 where scanner.equals(key, "accountId"): fields.identityAccountId = try stringOrNil(&scanner, key)
            case 9 where scanner.equals(key, "invokedBy"): fields.invokedBy = try stringOrNil(&scanner, key)
            case 11 where scanner.equals(key, "principalId"): fields.principalId = try stringOrNil(&scanner, key)
            case 14 where scanner.equals(key, "sessionContext"):
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
                try scanner.forEachMember { scanner, key in
                    guard scanner.equals(key, "sessionIssuer") else { return try scanner.skipValue() }
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
                    try scanner.forEachMember { scanner, key in
                        if scanner.equals(key, "arn") {
                            fields.issuerArn = try stringOrNil(&scanner, key)
                        } else if scanner.equals(key, "userName") {
                            fields.issuerUserName = try stringOrNil(&scanner, key)
                        } else {
                            try scanner.skipValue()
                        }
                    }
                }
            default: try scanner.skipValue()
            }
        }
    }

    private static func readRequestParameters(_ scanner: inout JSONScanner, _ fields: inout EventFields) throws {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
        try scanner.forEachMember { scanner, key in
            if scanner.equals(key, "roleSessionName") {
                fields.requestRoleSessionName = try stringOrNil(&scanner, key)
                return
            }
            if let bit = requestKeyBits.firstIndex(where: { scanner.equalsIgnoringCase(key, $0) }) {
                fields.requestKeys |= 1 << UInt32(bit)
            }
            if scanner.equalsIgnoringCase(key, Array("encryptioncontext".utf8)) {
                return try readEncryptionContext(&scanner, &fields)
            }
            let start = scanner.position
            try walkRequestValue(&scanner, key: key, depth: 1, inTags: false, &fields)
            if scanner.equals(key, "roleArn") {
                fields.requestRoleArn = stringRange(in: start..<scanner.position, scanner)
            }
        }
    }

    /// The raw range of a value that is a string, from where the scanner read it.
    private static func stringRange(in read: Range<Int>, _ scanner: JSONScanner) -> Range<Int>? {
        var probe = JSONScanner(scanner.bytes, position: read.lowerBound)
        probe.skipWhitespace()
        guard probe.current == UInt8(ascii: "\""), let range = try? probe.readString() else { return nil }
        return range
    }

    static let requestKeyBits = CompanionRules.requestKeys.map { Array($0.lowercased().utf8) }
    private static let tagKeys = CompanionRules.tagKeys.map { Array($0.utf8) }
    /// Keys whose plain string value names a role that may be passed (`roleName`, `role`, `nodeRoleName`).
    private static let roleNameSuffixes = [Array("rolename".utf8), Array("role".utf8)]
    /// Request values are walked this deep at most; deeper ones are skipped.
    static let requestDepth = 8
    /// Roles a request names, at most: bounds memory on hostile input, far above what real calls pass.
    static let maximumPassedRoles = 64

    /// Every value of the request, for role ARNs, role names and tags anywhere in it. Below a tag
    /// key (`tags`, `tagSpecificationSet`, …) any text but a resource type is a tag: an empty list
    /// (`{"items":[]}`) tags nothing.
    private static func walkRequestValue(
        _ scanner: inout JSONScanner, key: Range<Int>?, depth: Int, inTags: Bool, _ fields: inout EventFields
    ) throws {
        scanner.skipWhitespace()
        let inTags = inTags || (key.map { key in tagKeys.contains { scanner.equalsIgnoringCase(key, $0) } } ?? false)
        switch scanner.current {
        case UInt8(ascii: "\""):
            let range = try scanner.readString()
            if inTags && !range.isEmpty && !(key.map { scanner.equalsIgnoringCase($0, resourceTypeKey) } ?? false) {
                fields.carriesTags = true
            }
            noteRole(range, key: key, scanner, &fields)
        case UInt8(ascii: "{") where depth < requestDepth:
            try scanner.forEachMember { scanner, member in
                try walkRequestValue(&scanner, key: member, depth: depth + 1, inTags: inTags, &fields)
            }
        case UInt8(ascii: "[") where depth < requestDepth:
            try scanner.forEachElement { scanner, _ in
                try walkRequestValue(&scanner, key: key, depth: depth + 1, inTags: inTags, &fields)
            }
        default: try scanner.skipValue()
        }
    }

    private static let resourceTypeKey = Array("resourcetype".utf8)

    /// A role or instance-profile ARN, or a role name under a role-naming key.
    private static func noteRole(
        _ range: Range<Int>, key: Range<Int>?, _ scanner: JSONScanner, _ fields: inout EventFields
    ) {
        let value = UnsafeBufferPointer(rebasing: scanner.bytes[range])
        if value.starts(with: "arn:aws".utf8) {
            guard fields.passedRoles.count < maximumPassedRoles,
                UsageAccumulator.contains(":iam::", in: range, scanner.bytes),
                UsageAccumulator.contains(":role/", in: range, scanner.bytes)
                    || UsageAccumulator.contains(":instance-profile/", in: range, scanner.bytes)
            else { return }
            fields.passedRoles.append(range)
        } else if let key, fields.passedRoleNames.count < maximumPassedRoles,
            roleNameSuffixes.contains(where: { scanner.hasSuffixIgnoringCase(key, $0) }), isRoleName(value)
        {
            fields.passedRoleNames.append(range)
        }
    }

    /// What IAM allows in a role name: 1 to 64 of letters, digits and `+=,.@_-`.
    private static func isRoleName(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        (1...64).contains(value.count)
            && value.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || "+=,.@_-".utf8.contains(byte)
            }
    }

    /// `{"aws:s3:arn": …}`: the `aws:<service>:` keys name the services KMS may have worked for
    /// (CloudTrail's log files carry both `aws:cloudtrail:arn` and `aws:s3:arn`).
    private static func readEncryptionContext(_ scanner: inout JSONScanner, _ fields: inout EventFields) throws {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
        try scanner.forEachMember { scanner, key in
            try scanner.skipValue()
            guard fields.encryptionContextServices.count < 4, bytesMatch(scanner.bytes, key, "aws:", prefix: true),
                let end = scanner.find(UInt8(ascii: ":"), from: key.lowerBound + 4), end < key.upperBound
            else { return }
            fields.encryptionContextServices.append((key.lowerBound + 4)..<end)
        }
    }

    /// A string's raw range, or nil for null and other non-string values.
    /// A string field's raw range; null gives nil, and another type is noted against the record.
    private static func stringOrNil(_ scanner: inout JSONScanner, _ key: Range<Int>) throws -> Range<Int>? {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "\"") else {
            if scanner.current != UInt8(ascii: "n") { scanner.noteMistyped(key, expected: "a string") }
            try scanner.skipValue()
            return nil
        }
        return try scanner.readString()
    }
}
