import Foundation

/// Provenance of a catalog, read from its header.
public struct CatalogInfo: Sendable, Equatable {
    public var format = ""
    public var source = ""
    public var version = ""
    /// The day the source data was generated from the AWS Service Authorization Reference.
    public var date = ""
    public var licence = ""
    public var riskSource = ""
    public var riskSupplement = ""
    /// Where the dependent actions come from besides the main source (Policy Sentry's database).
    public var dependentsSource = ""
    /// Where the read verdicts come from, in the order they decide.
    public var verdictSources = ""
}

public struct CatalogService: Sendable, Hashable {
    public let prefix: String
    public let name: String
    public let actionCount: Int
}

/// One IAM action as the catalog knows it.
public struct CatalogAction: Sendable, Hashable, CustomStringConvertible {
    public let service: String
    public let name: String
    public let accessLevel: AccessLevel
    public let risk: RiskAssessment
    /// For List and Read actions, what a call returns; nil for other access levels.
    public let verdict: ReadVerdict?
    /// Position in the catalog; actions sort by service prefix, then case-insensitively by name.
    public let index: Int

    /// `service:Action` in canonical case, e.g. `s3:GetObject`.
    public var fullName: String { "\(service):\(name)" }
    public var description: String { fullName }
}

public struct ResourceTypeReference: Sendable, Hashable {
    public let name: String
    public let required: Bool
    /// The ARN template, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`; empty when unknown.
    public let arnTemplate: String
}

/// The parts of an action that only `show`-like views need; parsed on demand.
public struct ActionDetails: Sendable, Hashable {
    public let description: String
    /// Where the read verdict comes from (`reviewed`, `iam-dataset`, `ViewOnlyAccess`, `rule …`); empty
    /// for actions that are not reads and for unassessed ones.
    public let verdictSource: String
    public let resourceTypes: [ResourceTypeReference]
    public let conditionKeys: [String]
    public let dependentActions: [String]
}

public enum CatalogError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(line: Int, reason: String)
    case unsupportedFormat(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read catalog \(path): \(reason)"
        case .malformed(let line, let reason): return "catalog line \(line): \(reason)"
        case .unsupportedFormat(let format):
            return "catalog format '\(format)' is not supported (expected \(Catalog.format))"
        }
    }
}

/// The IAM action catalog: every service prefix and action, with access levels and risk facts.
///
/// The resource is kept as raw bytes with a compact index, so loading costs one decompression and one
/// scan; descriptions, resource types and condition keys are parsed only when asked for.
public struct Catalog: Sendable {
    public static let format = "iamtiers.catalog/2"

    struct ServiceRecord: Sendable {
        var prefix: String
        var name: String
        var lowercasedPrefix: [UInt8]
        var actions: Range<Int>
        /// Byte range of the service's `T` (resource type) lines.
        var resourceTypeLines: Range<Int>
    }

    struct ActionRecord: Sendable {
        var service: Int32
        var nameStart: Int32
        var nameLength: Int32
        var level: AccessLevel
        var risk: RiskAssessment
        var verdict: ReadVerdict?
        /// From the verdict field to the end of the line.
        var detailsStart: Int32
        var lineEnd: Int32
    }

    public let info: CatalogInfo
    let bytes: [UInt8]
    let serviceRecords: [ServiceRecord]
    let actionRecords: [ActionRecord]

    public var actionCount: Int { actionRecords.count }
    public var serviceCount: Int { serviceRecords.count }

    public var services: [CatalogService] {
        serviceRecords.map { CatalogService(prefix: $0.prefix, name: $0.name, actionCount: $0.actions.count) }
    }

    public var allActions: [CatalogAction] { actionRecords.indices.map(action(at:)) }

    // MARK: Loading

    /// Loads the catalog shipped inside the package (or the file named by `IAMTIERS_CATALOG`).
    public static func bundled(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Catalog {
        try Catalog(contentsOf: bundledPath(environment: environment))
    }

    /// Loads a catalog file, gzip-compressed or plain.
    public init(contentsOf path: String) throws {
        try self.init(text: Self.readText(path))
    }

    /// Only the provenance header of the bundled catalog: cheap enough for `--version`.
    public static func bundledInfo(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> CatalogInfo
    {
        try CatalogParser(bytes: readText(bundledPath(environment: environment), limit: 4096)).parseHeader().info
    }

    private static func bundledPath(environment: [String: String]) throws -> String {
        if let override = environment["IAMTIERS_CATALOG"], !override.isEmpty { return override }
        guard let path = Bundle.module.path(forResource: "catalog.tsv", ofType: "gz") else {
            throw CatalogError.unreadable(path: "catalog.tsv.gz", reason: "not found in the iamtiers resources")
        }
        return path
    }

    private static func readText(_ path: String, limit: Int = .max) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogError.unreadable(path: path, reason: "no such file or not readable")
        }
        let raw = [UInt8](data)
        do {
            return Gzip.isCompressed(raw) ? try Gzip.decompress(raw, sizeHint: raw.count * 7, limit: limit) : raw
        } catch let error as GzipError {
            throw CatalogError.unreadable(path: path, reason: error.description)
        }
    }

    /// Parses catalog text (the format `Scripts/update-catalog` writes).
    public init(text: [UInt8]) throws {
        let parsed = try CatalogParser(bytes: text).parse()
        bytes = text
        info = parsed.info
        serviceRecords = parsed.services
        actionRecords = parsed.actions
    }

    // MARK: Lookup

    /// Case-insensitive lookup of `service:Action`.
    public func action(named fullName: String) -> CatalogAction? {
        // On the name's own bytes: rollout diffs and checks look up every action of a tier set.
        var text = fullName
        guard
            let index = text.withUTF8({ full -> Int? in
                guard let colon = full.firstIndex(of: UInt8(ascii: ":")),
                    let service = serviceIndex(prefixBytes: UnsafeBufferPointer(rebasing: full[..<colon]))
                else { return nil }
                let wanted = UnsafeBufferPointer(rebasing: full[(colon + 1)...])
                var low = serviceRecords[service].actions.lowerBound
                var high = serviceRecords[service].actions.upperBound
                while low < high {
                    let middle = (low + high) / 2
                    switch compareLowercased(name(of: actionRecords[middle]), wanted) {
                    case .orderedSame: return middle
                    case .orderedAscending: low = middle + 1
                    case .orderedDescending: high = middle
                    }
                }
                return nil
            })
        else { return nil }
        return action(at: index)
    }

    public func service(prefix: String) -> CatalogService? {
        serviceIndex(prefix: prefix[...]).map(service(at:))
    }

    /// Actions of one service, optionally of one access level, in catalog order.
    public func actions(inService prefix: String, level: AccessLevel? = nil) -> [CatalogAction] {
        guard let service = serviceIndex(prefix: prefix[...]) else { return [] }
        return serviceRecords[service].actions
            .filter { level == nil || actionRecords[$0].level == level }
            .map(action(at:))
    }

    /// Every concrete action a policy's `Action` entry grants today (IAM wildcard semantics).
    public func expand(_ pattern: ActionPattern) -> [CatalogAction] {
        let candidates: [Range<Int>]
        if let prefix = pattern.literalServicePrefix {
            guard let service = serviceIndex(prefix: prefix[...]) else { return [] }
            candidates = [serviceRecords[service].actions]
        } else {
            candidates = [actionRecords.indices]
        }
        var matched: [CatalogAction] = []
        var subject: [UInt8] = []
        for range in candidates {
            for index in range {
                let record = actionRecords[index]
                subject.removeAll(keepingCapacity: true)
                subject.append(contentsOf: serviceRecords[Int(record.service)].lowercasedPrefix)
                subject.append(UInt8(ascii: ":"))
                subject.append(contentsOf: name(of: record).lazy.map(asciiLowercased))
                if pattern.matches(lowercasedFullName: subject) { matched.append(action(at: index)) }
            }
        }
        return matched
    }

    /// Number of actions at each access level.
    public func countsByLevel() -> [AccessLevel: Int] {
        actionRecords.reduce(into: [:]) { counts, record in counts[record.level, default: 0] += 1 }
    }

    /// Only the description: what a screen redrawn on every key needs, without the resource types.
    public func description(of action: CatalogAction) -> String { string(detailFields(of: action)[4]) }

    /// Only the dependent actions: what usage hints and companions ask of every used action.
    public func dependentActions(of action: CatalogAction) -> [String] { commaList(detailFields(of: action)[3]) }

    public func details(of action: CatalogAction) -> ActionDetails {
        let record = actionRecords[action.index]
        let fields = detailFields(of: action)
        let templates = resourceTypeTemplates(service: Int(record.service))
        let resourceTypes = commaList(fields[1]).map { entry -> ResourceTypeReference in
            let required = entry.hasSuffix("*")
            let name = required ? String(entry.dropLast()) : entry
            return ResourceTypeReference(
                name: name, required: required, arnTemplate: templates[name.lowercased()] ?? "")
        }
        let verdict = string(fields[0])
        return ActionDetails(
            description: string(fields[4]),
            verdictSource: verdict.firstIndex(of: ":").map { String(verdict[verdict.index(after: $0)...]) } ?? "",
            resourceTypes: resourceTypes,
            conditionKeys: commaList(fields[2]),
            dependentActions: dependentActions(of: action)
        )
    }

    // MARK: Internals

    /// Verdict, resource types, condition keys, dependent actions, description.
    private func detailFields(of action: CatalogAction) -> [ArraySlice<UInt8>] {
        let record = actionRecords[action.index]
        return split(bytes[Int(record.detailsStart)..<Int(record.lineEnd)], on: UInt8(ascii: "\t"))
    }

    func action(at index: Int) -> CatalogAction {
        let record = actionRecords[index]
        return CatalogAction(
            service: serviceRecords[Int(record.service)].prefix,
            name: string(name(of: record)),
            accessLevel: record.level,
            risk: record.risk,
            verdict: record.verdict,
            index: index
        )
    }

    private func service(at index: Int) -> CatalogService {
        let record = serviceRecords[index]
        return CatalogService(prefix: record.prefix, name: record.name, actionCount: record.actions.count)
    }

    func name(of record: ActionRecord) -> ArraySlice<UInt8> {
        bytes[Int(record.nameStart)..<Int(record.nameStart + record.nameLength)]
    }

    func serviceIndex(prefix: Substring) -> Int? { serviceIndex(prefixBytes: prefix.utf8) }

    func serviceIndex(prefixBytes wanted: some Collection<UInt8>) -> Int? {
        var low = 0
        var high = serviceRecords.count
        while low < high {
            let middle = (low + high) / 2
            switch compareLowercased(serviceRecords[middle].lowercasedPrefix[...], wanted) {
            case .orderedSame: return middle
            case .orderedAscending: low = middle + 1
            case .orderedDescending: high = middle
            }
        }
        return nil
    }

    private func resourceTypeTemplates(service: Int) -> [String: String] {
        var templates: [String: String] = [:]
        let lines = split(bytes[serviceRecords[service].resourceTypeLines], on: UInt8(ascii: "\n"))
        for line in lines where line.count > 2 {
            let fields = split(line, on: UInt8(ascii: "\t"))
            if fields.count == 3 { templates[string(fields[1]).lowercased()] = string(fields[2]) }
        }
        return templates
    }

    private func string(_ slice: ArraySlice<UInt8>) -> String { String(decoding: slice, as: UTF8.self) }

    private func commaList(_ slice: ArraySlice<UInt8>) -> [String] {
        slice.isEmpty ? [] : split(slice, on: UInt8(ascii: ",")).map(string)
    }

    private func split(_ slice: ArraySlice<UInt8>, on separator: UInt8) -> [ArraySlice<UInt8>] {
        slice.split(separator: separator, omittingEmptySubsequences: false)
    }
}

@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    byte >= 65 && byte <= 90 ? byte | 0x20 : byte
}

/// Compares two byte strings ASCII case-insensitively (the catalog's sort order).
func compareLowercased<Left: Collection<UInt8>, Right: Collection<UInt8>>(_ left: Left, _ right: Right)
    -> ComparisonResult
{
    var leftIndex = left.startIndex
    var rightIndex = right.startIndex
    while leftIndex < left.endIndex && rightIndex < right.endIndex {
        let a = asciiLowercased(left[leftIndex])
        let b = asciiLowercased(right[rightIndex])
        if a != b { return a < b ? .orderedAscending : .orderedDescending }
        left.formIndex(after: &leftIndex)
        right.formIndex(after: &rightIndex)
    }
    let leftDone = leftIndex == left.endIndex
    let rightDone = rightIndex == right.endIndex
    if leftDone && rightDone { return .orderedSame }
    return leftDone ? .orderedAscending : .orderedDescending
}
