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
public struct UsageBuilder: Sendable {
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
        var rollup = CallRollup(totals: totals, principals: principals, options: options, builder: self)
        for (key, tally) in totals.tallies.entries { rollup.add(key, tally) }
        let actionUsage = rollup.actionUsage()
        let observed = Set(actionUsage.filter { $0.count > 0 }.map(\.action))
        for (key, tally) in totals.facts.entries { rollup.add(key, tally.count, observed: observed) }

        let strings = totals.strings
        let events = rollup.events
        var usage = Usage(
            generator: generator,
            catalog: Usage.CatalogStamp(date: catalog.info.date, version: catalog.info.version),
            provenance: Usage.Provenance(
                inputs: summary.inputs,
                files: Usage.Files(
                    read: summary.filesRead, skipped: summary.filesSkipped, unreadable: summary.filesUnreadable,
                    bytes: summary.bytesRead),
                events: Usage.Events(
                    read: totals.eventsRead, kept: events.kept, console: events.console, denied: events.denied,
                    onBehalf: events.onBehalf, otherPrincipals: events.otherPrincipals,
                    outsideWindow: totals.outsideWindow, otherAccounts: totals.otherAccounts,
                    serviceEvents: totals.serviceEvents + events.serviceEvents, dataEvents: events.dataEvents,
                    dataEventsOfAnyone: events.dataEventsOfAnyone, noPermission: events.noPermission,
                    unmapped: events.unmapped, malformed: totals.incomplete + summary.malformedRecords),
                window: rollup.window.firstSeen.flatMap { first in
                    rollup.window.lastSeen.map { Usage.Window(first: first, last: $0) }
                },
                filters: Usage.Filters(
                    selection: options.filter.selection?.arguments ?? [], since: options.filter.since,
                    until: options.filter.until,
                    account: options.filter.account, includeConsole: options.includeConsole,
                    includeDenied: options.includeDenied),
                shapes: summary.shapes,
                problems: summary.problems),
            principals: selected.filter { !$0.arn.isEmpty }.sorted { $0.arn < $1.arn }.map {
                Usage.PrincipalSummary(
                    arn: $0.arn, type: $0.kind.label,
                    events: totals.id(of: $0.arn).map { rollup.events(ofPrincipal: $0) } ?? 0,
                    sessions: $0.sessions)
            },
            actions: actionUsage,
            people: rollup.people.map { $0.builder.usage(name: strings[Int($0.session)], rollup.actions) }
                .filter { $0.calls + $0.denied > 0 }.sorted { $0.name < $1.name },
            unmapped: rollup.unmapped.map { $0.usage(strings) }.sorted {
                ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName)
            },
            noPermission: rollup.noPermission.sorted {
                ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName)
            },
            signIns: signIns(totals, principals),
            companions: rollup.companions.sorted(strings: strings, pairs: rollup.pairs),
            hints: [])
        usage.hints = UsageHints(companions: companions).hints(for: usage)
        return usage
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

/// The call groups of the selected principals rolled up per action, person and unexplained call,
/// working on the input's string ids: the text of a pair is mapped once, however many people and
/// sessions made that call, and where each call group's counts go is found by index.
private struct CallRollup {
    struct Counts {
        var kept = 0, console = 0, denied = 0, onBehalf = 0, otherPrincipals = 0, serviceEvents = 0
        var dataEvents = 0, dataEventsOfAnyone = 0, noPermission = 0, unmapped = 0
    }

    /// An (eventSource, eventName) by the input's string ids.
    struct PairID: QuickHashable {
        var eventSource: Int32
        var eventName: Int32

        var quickHash: UInt64 {
            QuickHash.finish(
                QuickHash.mix(
                    QuickHash.start(2),
                    UInt64(UInt32(bitPattern: eventSource)) | UInt64(UInt32(bitPattern: eventName)) << 32))
        }
    }

    /// One (eventSource, eventName) as the input spelled it, mapped.
    struct Pair {
        /// Where its calls are counted.
        enum Target {
            /// The builders of the actions it maps to, and its place among each one's sources.
            case actions([(action: Int, source: Int)])
            /// Its entry in `noPermission`.
            case noPermission(Int)
            /// Its entry in `unmapped`.
            case unmapped(Int)
        }

        let call: CallKey
        let mapping: PairMapping
        let target: Target
        /// What its calls need whatever their requests showed (batch items).
        var companions: [CompanionFinder.Need] = []
        /// Those companions' entries, found when a counted call first needs them.
        var companionEntries: [Int]?
    }

    /// A request fact of a pair's calls, which decides its companions.
    struct FactKey: Hashable {
        var pair: Int
        var kind: RequestFact.Kind
        var value: Int32
        var onBehalf: Bool
    }

    let totals: EventTotals
    let options: AnalysisOptions
    let builder: UsageBuilder
    private let emptyString: Int32?
    /// By string id: the selected principal's entry in `principalEvents`, or -1.
    private var principalSlots: [Int32]
    private var principalEvents: [Int]
    /// By string id: the session's entry in `people`, or -1.
    private var personSlots: [Int32]
    var events = Counts()
    var window = EventTotals.Tally()
    private var pairIndex = QuickIndex<PairID, Void>()
    private(set) var pairs: [Pair] = []
    private(set) var actions: [ActionBuilder] = []
    private var actionIndex: [String: Int] = [:]
    private(set) var people: [(session: Int32, builder: PersonBuilder)] = []
    private(set) var unmapped: [UnmappedBuilder] = []
    private(set) var noPermission: [Usage.RawPair] = []
    private(set) var companions = CompanionTally()
    /// The companion entries each request fact leads to.
    private var factCompanions: [FactKey: [Int]] = [:]

    init(totals: EventTotals, principals: Set<String>, options: AnalysisOptions, builder: UsageBuilder) {
        self.totals = totals
        self.options = options
        self.builder = builder
        emptyString = totals.id(of: "")
        let selected = principals.compactMap(totals.id(of:))
        principalSlots = [Int32](repeating: -1, count: totals.strings.count)
        for (slot, id) in selected.enumerated() { principalSlots[Int(id)] = Int32(slot) }
        principalEvents = [Int](repeating: 0, count: selected.count)
        personSlots = [Int32](repeating: -1, count: totals.strings.count)
    }

    /// A call of the selected principals (an Athena rollup without a principal column is all
    /// selected); what services did on their own is never usage.
    private func isSelected(_ key: EventTotals.CallIDs) -> Bool {
        key.principalKind != .service && principalSlots[Int(key.principal)] >= 0
            && (key.principalKind.isPerson || key.principal == emptyString)
    }

    /// A call counted as usage: console page views and refused calls only when asked for.
    private func isCounted(_ flags: UInt8) -> Bool {
        (flags & EventTotals.consoleFlag == 0 || options.includeConsole)
            && (flags & EventTotals.deniedFlag == 0 || options.includeDenied)
    }

    func events(ofPrincipal id: Int32) -> Int {
        let slot = principalSlots[Int(id)]
        return slot >= 0 ? principalEvents[Int(slot)] : 0
    }

    /// The pair's index, mapped the first time it is seen.
    private mutating func pair(_ key: EventTotals.CallIDs) -> Int {
        let (index, inserted) = pairIndex.insert(PairID(eventSource: key.eventSource, eventName: key.eventName))
        if inserted { pairs.append(mappedPair(key)) }
        return index
    }

    private mutating func mappedPair(_ key: EventTotals.CallIDs) -> Pair {
        var call = totals.callKey(key)
        (call.principal, call.session, call.console, call.denied, call.dataEvent, call.onBehalf) =
            ("", "", false, false, false, false)
        let mapping = builder.mapping.map(eventSource: call.eventSource, eventName: call.eventName)
        switch mapping.outcome {
        case .noPermission:
            noPermission.append(
                Usage.RawPair(eventSource: call.eventSource, eventName: call.eventName, count: 0, rule: mapping.rule))
            return Pair(call: call, mapping: mapping, target: .noPermission(noPermission.count - 1))
        case .unmapped(let reason):
            unmapped.append(UnmappedBuilder(call: call, reason: reason))
            return Pair(call: call, mapping: mapping, target: .unmapped(unmapped.count - 1))
        case .actions(let targets):
            var placed: [(action: Int, source: Int)] = []
            for action in targets {
                let index = actionIndex[action.fullName] ?? newAction(action)
                // An action named twice takes the pair's calls in its one source entry.
                let source = placed.first { $0.action == index }?.source ?? actions[index].addSource(call, mapping.rule)
                placed.append((index, source))
            }
            return Pair(
                call: call, mapping: mapping, target: .actions(placed),
                companions: builder.companions.companions(of: call, primary: targets, fact: nil, observed: []))
        }
    }

    private mutating func newAction(_ action: CatalogAction) -> Int {
        actions.append(ActionBuilder(action: action))
        actionIndex[action.fullName] = actions.count - 1
        return actions.count - 1
    }

    private mutating func personEntry(_ session: Int32) -> Int {
        let slot = personSlots[Int(session)]
        if slot >= 0 { return Int(slot) }
        people.append((session, PersonBuilder()))
        personSlots[Int(session)] = Int32(people.count - 1)
        return people.count - 1
    }

    mutating func add(_ key: EventTotals.CallIDs, _ tally: EventTotals.Tally) {
        let flags = key.flags
        if flags & EventTotals.dataFlag != 0 { events.dataEventsOfAnyone += tally.count }
        guard key.principalKind != .service else {
            events.serviceEvents += tally.count
            return
        }
        guard isSelected(key) else {
            events.otherPrincipals += tally.count
            return
        }
        principalEvents[Int(principalSlots[Int(key.principal)])] += tally.count
        let denied = flags & EventTotals.deniedFlag != 0
        let console = flags & EventTotals.consoleFlag != 0
        if flags & EventTotals.dataFlag != 0 { events.dataEvents += tally.count }
        if denied { events.denied += tally.count } else if console { events.console += tally.count }
        let counted = isCounted(flags)
        if counted && flags & EventTotals.onBehalfFlag != 0 { events.onBehalf += tally.count }
        if counted { window.add(tally) }
        let session = key.session == emptyString ? nil : key.session

        let index = pair(key)
        switch pairs[index].target {
        case .noPermission(let entry):
            events.noPermission += tally.count
            noPermission[entry].count += tally.count
        case .unmapped(let entry):
            events.unmapped += tally.count
            unmapped[entry].add(tally.count, flags: flags, counted: counted, session: session)
        case .actions(let targets):
            if counted {
                events.kept += tally.count
                companions.add(companionEntries(ofPair: index), session: session, count: tally.count)
            }
            let person = session.map { personEntry($0) }
            for (action, source) in targets {
                actions[action].add(source: source, flags, tally, counted: counted, session: session)
                if let person { people[person].builder.add(action, flags, tally, counted: counted) }
            }
        }
    }

    private mutating func companionEntries(ofPair index: Int) -> [Int] {
        if let known = pairs[index].companionEntries { return known }
        let found = companions.entries(for: pairs[index].companions, pair: index)
        pairs[index].companionEntries = found
        return found
    }

    /// A request fact of a call group: the companions it shows the calls needed.
    mutating func add(_ key: EventTotals.FactIDs, _ count: Int, observed: Set<String>) {
        guard isSelected(key.call), isCounted(key.call.flags) else { return }
        let index = pair(key.call)
        guard case .actions(let targets) = pairs[index].mapping.outcome else { return }
        let onBehalf = key.call.flags & EventTotals.onBehalfFlag != 0
        let factKey = FactKey(pair: index, kind: key.kind, value: key.value, onBehalf: onBehalf)
        let found: [Int]
        if let known = factCompanions[factKey] {
            found = known
        } else {
            var call = pairs[index].call
            call.onBehalf = onBehalf
            let needs = builder.companions.companions(
                of: call, primary: targets, fact: totals.fact(key), observed: observed)
            found = companions.entries(for: needs, pair: index)
            factCompanions[factKey] = found
        }
        let session = key.call.session == emptyString ? nil : key.call.session
        companions.add(found, session: session, count: count)
    }

    /// Sorted by name, case aside.
    func actionUsage() -> [Usage.ActionUsage] {
        actions.sorted { $0.sortKey < $1.sortKey }.map { $0.usage(totals.strings) }
    }
}

/// Companions as the calls that needed them add up: one entry per companion, needing action and rule.
private struct CompanionTally {
    private struct Key: Hashable {
        var action: String
        var neededBy: String
        var rule: String
    }

    private struct Entry {
        var need: CompanionFinder.Need
        var calls = 0
        var people = Set<Int32>()
        /// The pairs whose calls needed it.
        var sources = Set<Int>()
        var resources = Set<String>()
        var passedTo = Set<String>()
    }

    private var entryIndex: [Key: Int] = [:]
    private var entries: [Entry] = []

    /// The entries of what a pair's calls needed, with the pair, resources and services the needs
    /// name recorded once; `add` then counts each call group's calls and person.
    mutating func entries(for needs: [CompanionFinder.Need], pair: Int) -> [Int] {
        needs.map { need in
            let key = Key(action: need.action, neededBy: need.neededBy, rule: need.rule)
            let index =
                entryIndex[key]
                ?? {
                    entries.append(Entry(need: need))
                    entryIndex[key] = entries.count - 1
                    return entries.count - 1
                }()
            entries[index].sources.insert(pair)
            if let resource = need.resource { entries[index].resources.insert(resource) }
            if let service = need.passedTo { entries[index].passedTo.insert(service) }
            return index
        }
    }

    mutating func add(_ found: [Int], session: Int32?, count: Int) {
        for index in found {
            entries[index].calls += count
            if let session { entries[index].people.insert(session) }
        }
    }

    /// Sorted, and so are their lists: the usage file diffs cleanly.
    func sorted(strings: [String], pairs: [CallRollup.Pair]) -> [Usage.Companion] {
        entries.map { entry in
            Usage.Companion(
                action: entry.need.action, neededBy: entry.need.neededBy, rule: entry.need.rule,
                reason: entry.need.reason, calls: entry.calls, people: entry.people.map { strings[Int($0)] }.sorted(),
                sources: entry.sources.map { "\(pairs[$0].call.eventSource) \(pairs[$0].call.eventName)" }.sorted(),
                resources: entry.resources.sorted(), passedTo: entry.passedTo.sorted())
        }
        .sorted {
            ($0.action.lowercased(), $0.neededBy.lowercased(), $0.rule) < (
                $1.action.lowercased(), $1.neededBy.lowercased(), $1.rule
            )
        }
    }
}

private struct UnmappedBuilder {
    let call: CallKey
    let reason: String
    var count = 0, denied = 0, console = 0
    var people = Set<Int32>()

    init(call: CallKey, reason: String) {
        self.call = call
        self.reason = reason
    }

    mutating func add(_ calls: Int, flags: UInt8, counted: Bool, session: Int32?) {
        if flags & EventTotals.deniedFlag != 0 {
            denied += calls
        } else if flags & EventTotals.consoleFlag != 0 {
            console += calls
        }
        if counted {
            count += calls
            if let session { people.insert(session) }
        }
    }

    func usage(_ strings: [String]) -> Usage.UnmappedPair {
        Usage.UnmappedPair(
            eventSource: call.eventSource, eventName: call.eventName, count: count, denied: denied, console: console,
            reason: reason, people: people.map { strings[Int($0)] }.sorted())
    }
}

private struct ActionBuilder {
    let action: CatalogAction
    let sortKey: String
    var counted = EventTotals.Tally()
    var denied = 0
    var console = 0
    var onBehalf = 0
    var people = Set<Int32>()
    /// One entry per pair that maps to the action, in the order the pairs were seen.
    var sources: [Usage.SourcePair] = []

    init(action: CatalogAction) {
        self.action = action
        sortKey = action.fullName.lowercased()
    }

    /// A pair that maps to this action: its place among the sources.
    mutating func addSource(_ call: CallKey, _ rule: String) -> Int {
        sources.append(
            Usage.SourcePair(
                eventSource: call.eventSource, eventName: call.eventName, count: 0, denied: 0, console: 0, onBehalf: 0,
                rule: rule))
        return sources.count - 1
    }

    mutating func add(
        source: Int, _ flags: UInt8, _ tally: EventTotals.Tally, counted isCounted: Bool, session: Int32?
    ) {
        if flags & EventTotals.deniedFlag != 0 {
            denied += tally.count
            sources[source].denied += tally.count
        } else if flags & EventTotals.consoleFlag != 0 {
            console += tally.count
            sources[source].console += tally.count
        }
        if isCounted {
            counted.add(tally)
            sources[source].count += tally.count
            if flags & EventTotals.onBehalfFlag != 0 {
                onBehalf += tally.count
                sources[source].onBehalf += tally.count
            }
            if let session { people.insert(session) }
        }
    }

    func usage(_ strings: [String]) -> Usage.ActionUsage {
        Usage.ActionUsage(
            action: action.fullName, accessLevel: action.accessLevel, risk: action.risk.flags.names,
            count: counted.count, denied: denied, console: console, onBehalf: onBehalf, firstSeen: counted.firstSeen,
            lastSeen: counted.lastSeen, people: people.map { strings[Int($0)] }.sorted(),
            sources: sources.sorted { ($0.eventSource, $0.eventName) < ($1.eventSource, $1.eventName) })
    }
}

private struct PersonBuilder {
    /// By action builder.
    var actions: [Int: Usage.PersonAction] = [:]
    var span = EventTotals.Tally()

    mutating func add(_ action: Int, _ flags: UInt8, _ tally: EventTotals.Tally, counted: Bool) {
        let denied = flags & EventTotals.deniedFlag != 0 ? tally.count : 0
        Self.count(
            counted ? tally.count : 0, denied: denied,
            into: &actions[action, default: Usage.PersonAction(action: "", count: 0, denied: 0)])
        if counted { span.add(tally) }
    }

    private static func count(_ calls: Int, denied: Int, into entry: inout Usage.PersonAction) {
        entry.count += calls
        entry.denied += denied
    }

    func usage(name: String, _ builders: [ActionBuilder]) -> Usage.PersonUsage {
        let list = actions.filter { $0.value.count + $0.value.denied > 0 }
            .sorted { builders[$0.key].sortKey < builders[$1.key].sortKey }
            .map { index, entry in
                var named = entry
                named.action = builders[index].action.fullName
                return named
            }
        return Usage.PersonUsage(
            name: name, calls: list.reduce(0) { $0 + $1.count }, denied: list.reduce(0) { $0 + $1.denied },
            firstSeen: span.firstSeen, lastSeen: span.lastSeen, actions: list)
    }
}
