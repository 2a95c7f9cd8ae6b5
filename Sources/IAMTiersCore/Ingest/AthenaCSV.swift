import Foundation

/// The result CSV of an Athena rollup query: one row per group of identical calls, with a count.
///
/// Required columns: `eventsource`, `eventname`. Optional: a count (`calls`, `count`, `cnt`, `_col2`),
/// `principal_type` (userIdentity.type), `principal` (userIdentity.arn), `role_arn` (the session
/// issuer), `session_name`, `errorcode`, `invoked_by`, the request facts (`passed_roles`, `role_names`,
/// `tagged`, `request_keys`, `kms_context`: space-separated, see `AthenaSQL.requestFacts`),
/// `console`, `eventcategory`, `recipientaccountid`, `first_seen`, `last_seen` (or `eventtime`); and
/// the sign-in query's `principal_id`, `user_name`, `sign_in_role`, `sign_in_session`, `source_address`.
/// Column names are matched case-insensitively; `iamtiers athena-sql` writes exactly these.
enum AthenaCSV {
    enum Column: CaseIterable {
        case eventSource, eventName, count, principalType, roleArn, principal, sessionName, errorCode, console
        case invokedBy, passedRoles, roleNames, tagged, requestKeys, kmsContext, eventCategory
        case account, firstSeen, lastSeen
        // The sign-in query's: who signed in to which role, from where.
        case principalID, userName, signInRole, signInSession, sourceAddress

        var names: [String] {
            switch self {
            case .eventSource: return ["eventsource"]
            case .eventName: return ["eventname"]
            case .count: return ["calls", "count", "cnt", "events", "_col2"]
            case .principalType: return ["principal_type", "useridentity_type"]
            case .roleArn: return ["role_arn", "rolearn", "sessionissuer", "issuer_arn"]
            case .principal: return ["principal", "principal_arn", "arn", "useridentity_arn"]
            case .sessionName: return ["session_name", "sessionname", "session"]
            case .errorCode: return ["errorcode", "error_code"]
            case .console: return ["console", "sessioncredentialfromconsole"]
            case .invokedBy: return ["invoked_by", "invokedby"]
            case .passedRoles: return ["passed_roles"]
            case .roleNames: return ["role_names"]
            case .tagged: return ["tagged"]
            case .requestKeys: return ["request_keys"]
            case .kmsContext: return ["kms_context"]
            case .eventCategory: return ["eventcategory", "event_category"]
            case .account: return ["recipientaccountid", "account"]
            case .firstSeen: return ["first_seen", "firstseen", "eventtime"]
            case .lastSeen: return ["last_seen", "lastseen"]
            case .principalID: return ["principal_id", "principalid"]
            case .userName: return ["user_name", "username"]
            case .signInRole: return ["sign_in_role"]
            case .signInSession: return ["sign_in_session"]
            case .sourceAddress: return ["source_address", "sourceipaddress"]
            }
        }
    }

    struct FormatError: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// True when the first line is a CSV header naming eventsource and eventname.
    static func looksLikeRollup(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }.prefix(4096)
        let header = String(decoding: firstLine, as: UTF8.self).lowercased()
        return header.contains("eventsource") && header.contains("eventname") && header.contains(",")
    }

    /// Reads rows as they are fed: the first row is the header, the others are call groups.
    struct Reader {
        private var rows: CSVRowReader
        private var columns: [Column: Int]?
        private var headerRead = false
        private(set) var groups = 0

        init(maximumRowBytes: Int) {
            rows = CSVRowReader(maximumRowBytes: maximumRowBytes)
        }

        mutating func feed(
            _ chunk: UnsafeBufferPointer<UInt8>, into accumulator: inout UsageAccumulator,
            problem: (FormatError) -> Void
        ) {
            var fed = rows
            fed.feed(chunk) { row in take(row, into: &accumulator, problem: problem) }
            rows = fed
        }

        mutating func finish(into accumulator: inout UsageAccumulator, problem: (FormatError) -> Void) {
            var fed = rows
            fed.finish { row in take(row, into: &accumulator, problem: problem) }
            rows = fed
        }

        private mutating func take(
            _ row: CSVRowReader.Row, into accumulator: inout UsageAccumulator, problem: (FormatError) -> Void
        ) {
            if row.isTooLong {
                problem(
                    FormatError(
                        line: row.line,
                        reason: "the row is longer than \(formatBytes(Int64(rows.maximumRowBytes))): skipped"))
                return
            }
            guard headerRead else {
                headerRead = true
                let header = row.fields.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
                var index: [Column: Int] = [:]
                for column in Column.allCases {
                    if let position = header.firstIndex(where: { column.names.contains($0) }) {
                        index[column] = position
                    }
                }
                guard index[.eventSource] != nil, index[.eventName] != nil else {
                    problem(FormatError(line: 1, reason: "the header has no eventsource and eventname columns"))
                    return
                }
                columns = index
                return
            }
            guard let columns, !(row.fields.count == 1 && row.fields[0].isEmpty) else { return }
            if AthenaCSV.add(row, columns: columns, into: &accumulator, problem: problem) { groups += 1 }
        }
    }

    /// Adds one call group; false when the row cannot be used (reported through `problem`).
    private static func add(
        _ row: CSVRowReader.Row, columns index: [Column: Int], into accumulator: inout UsageAccumulator,
        problem: (FormatError) -> Void
    ) -> Bool {
        func value(_ column: Column) -> String? {
            guard let position = index[column], position < row.fields.count else { return nil }
            let text = row.fields[position]
            return text.isEmpty ? nil : text
        }
        var count = 1
        if let text = value(.count) {
            // A bound far above any real count keeps the totals from overflowing.
            guard let parsed = Int(text), parsed >= 0, parsed < 1 << 40 else {
                problem(FormatError(line: row.line, reason: "count '\(text)' is not a whole number of calls"))
                return false
            }
            count = parsed
        }
        // Lay the row out as bytes so the accumulator sees it like a JSON event.
        var storage: [UInt8] = []
        var fields = EventFields()
        // Fields are stored as JSON string content: backslashes are escaped so decoding restores them.
        func place(_ text: String?) -> Range<Int>? {
            guard let text else { return nil }
            let start = storage.count
            storage.append(contentsOf: text.replacingOccurrences(of: "\\", with: "\\\\").utf8)
            return start..<storage.count
        }
        fields.eventSource = place(value(.eventSource))
        fields.eventName = place(value(.eventName))
        fields.sawEventKey = true
        fields.identityType = place(value(.principalType))
        fields.issuerArn = place(value(.roleArn))
        fields.identityArn = place(value(.principal))
        fields.sessionName = place(value(.sessionName))
        fields.errorCode = place(value(.errorCode))
        fields.eventCategory = place(value(.eventCategory))
        fields.recipientAccountId = place(value(.account))
        fields.principalId = place(value(.principalID))
        fields.identityUserName = place(value(.userName))
        fields.requestRoleArn = place(value(.signInRole))
        fields.requestRoleSessionName = place(value(.signInSession))
        fields.sourceIPAddress = place(value(.sourceAddress))
        fields.eventTime = place(value(.firstSeen))
        fields.lastEventTime = place(value(.lastSeen))
        if let console = value(.console)?.lowercased() { fields.consoleCredential = console == "true" }
        fields.invokedBy = place(value(.invokedBy))
        func words(_ column: Column) -> [String] { value(column)?.split(separator: " ").map(String.init) ?? [] }
        fields.passedRoles = words(.passedRoles).prefix(EventExtractor.maximumPassedRoles).compactMap(place)
        // `"executionRole":"name"`: the name is the last quoted text.
        fields.passedRoleNames = words(.roleNames).prefix(EventExtractor.maximumPassedRoles).compactMap { pair in
            place(pair.split(separator: "\"").last.map(String.init))
        }
        fields.carriesTags = value(.tagged)?.lowercased() == "true"
        for key in words(.requestKeys) {
            if let bit = CompanionRules.requestKeys.firstIndex(of: key) { fields.requestKeys |= 1 << UInt32(bit) }
        }
        fields.encryptionContextServices = words(.kmsContext).prefix(4).compactMap(place)
        storage.withUnsafeBufferPointer { buffer in accumulator.add(&fields, in: buffer, count: count) }
        return true
    }
}

/// RFC 4180 rows from CSV fed in chunks: fields separated by commas, optionally quoted, `""`
/// inside quotes is one quote, quoted fields may span lines. A row over the size limit is reported
/// and skipped rather than held.
struct CSVRowReader {
    struct Row {
        var line: Int
        var fields: [String]
        var isTooLong = false
    }

    let maximumRowBytes: Int
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var rowBytes = 0
    private var isTooLong = false
    private var quoted = false
    /// A quote inside a quoted field: the end of the field, or the first of `""`.
    private var quoteInQuoted = false
    private var line = 1
    private var rowLine = 1

    init(maximumRowBytes: Int) {
        self.maximumRowBytes = maximumRowBytes
    }

    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, row: (Row) -> Void) {
        for byte in chunk {
            if quoteInQuoted {
                quoteInQuoted = false
                if byte == UInt8(ascii: "\"") {
                    append(byte)
                    continue
                }
                quoted = false
            }
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    quoteInQuoted = true
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"):
                endField()
                endRow(row)
                line += 1
                rowLine = line
            default: append(byte)
            }
        }
    }

    mutating func finish(row: (Row) -> Void) {
        if !field.isEmpty || !fields.isEmpty || isTooLong {
            endField()
            endRow(row)
        }
    }

    private mutating func append(_ byte: UInt8) {
        rowBytes += 1
        guard !isTooLong else { return }
        if rowBytes > maximumRowBytes {
            isTooLong = true
            field = []
            fields = []
        } else {
            field.append(byte)
        }
    }

    private mutating func endField() {
        if !isTooLong { fields.append(String(decoding: field, as: UTF8.self)) }
        field.removeAll(keepingCapacity: true)
    }

    private mutating func endRow(_ row: (Row) -> Void) {
        row(Row(line: rowLine, fields: fields, isTooLong: isTooLong))
        fields.removeAll(keepingCapacity: true)
        rowBytes = 0
        isTooLong = false
    }
}
