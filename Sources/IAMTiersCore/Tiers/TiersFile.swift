import Foundation
import SafeText
import Yams

/// Reads and writes `tiers.yaml`. Written for people and diffs: tiers in ladder order, actions
/// sorted by service then name, one action a line with its rule and note beside it, and the same
/// bytes every time the same tiers are saved.
public enum TiersFile {
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var message: String

        public var description: String { line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)" }
    }

    /// A tiers file that loaded, and what is questionable in it (settings that were clamped).
    public struct Loaded: Sendable {
        public var tiers: TierSet
        public var warnings: [String]
    }

    // MARK: Writing

    public static func text(of set: TierSet) -> String {
        var lines = [
            "# iamtiers tier definitions: the roles that replace an administrator role used by people.",
            "# Tiers are listed lowest first; each action sits in the lowest tier that should have it.",
            "# Check with: iamtiers check tiers.yaml",
            "format: \(TierSet.format)",
            "source:",
        ]
        if let usage = set.source.usage { lines.append("  usage: \(yamlScalar(usage))") }
        lines.append("  catalog: \(yamlScalar(set.source.catalogDate))")
        lines.append("  generator: \(yamlScalar(set.source.generator))")
        if !set.compressedServices.isEmpty { lines.append("compress: \(flowList(set.compressedServices.sorted()))") }
        lines.append("tiers:")
        for tier in set.tiers {
            lines.append("  - name: \(yamlScalar(tier.name))")
            lines.append("    role: \(yamlScalar(tier.roleName))")
            lines.append("    description: \(yamlScalar(tier.description))")
            lines.append("    max-session-hours: \(tier.maxSessionHours)")
            lines.append("    alert-on-use: \(tier.alertOnUse)")
            lines.append("    inherits: \(tier.inherits)")
            lines.append("    configuration-read-only: \(tier.configurationReadOnly)")
            lines.append("    container: \(tier.container.rawValue)")
            lines.append("    attach: \(flowList(tier.attachedPolicies))")
            lines.append("    patterns: \(flowList(tier.patterns.sorted()))")
            lines.append("    deny: \(flowList(tier.deny.sorted()))")
            if tier.actions.isEmpty {
                lines.append("    actions: []")
            } else {
                lines.append("    actions:")
                for assignment in sortedAssignments(tier.actions) { lines.append("      - \(actionLine(assignment))") }
            }
        }
        if set.openItems.isEmpty {
            lines.append("open-items: []")
        } else {
            lines.append("open-items:")
            for item in set.openItems {
                let fields =
                    [
                        ("kind", item.kind.rawValue), ("action", item.action), ("text", item.text),
                        ("resolved", item.resolution),
                    ]
                    .compactMap { name, value in value.map { "\(name): \(yamlScalar($0))" } }
                lines.append("  - {\(fields.joined(separator: ", "))}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func save(_ set: TierSet, to path: String) throws {
        try AtomicFile.write(Data(text(of: set).utf8), to: path)
    }

    /// By service, then action name, case-insensitively: the order every list of actions is shown in.
    /// The order actions are written and held in: by name ignoring case, ties broken so the order
    /// never depends on the order they came in.
    public static func sortedAssignments(_ assignments: [Assignment]) -> [Assignment] {
        assignments.sorted {
            ($0.action.lowercased(), $0.action, $0.rule ?? "", $0.note ?? "")
                < ($1.action.lowercased(), $1.action, $1.rule ?? "", $1.note ?? "")
        }
    }

    private static func actionLine(_ assignment: Assignment) -> String {
        var fields: [String] = []
        if let rule = assignment.rule, !rule.isEmpty { fields.append("rule: \(yamlScalar(rule))") }
        if let note = assignment.note, !note.isEmpty { fields.append("note: \(yamlScalar(note))") }
        if !assignment.scopes.isEmpty {
            let scopes = assignment.scopes.map { scope in
                "{resources: \(flowList(scope.resources))"
                    + (scope.passedTo.isEmpty ? "" : ", passed-to: \(flowList(scope.passedTo))") + "}"
            }
            fields.append("scopes: [\(scopes.joined(separator: ", "))]")
        }
        guard !fields.isEmpty else { return yamlScalar(assignment.action) }
        return "{action: \(yamlScalar(assignment.action)), " + fields.joined(separator: ", ") + "}"
    }

    private static func flowList(_ values: [String]) -> String {
        "[" + values.map(yamlScalar).joined(separator: ", ") + "]"
    }

    /// A YAML scalar on one line: plain when that reads back as the same string, else double-quoted.
    static func yamlScalar(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:/@*?+()'".contains($0)) }
        let ambiguous =
            ["true", "false", "yes", "no", "on", "off", "null", "~", ""].contains(text.lowercased())
            // A plain scalar must not start like a number, an indicator, an alias or an anchor.
            || text.first.map { $0.isNumber || "-?:'@*+.".contains($0) } == true
        if safe && !ambiguous { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            // YAML reads these three as line breaks.
            case "\u{85}": quoted += "\\N"
            case "\u{2028}": quoted += "\\L"
            case "\u{2029}": quoted += "\\P"
            // Escaped, not raw: a reviewer reading the diff sees a bidi control or a C1 byte as such.
            case _ where SafeText.isUnsafe(scalar) && scalar.value <= 0xFF:
                quoted += String(format: "\\x%02X", scalar.value)
            case _ where SafeText.isUnsafe(scalar): quoted += String(format: "\\u%04X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    // MARK: Reading

    public static func load(_ path: String, catalog: Catalog) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, line: nil, message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, catalog: catalog)
    }

    public static func parse(_ text: String, path: String, catalog: Catalog) throws -> Loaded {
        let root: Node?
        do {
            // Every value is read as text and checked by the reader: no resolver regexes per scalar.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw LoadError(path: path, line: yamlErrorLine(error), message: "not valid YAML: \(yamlProblem(error))")
        }
        var reader = Reader(path: path, catalog: catalog)
        let set = try reader.read(root)
        return Loaded(tiers: set, warnings: reader.warnings)
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            // Yams' own text quotes the whole file; the line is enough.
            return "a field appears twice in the same place: " + duplicates.sorted().joined(separator: ", ")
        default: return "\(error)"
        }
    }

    /// Walks the YAML tree, checking every field, and remembers where each action was assigned.
    private struct Reader {
        let path: String
        let catalog: Catalog
        var warnings: [String] = []
        var assignedAt: [String: (tier: String, line: Int?)] = [:]

        init(path: String, catalog: Catalog) {
            self.path = path
            self.catalog = catalog
        }

        func fail(_ node: Node?, _ message: String) -> LoadError {
            LoadError(path: path, line: node?.mark?.line, message: message)
        }

        func mapping(_ node: Node?, _ what: String) throws -> [(key: String, value: Node, keyNode: Node)] {
            guard let mapping = node?.mapping else { throw fail(node, "\(what) must be a mapping") }
            return mapping.map { (key: $0.key.string ?? "", value: $0.value, keyNode: $0.key) }
        }

        func string(_ node: Node, _ field: String) throws -> String {
            guard let scalar = node.scalar else { throw fail(node, "\(field) must be text") }
            return scalar.string
        }

        /// Text that may be absent: YAML's null (`~`, `null`, nothing) written plainly means none,
        /// so `note: ~` never reads as a note accepting a risk.
        func optionalString(_ node: Node, _ field: String) throws -> String? {
            let text = try string(node, field)
            let isNull = node.scalar?.style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)
            return isNull ? nil : text
        }

        func strings(_ node: Node, _ field: String) throws -> [String] {
            guard let sequence = node.sequence else { throw fail(node, "\(field) must be a list") }
            return try sequence.map { try string($0, field) }
        }

        func bool(_ node: Node, _ field: String) throws -> Bool {
            switch node.scalar?.string.lowercased() {
            case "true": return true
            case "false": return false
            default: throw fail(node, "\(field) must be true or false")
            }
        }

        mutating func read(_ root: Node?) throws -> TierSet {
            var source = TierSet.Source(usage: nil, catalogDate: "", generator: "")
            var tiers: [Tier] = []
            var openItems: [TierSet.OpenItem] = []
            var compressed: Set<String> = []
            var format: String?
            var tiersNode: Node?
            for (key, value, keyNode) in try mapping(root, "the file") {
                switch key {
                case "format": format = try string(value, "format")
                case "source":
                    for (field, item, fieldNode) in try mapping(value, "source") {
                        switch field {
                        case "usage": source.usage = try string(item, "usage")
                        case "catalog": source.catalogDate = try string(item, "catalog")
                        case "generator": source.generator = try string(item, "generator")
                        default: throw fail(fieldNode, "unknown field '\(field)' in source")
                        }
                    }
                case "compress": compressed = Set(try strings(value, "compress").map { $0.lowercased() })
                case "tiers":
                    guard let sequence = value.sequence else { throw fail(value, "tiers must be a list") }
                    for node in sequence { tiers.append(try readTier(node)) }
                    tiersNode = value
                case "open-items":
                    guard let sequence = value.sequence else { throw fail(value, "open-items must be a list") }
                    for node in sequence {
                        var item = TierSet.OpenItem(kind: .unmapped, text: "")
                        var kind: TierSet.OpenItem.Kind?
                        for (field, fieldValue, fieldNode) in try mapping(node, "an open item") {
                            switch field {
                            case "kind":
                                let name = try string(fieldValue, "kind")
                                guard let known = TierSet.OpenItem.Kind(rawValue: name) else {
                                    throw fail(
                                        fieldValue,
                                        "unknown kind '\(name)' of an open item (known: "
                                            + TierSet.OpenItem.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                                            + ")")
                                }
                                kind = known
                            case "action": item.action = try string(fieldValue, "action")
                            case "text": item.text = try string(fieldValue, "text")
                            case "resolved": item.resolution = try string(fieldValue, "resolved")
                            default: throw fail(fieldNode, "unknown field '\(field)' in an open item")
                            }
                        }
                        guard let kind else { throw fail(node, "an open item needs a kind") }
                        item.kind = kind
                        openItems.append(item)
                    }
                default: throw fail(keyNode, "unknown field '\(key)'")
                }
            }
            guard let format else { throw fail(root, "no 'format' field: is this a tiers file?") }
            guard format == TierSet.format else {
                throw fail(root, "format '\(format)' is not supported (this iamtiers reads \(TierSet.format))")
            }
            if tiers.isEmpty { throw fail(tiersNode ?? root, "no tiers: the ladder needs at least one tier") }
            for (index, tier) in tiers.enumerated() {
                guard ExportName.isWritable(tier.name) else {
                    throw fail(
                        root, "tier '\(tier.name)' needs a name with letters or digits (exports name resources by them)"
                    )
                }
                if let other = tiers[..<index].first(where: { ExportName.collide($0.name, tier.name) }) {
                    throw fail(
                        root,
                        other.name.lowercased() == tier.name.lowercased()
                            ? "two tiers have the same name"
                            : "tiers '\(other.name)' and '\(tier.name)' would have the same name in exports (\(ExportName.snake(tier.name)))"
                    )
                }
            }
            return TierSet(source: source, tiers: tiers, openItems: openItems, compressedServices: compressed)
        }

        mutating func readTier(_ node: Node) throws -> Tier {
            var tier = Tier(name: "", roleName: "")
            var sessionNode: Node?
            for (key, value, keyNode) in try mapping(node, "a tier") {
                switch key {
                case "name": tier.name = try string(value, "name")
                case "role": tier.roleName = try string(value, "role")
                case "description": tier.description = try string(value, "description")
                case "max-session-hours":
                    guard let hours = Int(try string(value, "max-session-hours")) else {
                        throw fail(value, "max-session-hours must be a whole number of hours")
                    }
                    tier.maxSessionHours = hours
                    sessionNode = value
                case "alert-on-use": tier.alertOnUse = try bool(value, "alert-on-use")
                case "inherits": tier.inherits = try bool(value, "inherits")
                case "configuration-read-only":
                    tier.configurationReadOnly = try bool(value, "configuration-read-only")
                case "container":
                    let text = try string(value, "container")
                    guard let container = PolicyContainer(rawValue: text) else {
                        let known = PolicyContainer.allCases.map(\.rawValue).joined(separator: ", ")
                        throw fail(value, "container '\(text)' is not one of \(known)")
                    }
                    tier.container = container
                case "attach": tier.attachedPolicies = try strings(value, "attach")
                case "patterns":
                    tier.patterns = try strings(value, "patterns")
                    for pattern in tier.patterns {
                        do { _ = try ActionPattern(pattern) } catch { throw fail(value, "\(error)") }
                    }
                case "deny":
                    tier.deny = try strings(value, "deny")
                    for pattern in tier.deny {
                        do { _ = try ActionPattern(pattern) } catch { throw fail(value, "\(error)") }
                    }
                case "actions":
                    guard let sequence = value.sequence else { throw fail(value, "actions must be a list") }
                    for item in sequence { tier.actions.append(try readAssignment(item, tier: tier.name)) }
                default: throw fail(keyNode, "unknown field '\(key)' in tier '\(tier.name)'")
                }
            }
            guard !tier.name.isEmpty else { throw fail(node, "a tier needs a name") }
            if tier.roleName.isEmpty { tier.roleName = "iamtiers-" + tier.name.lowercased() }
            tier.maxSessionHours = try checkedSession(tier.maxSessionHours, tier: tier.name, node: sessionNode)
            // Held in the order they are written, so a hand-sorted file loads equal to its own save.
            tier.actions = TiersFile.sortedAssignments(tier.actions)
            tier.patterns.sort()
            tier.deny.sort()
            return tier
        }

        mutating func readAssignment(_ node: Node, tier: String) throws -> Assignment {
            var assignment = Assignment(action: "")
            if let scalar = node.scalar {
                assignment.action = scalar.string
            } else {
                for (key, value, keyNode) in try mapping(node, "an action") {
                    switch key {
                    case "action": assignment.action = try string(value, "action")
                    case "rule": assignment.rule = try optionalString(value, "rule")
                    case "note": assignment.note = try optionalString(value, "note")
                    case "scopes":
                        guard let sequence = value.sequence else { throw fail(value, "scopes must be a list") }
                        assignment.scopes = try sequence.map(readScope)
                    default: throw fail(keyNode, "unknown field '\(key)' of an action")
                    }
                }
            }
            guard let known = catalog.action(named: assignment.action) else {
                let suggestions = catalog.suggestions(for: assignment.action).map(\.fullName)
                let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
                throw fail(node, "unknown action '\(assignment.action)' (IAM catalog of \(catalog.info.date))\(hint)")
            }
            assignment.action = known.fullName
            if !assignment.companionOf.isEmpty {
                // The actions a companion serves, in canonical case, as everything else compares them.
                let served = try assignment.companionOf.map { name in
                    guard let action = catalog.action(named: name) else {
                        throw fail(
                            node,
                            "companion-of names '\(name)', which is not in the IAM catalog of \(catalog.info.date)")
                    }
                    return action.fullName
                }
                assignment.rule = Assignment.companionRule(of: served)
            }
            if assignment.scopes.contains(where: { !$0.passedTo.isEmpty }) && known.fullName != "iam:PassRole" {
                throw fail(
                    node, "passed-to is the iam:PassedToService condition of iam:PassRole, not of \(known.fullName)")
            }
            let key = known.fullName.lowercased()
            if let first = assignedAt[key] {
                let place = first.line.map { "line \($0)" } ?? "another line"
                throw fail(
                    node,
                    "\(known.fullName) is already assigned to tier '\(first.tier)' (\(place)); an action belongs to one tier"
                )
            }
            assignedAt[key] = (tier, node.mark?.line)
            return assignment
        }

        /// `{resources: [ARN, …], passed-to: [service, …]}`: resources are ARNs, and there are some.
        func readScope(_ node: Node) throws -> Assignment.Scope {
            var resources: [String] = []
            var passedTo: [String] = []
            for (key, value, keyNode) in try mapping(node, "a scope") {
                switch key {
                case "resources": resources = try strings(value, "resources")
                case "passed-to": passedTo = try strings(value, "passed-to")
                default: throw fail(keyNode, "unknown field '\(key)' of a scope")
                }
            }
            guard !resources.isEmpty else { throw fail(node, "a scope needs its resources") }
            if let bad = resources.first(where: { !$0.hasPrefix("arn:") }) {
                throw fail(node, "resources are ARNs, not '\(bad)'")
            }
            return Assignment.Scope(resources: resources, passedTo: passedTo)
        }

        /// IAM roles and permission sets allow sessions of 1 to 12 hours (MaxSessionDuration 3,600 to
        /// 43,200 seconds): longer is clamped with a warning, shorter is an error.
        mutating func checkedSession(_ hours: Int, tier: String, node: Node?) throws -> Int {
            if hours < 1 { throw fail(node, "max-session-hours of tier '\(tier)' must be at least 1") }
            if hours > 12 {
                let line = node?.mark.map { ":\($0.line)" } ?? ""
                warnings.append(
                    "\(path)\(line): tier '\(tier)' asks for \(hours) h sessions; IAM roles allow at most 12 h "
                        + "(MaxSessionDuration 43,200 s), so 12 h is used")
                return 12
            }
            return hours
        }
    }
}
