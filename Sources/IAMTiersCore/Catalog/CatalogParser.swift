import Foundation

/// One pass over the catalog text: header, then `S`, `T` and `A` records (see Scripts/update-catalog).
/// Uses memchr to find line and field ends, so loading stays fast even in debug builds.
struct CatalogParser {
    let bytes: [UInt8]

    struct Result {
        var info = CatalogInfo()
        var services: [Catalog.ServiceRecord] = []
        var actions: [Catalog.ActionRecord] = []
    }

    /// The provenance header alone (the bytes may be a truncated catalog).
    func parseHeader() throws -> Result { try parse(stopAfterHeader: true) }

    func parse(stopAfterHeader: Bool = false) throws -> Result {
        try bytes.withUnsafeBufferPointer { buffer in
            var result = Result()
            result.actions.reserveCapacity(buffer.count / 140)
            var position = 0
            var lineNumber = 0
            var inHeader = true
            var declaredCounts: (services: Int?, actions: Int?) = (nil, nil)
            var previousActionName = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

            while position < buffer.count {
                lineNumber += 1
                let lineEnd = find(UInt8(ascii: "\n"), in: buffer, from: position, to: buffer.count) ?? buffer.count
                defer { position = lineEnd + 1 }
                if inHeader {
                    if lineEnd == position {
                        inHeader = false
                        guard result.info.format == Catalog.format else {
                            throw CatalogError.unsupportedFormat(result.info.format)
                        }
                        if stopAfterHeader { return result }
                        continue
                    }
                    let fields = fieldRanges(buffer, position, lineEnd, limit: 2)
                    guard fields.count == 2 else {
                        throw CatalogError.malformed(line: lineNumber, reason: "header line without a value")
                    }
                    let value = string(buffer, fields[1])
                    switch string(buffer, fields[0]) {
                    case "format": result.info.format = value
                    case "source": result.info.source = value
                    case "version": result.info.version = value
                    case "date": result.info.date = value
                    case "licence": result.info.licence = value
                    case "risk-source": result.info.riskSource = value
                    case "risk-supplement": result.info.riskSupplement = value
                    case "dependents-source": result.info.dependentsSource = value
                    case "verdict-sources": result.info.verdictSources = value
                    case "services": declaredCounts.services = Int(value)
                    case "actions": declaredCounts.actions = Int(value)
                    default: break  // newer optional header fields are ignored
                    }
                    continue
                }
                guard lineEnd > position + 1 else {
                    throw CatalogError.malformed(line: lineNumber, reason: "empty record")
                }
                switch buffer[position] {
                case UInt8(ascii: "S"):
                    let fields = fieldRanges(buffer, position, lineEnd, limit: 3)
                    guard fields.count == 3 else {
                        throw CatalogError.malformed(line: lineNumber, reason: "service record needs prefix and name")
                    }
                    let prefix = string(buffer, fields[1])
                    let lowered = Array(prefix.utf8).map(asciiLowercased)
                    if let last = result.services.last,
                        compareLowercased(last.lowercasedPrefix[...], lowered[...]) != .orderedAscending
                    {
                        throw CatalogError.malformed(line: lineNumber, reason: "service \(prefix) is out of order")
                    }
                    closeService(&result)
                    result.services.append(
                        Catalog.ServiceRecord(
                            prefix: prefix, name: string(buffer, fields[2]), lowercasedPrefix: lowered,
                            actions: result.actions.count..<result.actions.count,
                            resourceTypeLines: lineEnd..<lineEnd))
                    previousActionName = UnsafeBufferPointer(start: nil, count: 0)
                case UInt8(ascii: "T"):
                    guard !result.services.isEmpty else {
                        throw CatalogError.malformed(line: lineNumber, reason: "resource type before any service")
                    }
                    let service = result.services.count - 1
                    let start = result.services[service].resourceTypeLines.lowerBound
                    result.services[service].resourceTypeLines = start..<lineEnd
                case UInt8(ascii: "A"):
                    guard !result.services.isEmpty else {
                        throw CatalogError.malformed(line: lineNumber, reason: "action before any service")
                    }
                    // Fields: A, name, level, risk, verdict, then resource types, keys, dependents, description.
                    let name = position + 2
                    guard let nameEnd = find(UInt8(ascii: "\t"), in: buffer, from: name, to: lineEnd),
                        let levelEnd = find(UInt8(ascii: "\t"), in: buffer, from: nameEnd + 1, to: lineEnd),
                        let riskEnd = find(UInt8(ascii: "\t"), in: buffer, from: levelEnd + 1, to: lineEnd),
                        let verdictEnd = find(UInt8(ascii: "\t"), in: buffer, from: riskEnd + 1, to: lineEnd),
                        countTabs(buffer, verdictEnd + 1, lineEnd) == 3
                    else {
                        throw CatalogError.malformed(line: lineNumber, reason: "action record needs 9 fields")
                    }
                    let nameBytes = UnsafeBufferPointer(rebasing: buffer[name..<nameEnd])
                    if !previousActionName.isEmpty
                        && compareLowercased(previousActionName, nameBytes) != .orderedAscending
                    {
                        throw CatalogError.malformed(
                            line: lineNumber, reason: "action \(string(buffer, name..<nameEnd)) is out of order")
                    }
                    previousActionName = nameBytes
                    guard
                        let level = AccessLevel(
                            exactBytes: UnsafeBufferPointer(rebasing: buffer[(nameEnd + 1)..<levelEnd]))
                    else {
                        throw CatalogError.malformed(
                            line: lineNumber,
                            reason: "unknown access level '\(string(buffer, (nameEnd + 1)..<levelEnd))'")
                    }
                    guard
                        let risk = RiskAssessment(
                            catalogField: UnsafeBufferPointer(rebasing: buffer[(levelEnd + 1)..<riskEnd]))
                    else {
                        throw CatalogError.malformed(
                            line: lineNumber, reason: "bad risk field '\(string(buffer, (levelEnd + 1)..<riskEnd))'")
                    }
                    let verdictField = UnsafeBufferPointer(rebasing: buffer[(riskEnd + 1)..<verdictEnd])
                    let verdict = ReadVerdict(catalogField: verdictField)
                    guard level <= .read ? verdict != nil : verdictField.elementsEqual("-".utf8) else {
                        throw CatalogError.malformed(
                            line: lineNumber,
                            reason:
                                "bad verdict '\(string(buffer, (riskEnd + 1)..<verdictEnd))' for a \(level.rawValue) action"
                        )
                    }
                    result.actions.append(
                        Catalog.ActionRecord(
                            service: Int32(result.services.count - 1),
                            nameStart: Int32(name), nameLength: Int32(nameEnd - name),
                            level: level, risk: risk, verdict: verdict,
                            detailsStart: Int32(riskEnd + 1), lineEnd: Int32(lineEnd)))
                default:
                    throw CatalogError.malformed(line: lineNumber, reason: "unknown record type")
                }
            }
            if inHeader { throw CatalogError.malformed(line: lineNumber, reason: "header is not terminated") }
            closeService(&result)
            if let expected = declaredCounts.services, expected != result.services.count {
                throw CatalogError.malformed(
                    line: lineNumber, reason: "header says \(expected) services, found \(result.services.count)")
            }
            if let expected = declaredCounts.actions, expected != result.actions.count {
                throw CatalogError.malformed(
                    line: lineNumber, reason: "header says \(expected) actions, found \(result.actions.count)")
            }
            return result
        }
    }

    private func closeService(_ result: inout Result) {
        guard !result.services.isEmpty else { return }
        let last = result.services.count - 1
        result.services[last].actions = result.services[last].actions.lowerBound..<result.actions.count
    }

    /// Ranges of the first `limit` tab-separated fields; the last range runs to the end of the line.
    private func fieldRanges(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, limit: Int) -> [Range<Int>]
    {
        var ranges: [Range<Int>] = []
        var fieldStart = start
        while ranges.count < limit - 1, let tab = find(UInt8(ascii: "\t"), in: buffer, from: fieldStart, to: end) {
            ranges.append(fieldStart..<tab)
            fieldStart = tab + 1
        }
        ranges.append(fieldStart..<end)
        return ranges
    }

    private func countTabs(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var count = 0
        var position = start
        while let tab = find(UInt8(ascii: "\t"), in: buffer, from: position, to: end) {
            count += 1
            position = tab + 1
        }
        return count
    }

    private func find(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = buffer.baseAddress,
            let hit = memchr(base + start, Int32(byte), end - start)
        else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private func string(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }
}
