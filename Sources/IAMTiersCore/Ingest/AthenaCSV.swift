import Foundation

/// The result CSV of an Athena rollup query: one row per group of identical calls, with a count.
///
/// Required columns: `eventsource`, `eventname`. Optional: a count (`calls`, `count`, `cnt`, `_col2`),
/// `principal_type` (userIdentity.type), `principal` (userIdentity.arn), `role_arn` (the session
/// issuer), `session_name`, `errorcode`, `invoked_by`, the request facts (`passed_roles`, `role_names`,
/// `tagged`, `request_keys`, `kms_context`: space-separated, see `AthenaSQL.requestFacts`),
/// `console`, `eventcategory`, `recipientaccountid`, `first_seen`, `last_seen` (or `eventtime`).
/// Column names are matched case-insensitively; `iamtiers athena-sql` writes exactly these.
enum AthenaCSV {
    enum Column: CaseIterable {
        case eventSource, eventName, count, principalType, roleArn, principal, sessionName, errorCode, console
        case invokedBy, passedRoles, roleNames, tagged, requestKeys, kmsContext, eventCategory
        case account, firstSeen, lastSeen

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

    /// Reads every row; rows that cannot be used are reported through `problem` and skipped.
    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, into accumulator: inout UsageAccumulator, problem: (FormatError) -> Void
    ) -> Int {
        var rows = parseRows(bytes)
        guard !rows.isEmpty else { return 0 }
        let header = rows.removeFirst().fields.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        var index: [Column: Int] = [:]
        for column in Column.allCases {
            if let position = header.firstIndex(where: { column.names.contains($0) }) { index[column] = position }
        }
        guard index[.eventSource] != nil, index[.eventName] != nil else {
            problem(FormatError(line: 1, reason: "the header has no eventsource and eventname columns"))
            return 0
        }
        var read = 0
        for row in rows where !(row.fields.count == 1 && row.fields[0].isEmpty) {
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
                    continue
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
            read += 1
        }
        return read
    }

    struct Row {
        var line: Int
        var fields: [String]
    }

    /// RFC 4180: fields separated by commas, optionally quoted, `""` inside quotes is one quote,
    /// quoted fields may span lines.
    static func parseRows(_ bytes: UnsafeBufferPointer<UInt8>) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1
        var rowLine = 1
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"):
                endField()
                rows.append(Row(line: rowLine, fields: fields))
                fields.removeAll()
                line += 1
                rowLine = line
            default: field.append(byte)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}
