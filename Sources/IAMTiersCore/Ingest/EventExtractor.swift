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
    var error: JSONScanError?
    /// Zero-based index of the record (array element or line) where the error was found.
    var errorRecord: Int?
    var repairedCommas: [Int] = []
}

/// Walks any CloudTrail JSON container and hands each event's fields to `emit`.
struct EventExtractor {
    typealias Emit = (inout EventFields, UnsafeBufferPointer<UInt8>) -> Void

    static func extract(_ bytes: UnsafeBufferPointer<UInt8>, emit: Emit) -> ExtractionResult {
        var result = ExtractionResult()
        var scanner = JSONScanner(bytes)
        var record = 0
        var topLevelValues = 0
        do {
            while true {
                scanner.skipWhitespace()
                guard let first = scanner.current else { break }
                topLevelValues += 1
                switch first {
                case UInt8(ascii: "["):
                    result.shapes.insert(.jsonArray)
                    try scanner.forEachElement { scanner, _ in
                        try handleObject(&scanner, containers: false, record: &record, result: &result, emit: emit)
                        record += 1
                    }
                case UInt8(ascii: "{"):
                    try handleObject(&scanner, containers: true, record: &record, result: &result, emit: emit)
                    record += 1
                default:
                    throw scanner.error("expected '{' or '['")
                }
            }
            if topLevelValues > 1 { result.shapes.insert(.ndjson) }
        } catch let error as JSONScanError {
            result.error = error
            result.errorRecord = record
        } catch {
            result.error = JSONScanError(offset: scanner.position, reason: "\(error)")
        }
        result.repairedCommas += scanner.repairedCommas
        return result
    }

    /// One object: a container (Records, Events, QueryResultRows), an EventBridge envelope, a
    /// lookup-events entry with an embedded event, or an event.
    private static func handleObject(
        _ scanner: inout JSONScanner, containers: Bool, record: inout Int, result: inout ExtractionResult, emit: Emit
    ) throws {
        var fields = EventFields()
        var isContainer = false
        try scanner.forEachMember { scanner, key in
            if containers && (scanner.equals(key, "Records") || scanner.equals(key, "Events")) {
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: "[") else { return try scanner.skipValue() }
                isContainer = true
                result.shapes.insert(scanner.equals(key, "Records") ? .s3Delivery : .lookupEvents)
                try scanner.forEachElement { scanner, _ in
                    try handleObject(&scanner, containers: false, record: &record, result: &result, emit: emit)
                    record += 1
                }
            } else if containers && scanner.equals(key, "QueryResultRows") {
                isContainer = true
                result.shapes.insert(.lakeQueryResults)
                try scanner.forEachElement { scanner, _ in
                    var row = EventFields()
                    try scanner.forEachElement { scanner, _ in
                        try scanner.forEachMember { scanner, column in try readEventMember(&scanner, column, &row) }
                    }
                    if row.sawEventKey {
                        result.events += 1
                        emit(&row, scanner.bytes)
                    }
                    record += 1
                }
            } else if scanner.equals(key, "detail") {
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
        if fields.sawEventKey && !isContainer {
            if result.shapes.isEmpty { result.shapes.insert(.singleEvent) }
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
            fields.eventName = try stringOrNil(&scanner)
            fields.sawEventKey = true
        case 9 where scanner.equals(key, "eventTime") || scanner.equals(key, "eventtime"):
            fields.eventTime = try stringOrNil(&scanner)
        case 9 where scanner.equals(key, "errorCode") || scanner.equals(key, "errorcode"):
            fields.errorCode = try stringOrNil(&scanner)
        case 9 where scanner.equals(key, "eventType") || scanner.equals(key, "eventtype"):
            fields.eventType = try stringOrNil(&scanner)
        case 9 where scanner.equals(key, "userAgent") || scanner.equals(key, "useragent"):
            fields.userAgent = try stringOrNil(&scanner)
        case 10 where scanner.equals(key, "@timestamp"):
            fields.exportTimestamp = try stringOrNil(&scanner)
        case 11 where scanner.equals(key, "eventSource") || scanner.equals(key, "eventsource"):
            fields.eventSource = try stringOrNil(&scanner)
            fields.sawEventKey = true
        case 12 where scanner.equals(key, "userIdentity"):
            fields.sawEventKey = true
            try readUserIdentity(&scanner, &fields)
        case 12 where scanner.equals(key, "useridentity"):
            fields.hiveUserIdentity = try stringOrNil(&scanner)
            fields.sawEventKey = true
        case 13 where scanner.equals(key, "eventCategory") || scanner.equals(key, "eventcategory"):
            fields.eventCategory = try stringOrNil(&scanner)
        case 15 where scanner.equals(key, "managementEvent") || scanner.equals(key, "managementevent"):
            fields.managementEvent = try scanner.readBool()
        case 15 where scanner.equals(key, "sourceIPAddress") || scanner.equals(key, "sourceipaddress"):
            fields.sourceIPAddress = try stringOrNil(&scanner)
        case 17 where scanner.equals(key, "requestParameters"):
            try readRequestParameters(&scanner, &fields)
        case 18 where scanner.equals(key, "recipientAccountId") || scanner.equals(key, "recipientaccountid"):
            fields.recipientAccountId = try stringOrNil(&scanner)
        case 28
        where scanner.equals(key, "sessionCredentialFromConsole") || scanner.equals(key, "sessioncredentialfromconsole"):
            fields.consoleCredential = try scanner.readBool()
        default:
            try scanner.skipValue()
        }
    }

    private static func readUserIdentity(_ scanner: inout JSONScanner, _ fields: inout EventFields) throws {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
        try scanner.forEachMember { scanner, key in
            switch key.count {
            case 3 where scanner.equals(key, "arn"): fields.identityArn = try stringOrNil(&scanner)
            case 4 where scanner.equals(key, "type"): fields.identityType = try stringOrNil(&scanner)
            case 8 where scanner.equals(key, "userName"): fields.identityUserName = try stringOrNil(&scanner)
            case 9 where scanner.equals(key, "accountId"): fields.identityAccountId = try stringOrNil(&scanner)
            case 9 where scanner.equals(key, "invokedBy"): fields.invokedBy = try stringOrNil(&scanner)
            case 11 where scanner.equals(key, "principalId"): fields.principalId = try stringOrNil(&scanner)
            case 14 where scanner.equals(key, "sessionContext"):
                scanner.skipWhitespace()
                guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
                try scanner.forEachMember { scanner, key in
                    guard scanner.equals(key, "sessionIssuer") else { return try scanner.skipValue() }
                    scanner.skipWhitespace()
                    guard scanner.current == UInt8(ascii: "{") else { return try scanner.skipValue() }
                    try scanner.forEachMember { scanner, key in
                        if scanner.equals(key, "arn") {
                            fields.issuerArn = try stringOrNil(&scanner)
                        } else if scanner.equals(key, "userName") {
                            fields.issuerUserName = try stringOrNil(&scanner)
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
            if scanner.equals(key, "roleArn") {
                fields.requestRoleArn = try stringOrNil(&scanner)
            } else if scanner.equals(key, "roleSessionName") {
                fields.requestRoleSessionName = try stringOrNil(&scanner)
            } else {
                try scanner.skipValue()
            }
        }
    }

    /// A string's raw range, or nil for null and other non-string values.
    private static func stringOrNil(_ scanner: inout JSONScanner) throws -> Range<Int>? {
        scanner.skipWhitespace()
        guard scanner.current == UInt8(ascii: "\"") else {
            try scanner.skipValue()
            return nil
        }
        return try scanner.readString()
    }
}
