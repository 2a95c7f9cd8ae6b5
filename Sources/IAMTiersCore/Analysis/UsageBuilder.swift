/// What to analyse once the events are read.
public struct AnalysisOptions: Sendable {
    /// What was read, and whose calls are the usage (`filter.selection`; none: the only principal).
    public var filter: EventFilter
    public var includeConsole: Bool
    public var includeDenied: Bool

    public init(
        selection: PrincipalSelection? = nil, filter: EventFilter = EventFilter(), includeConsole: Bool = false,
        includeDenied: Bool = false
    ) {
        self.filter = filter
        if let selection { self.filter.selection = selection }
        self.includeConsole = includeConsole
        self.includeDenied = includeDenied
    }
}

public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// Several principals and no selection: the caller lists them so the user can pick.
    case choosePrincipal([PrincipalSeen])
    case noMatchingPrincipal(selection: [String], seen: [PrincipalSeen])

    public var description: String {
        switch self {
        case .choosePrincipal(let seen):
            return "the input holds \(seen.count) principals: choose with --role, --user or --principal"
        case .noMatchingPrincipal(let selection, let seen):
            return "no principal matches \(selection.joined(separator: " "))"
                + (seen.isEmpty ? " (the input has no calls by roles, users or the root user)" : "")
        }
    }
}

/// Turns read events into the usage of the chosen role: maps calls to IAM actions, groups them per
/// action and per person, and adds what the logs cannot show.
public struct UsageBuilder {
    public let catalog: Catalog
    public let mapping: CloudTrailMapping
    public let generator: String
    public let companions: CompanionFinder

    public init(catalog: Catalog, mapping: CloudTrailMapping, generator: String) throws {
        self.catalog = catalog
        self.mapping = mapping
        self.generator = generator
        companions = CompanionFinder(catalog: catalog, mapping: mapping, operations: try OperationActions.bundled())
    }

    /// The principals whose calls are the usage.
    func selectedPrincipals(_ totals: EventTotals, _ summary: InputSummary, _ options: AnalysisOptions) throws
        -> [PrincipalSeen]
    {
        let seen = totals.principalsSeen()
        if let selection = options.filter.selection, !selection.isEmpty {
            let matched = seen.filter { selection.matches($0.kind, $0.arn) }
            guard !matched.isEmpty else {
                throw AnalysisError.noMatchingPrincipal(selection: selection.arguments, seen: seen)
            }
            return matched
        }
        // An Athena rollup is already the selection its query made: every principal in it.
        let onlyRollups = summary.shapes.keys.allSatisfy { $0 == InputShape.athenaCSV.rawValue }
        if seen.count > 1 && !(onlyRollups && !summary.shapes.isEmpty) { throw AnalysisError.choosePrincipal(seen) }
        // An Athena rollup without a principal column already is the usage.
        return seen.isEmpty ? [PrincipalSeen(kind: .unknown, arn: "", events: 0, sessions: 0)] : seen
    }

    public func build(_ totals: EventTotals, _ summary: InputSummary, _ options: AnalysisOptions) throws -> Usage {
        let selected = try selectedPrincipals(totals, summary, options)
        let principals = Set(selected.map(\.arn))
        var events = Usage.Events(
            read: totals.eventsRead, kept: 0, console: 0, denied: 0, onBehalf: 0, otherPrincipals: 0,
            outsideWindow: totals.outsideWindow, otherAccounts: totals.otherAccounts,
            serviceEvents: totals.serviceEvents, dataEvents: 0, dataEventsOfAnyone: 0, noPermission: 0, unmapped: 0,
            malformed: totals.incomplete + summary.malformedRecords)

        var actions: [String: ActionBuilder] = [:]
        var people: [String: PersonBuilder] = [:]
        var unmapped: [PairKey: Usage.UnmappedPair] = [:]
        var noPermission: [PairKey: Usage.RawPair] = [:]
        var mappings: [PairKey: PairMapping] = [:]
        var neededCompanions = CompanionTally()
        var window: (first: EventTime?, last: EventTime?) = (nil, nil)
        var principalEvents: [String: Int] = [:]

        totals.forEachCall { key, tally in
            if key.dataEvent { events.dataEventsOfAnyone += tally.count }
            guard key.principalKind != .service else {
                events.serviceEvents += tally.count
                return
            }
            guard isSelected(key, principals) else {
                events.otherPrincipals += tally.count
                return
            }
            principalEvents[key.principal, default: 0] += tally.count
            if key.dataEvent { events.dataEvents += tally.count }
            if key.denied { events.denied += tally.count } else if key.console { events.console += tally.count }
            let counted = isCounted(key, options)
            if counted && key.onBehalf { events.onBehalf += tally.count }
            if counted {
                window.first = [window.first, tally.first].compactMap { $0 }.min()
                window.last = [window.last, tally.last].compactMap { $0 }.max()
            }

            let pair = PairKey(eventSource: key.eventSource, eventName: key.eventName)
            let mapped = mappings[pair] ?? mapping.map(eventSource: key.eventSource, eventName: key.eventName)
            mappings[pair] = mapped
            switch mapped.outcome {
            case .noPermission:
                events.noPermission += tally.count
                noPermission[
                    pair,
                    default: Usage.RawPair(
                        eventSource: key.eventSource, eventName: key.eventName, count: 0, rule: mapped.rule)
                ].count += tally.count
            case .unmapped(let reason):
                events.unmapped += tally.count
                var entry =
                    unmapped[pair]
                    ?? Usage.UnmappedPair(
                        eventSource: key.eventSource, eventName: key.eventName, count: 0, denied: 0, console: 0,
                        reason: reason, people: [])
                if key.denied { entry.denied += tally.count } else if key.console { entry.console += tally.count }
                if counted {
                    entry.count += tally.count
                    if !key.session.isEmpty && !entry.people.contains(key.session) { entry.people.append(key.session) }
                }
                unmapped[pair] = entry
            case .actions(let targets):
                if counted {
                    events.kept += tally.count
                    neededCompanions.add(
                        companions.companions(of: key, primary: targets, fact: nil, observed: []), key, tally.count)
                }
                for action in targets {
                    actions[action.fullName, default: ActionBuilder(action: action)]
                        .add(key, tally, counted: counted, rule: mapped.rule)
                    if !key.session.isEmpty {
                        people[key.session, default: PersonBuilder()].add(action.fullName, key, tally, counted: counted)
                    }
                }
            }
        }

        let actionUsage = actions.values.map { $0.usage() }.sorted { $0.action.lowercased() < $1.action.lowercased() }
        let observed = Set(actionUsage.filter { $0.count > 0 }.map(\.action))
        totals.forEachFact { key, fact, count in
            guard isSelected(key, principals), isCounted(key, options) else { return }
            let pair = PairKey(eventSource: key.eventSource, eventName: key.eventName)
            guard
                case .actions(let targets) =
                    (mappings[pair] ?? mapping.map(eventSource: key.eventSource, eventName: key.eventName)).outcome
            else { return }
            neededCompanions.add(
                companions.companions(of: key, primary: targets, fact: fact, observed: observed), key, count)
        }
        var usage = Usage(
            generator: generator,
            catalog: Usage.CatalogStamp(date: catalog.info.date, version: catalog.info.version),
            provenance: Usage.Provenance(
                inputs: summary.inputs,
                files: Usage.Files(
                    read: summary.filesRead, skipped: summary.filesSkipped, unreadable: summary.filesUnreadable,
                    bytes: summary.bytesRead),
                events: events,
                window: window.first.flatMap { first in window.last.map { Usage.Window(first: first, last: $0) } },
                filters: Usage.Filters(
                    selection: options.filter.selection?.arguments ?? [], since: options.filter.since,
                    until: options.filter.until,
                    account: options.filter.account, includeConsole: options.includeConsole,
                    includeDenied: options.includeDenied),
                shapes: summary.shapes,
                problems: summary.problems),
            principals: selected.filter { !$0.arn.isEmpty }.sorted { $0.arn < $1.arn }.map {
                Usage.PrincipalSummary(
                    arn: $0.arn, type: $0.kind.label, events: principalEvents[$0.arn] ?? 0, sessions: $0.sessions)
            },
            actions: actionUsage,
            people: people.map { $0.value.usage(name: $0.key) }.filter { $0.calls + $0.denied > 0 }
                .sorted { $0.name < $1.name },
            unmapped: unmapped.values.map { entry in
                var sorted = entry
                sorted.people.sort()
                return sorted
            }.sorted { ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName) },
            noPermission: noPermission.values.sorted {
                ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName)
            },
            signIns: signIns(totals, principals),
            companions: neededCompanions.sorted(),
            hints: [])
        usage.hints = UsageHints(companions: companions).hints(for: usage)
        return usage
    }

    /// A call of the selected principals (an Athena rollup without a principal column is all selected).
    private func isSelected(_ key: CallKey, _ principals: Set<String>) -> Bool {
        principals.contains(key.principal) && (key.principalKind.isPerson || key.principal.isEmpty)
    }

    /// A call counted as usage: console page views and refused calls only when asked for.
    private func isCounted(_ key: CallKey, _ options: AnalysisOptions) -> Bool {
        (!key.console || options.includeConsole) && (!key.denied || options.includeDenied)
    }

    private func signIns(_ totals: EventTotals, _ principals: Set<String>) -> [Usage.SignIn] {
        totals.signIns.filter { principals.contains($0.key.roleArn) }
            .map { key, value in
                Usage.SignIn(
                    roleArn: key.roleArn, user: key.user, count: value.tally.count, firstSeen: value.tally.first,
                    lastSeen: value.tally.last, sourceAddresses: value.sourceAddresses.count)
            }
            .sorted { ($0.roleArn, $0.user) < ($1.roleArn, $1.user) }
    }
}

struct PairKey: Hashable {
    var eventSource: String
    var eventName: String
}

/// Companions as the calls that needed them add up: one entry per companion, needing action and rule.
private struct CompanionTally {
    private struct Key: Hashable {
        var action: String
        var neededBy: String
        var rule: String
    }

    private var byKey: [Key: Usage.Companion] = [:]

    mutating func add(
        _ found: [(
            action: String, neededBy: String, rule: String, reason: String, resource: String?, passedTo: String?
        )],
        _ call: CallKey, _ count: Int
    ) {
        for companion in found {
            let key = Key(action: companion.action, neededBy: companion.neededBy, rule: companion.rule)
            var entry =
                byKey[key]
                ?? Usage.Companion(
                    action: companion.action, neededBy: companion.neededBy, rule: companion.rule,
                    reason: companion.reason, calls: 0, people: [], sources: [], resources: [], passedTo: [])
            entry.calls += count
            if !call.session.isEmpty && !entry.people.contains(call.session) { entry.people.append(call.session) }
            let source = "\(call.eventSource) \(call.eventName)"
            if !entry.sources.contains(source) { entry.sources.append(source) }
            if let resource = companion.resource, !entry.resources.contains(resource) {
                entry.resources.append(resource)
            }
            if let service = companion.passedTo, !entry.passedTo.contains(service) { entry.passedTo.append(service) }
            byKey[key] = entry
        }
    }

    /// Sorted, and so are their lists: the usage file diffs cleanly.
    func sorted() -> [Usage.Companion] {
        byKey.values.map { entry in
            var sorted = entry
            sorted.people.sort()
            sorted.sources.sort()
            sorted.resources.sort()
            sorted.passedTo.sort()
            return sorted
        }
        .sorted {
            ($0.action.lowercased(), $0.neededBy.lowercased(), $0.rule) < (
                $1.action.lowercased(), $1.neededBy.lowercased(), $1.rule
            )
        }
    }
}

private struct ActionBuilder {
    let action: CatalogAction
    var count = 0
    var denied = 0
    var console = 0
    var onBehalf = 0
    var first: EventTime?
    var last: EventTime?
    var people = Set<String>()
    var sources: [PairKey: Usage.SourcePair] = [:]

    init(action: CatalogAction) { self.action = action }

    mutating func add(_ key: CallKey, _ tally: CallTally, counted: Bool, rule: String) {
        let pair = PairKey(eventSource: key.eventSource, eventName: key.eventName)
        var source =
            sources[pair]
            ?? Usage.SourcePair(
                eventSource: key.eventSource, eventName: key.eventName, count: 0, denied: 0, console: 0, onBehalf: 0,
                rule: rule)
        if key.denied {
            denied += tally.count
            source.denied += tally.count
        } else if key.console {
            console += tally.count
            source.console += tally.count
        }
        if counted {
            count += tally.count
            source.count += tally.count
            if key.onBehalf {
                onBehalf += tally.count
                source.onBehalf += tally.count
            }
            first = [first, tally.first].compactMap { $0 }.min()
            last = [last, tally.last].compactMap { $0 }.max()
            if !key.session.isEmpty { people.insert(key.session) }
        }
        sources[pair] = source
    }

    func usage() -> Usage.ActionUsage {
        Usage.ActionUsage(
            action: action.fullName, accessLevel: action.accessLevel, risk: action.risk.flags.names, count: count,
            denied: denied, console: console, onBehalf: onBehalf, firstSeen: first, lastSeen: last,
            people: people.sorted(),
            sources: sources.values.sorted { ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName) })
    }
}

private struct PersonBuilder {
    var actions: [String: Usage.PersonAction] = [:]
    var first: EventTime?
    var last: EventTime?

    mutating func add(_ action: String, _ key: CallKey, _ tally: CallTally, counted: Bool) {
        var entry = actions[action] ?? Usage.PersonAction(action: action, count: 0, denied: 0)
        if key.denied { entry.denied += tally.count }
        if counted {
            entry.count += tally.count
            first = [first, tally.first].compactMap { $0 }.min()
            last = [last, tally.last].compactMap { $0 }.max()
        }
        actions[action] = entry
    }

    func usage(name: String) -> Usage.PersonUsage {
        let list = actions.values.filter { $0.count + $0.denied > 0 }.sorted {
            $0.action.lowercased() < $1.action.lowercased()
        }
        return Usage.PersonUsage(
            name: name, calls: list.reduce(0) { $0 + $1.count }, denied: list.reduce(0) { $0 + $1.denied },
            firstSeen: first, lastSeen: last, actions: list)
    }
}
