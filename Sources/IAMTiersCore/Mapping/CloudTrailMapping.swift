import Foundation

/// How one CloudTrail `(eventSource, eventName)` pair maps to IAM actions.
public struct PairMapping: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// The IAM actions the call needs (one or more; never empty).
        case actions([CatalogAction])
        /// A call AWS does not authorise with IAM (sts:GetCallerIdentity, signin:ConsoleLogin, …).
        case noPermission
        /// No rule and no catalog action fits; the reason says what was tried.
        case unmapped(reason: String)
    }

    public let outcome: Outcome
    /// The steps that produced the outcome, e.g. `host monitoring.amazonaws.com -> cloudwatch (…)`, `direct`.
    public let rule: String
}

/// The CloudTrail to IAM name rules (`Resources/cloudtrail-mapping.tsv`) applied against the catalog.
public struct CloudTrailMapping: Sendable {
    struct Rule: Sendable {
        var targets: [String]
        var source: String
    }

    let hostPrefixes: [String: Rule]
    let eventRules: [String: Rule]
    let noPermission: [String: Rule]
    let catalog: Catalog

    public enum LoadError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case malformed(line: Int, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "cannot read the mapping rules \(path)"
            case .malformed(let line, let reason): return "cloudtrail-mapping.tsv line \(line): \(reason)"
            }
        }
    }

    /// The rules shipped with iamtiers.
    public static func bundled(catalog: Catalog) throws -> CloudTrailMapping {
        guard let path = Bundle.module.path(forResource: "cloudtrail-mapping", ofType: "tsv"),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { throw LoadError.unreadable("cloudtrail-mapping.tsv") }
        return try CloudTrailMapping(rules: text, catalog: catalog)
    }

    public init(rules text: String, catalog: Catalog) throws {
        var hosts: [String: Rule] = [:]
        var events: [String: Rule] = [:]
        var free: [String: Rule] = [:]
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else {
                throw LoadError.malformed(line: offset + 1, reason: "expected 4 TAB-separated fields")
            }
            let targets = fields[2].split(separator: ",").map(String.init)
            let rule = Rule(targets: targets, source: fields[3])
            switch fields[0] {
            case "host": hosts[fields[1].lowercased()] = rule
            case "event":
                for target in targets where catalog.action(named: target) == nil {
                    throw LoadError.malformed(line: offset + 1, reason: "\(target) is not in the catalog")
                }
                events[fields[1].lowercased()] = rule
            case "no-permission": free[fields[1].lowercased()] = rule
            default: throw LoadError.malformed(line: offset + 1, reason: "unknown rule kind '\(fields[0])'")
            }
        }
        hostPrefixes = hosts
        eventRules = events
        noPermission = free
        self.catalog = catalog
    }

    /// The IAM service prefix of an eventSource host, and the rule used when it is not the first label.
    public func prefix(ofEventSource eventSource: String) -> (prefix: String, rule: String?) {
        let host = eventSource.lowercased()
        if let rule = hostPrefixes[host], let prefix = rule.targets.first {
            return (prefix, "host \(eventSource) -> \(prefix) (\(rule.source))")
        }
        return (String(host.split(separator: ".", maxSplits: 1).first ?? ""), nil)
    }

    public func map(eventSource: String, eventName: String) -> PairMapping {
        let (prefix, hostRule) = prefix(ofEventSource: eventSource)
        func result(_ outcome: PairMapping.Outcome, _ step: String) -> PairMapping {
            PairMapping(outcome: outcome, rule: [hostRule, step].compactMap { $0 }.joined(separator: "; "))
        }
        guard !prefix.isEmpty, !eventName.isEmpty else {
            return result(.unmapped(reason: "empty eventSource or eventName"), "none")
        }
        var name = eventName
        var suffixStep: String?
        while true {
            let key = "\(prefix):\(name)".lowercased()
            if let rule = noPermission[key] {
                return result(
                    .noPermission,
                    [suffixStep, "no permission needed (\(rule.source))"].compactMap { $0 }.joined(separator: "; "))
            }
            if let rule = eventRules[key] {
                let actions = rule.targets.compactMap(catalog.action(named:))
                return result(
                    .actions(actions),
                    [suffixStep, "renamed (\(rule.source))"].compactMap { $0 }.joined(separator: "; "))
            }
            if let action = catalog.action(named: "\(prefix):\(name)") {
                return result(.actions([action]), suffixStep.map { "\($0); direct" } ?? "direct")
            }
            guard suffixStep == nil, let stripped = strippingVersionSuffix(name) else { break }
            suffixStep = "API-version suffix stripped (\(eventName) -> \(stripped))"
            name = stripped
        }
        let reason =
            catalog.service(prefix: prefix) == nil
            ? "no IAM service '\(prefix)' in the catalog" : "no action \(prefix):\(eventName) in the catalog"
        return result(.unmapped(reason: reason), "none")
    }
}

/// `ListFunctions20150331` -> `ListFunctions`, `GetFunction20150331v2` -> `GetFunction`,
/// `CreateDistribution2020_05_31` -> `CreateDistribution`; nil when there is no such suffix.
func strippingVersionSuffix(_ name: String) -> String? {
    // Every suffix ends in a digit; most names do not, and this runs for every pair analysed.
    guard let last = name.utf8.last, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(last) else { return nil }
    var characters = Array(name)
    // Optional `v<digits>` after an eight-digit date.
    var end = characters.count
    while end > 0 && characters[end - 1].isASCII && characters[end - 1].isNumber { end -= 1 }
    if end < characters.count && end > 0 && characters[end - 1] == "v" {
        characters.removeSubrange((end - 1)...)
    }
    let text = String(characters)
    for pattern in ["dddddddd", "dddd_dd_dd"] where text.count > pattern.count {
        let tail = text.suffix(pattern.count)
        let matches = zip(tail, pattern).allSatisfy { character, kind in
            kind == "d" ? character.isASCII && character.isNumber : character == kind
        }
        if matches { return String(text.dropLast(pattern.count)) }
    }
    return nil
}
