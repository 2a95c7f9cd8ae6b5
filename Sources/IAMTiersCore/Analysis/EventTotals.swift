/// What one call's request showed about the further actions it needed (its companions).
public enum RequestFact: Sendable, Hashable {
    /// A role (or instance profile) ARN in the request: the call may pass it to a service.
    case passedRole(String)
    /// The request tags what it creates.
    case tags
    /// A top-level request key a companion rule looks at (`CompanionRules.keyRules`).
    case requestKey(String)
    /// A call made on the caller's behalf by this service (`invokedBy`, or the KMS encryption context).
    case onBehalfOf(String)

    enum Kind: UInt8, Sendable, Hashable {
        case passedRole, tags, requestKey, onBehalfOf
    }
}

/// What reading the input found, before mapping: call groups, sign-ins and the counts of what was
/// left out and why. Calls are stored with interned strings (about 48 bytes a group), which keeps a
/// million-event analysis within a small memory budget.
public struct EventTotals: Sendable {
    /// A call group with its strings as indices into `strings`.
    struct CallIDs: Hashable, Sendable {
        var principalKind: PrincipalKind
        var principal: Int32
        var session: Int32
        var eventSource: Int32
        var eventName: Int32
        var flags: UInt8
    }

    /// Counts and time span in seconds since the epoch; `Int64.min` when no time was known.
    struct Tally: Sendable {
        var count = 0
        var first = Int64.min
        var last = Int64.min

        mutating func add(count more: Int, first newFirst: Int64, last newLast: Int64) {
            count += more
            if newFirst != Int64.min { first = first == Int64.min ? newFirst : min(first, newFirst) }
            last = max(last, newLast)
        }

        mutating func add(_ other: Tally) { add(count: other.count, first: other.first, last: other.last) }

        var firstSeen: EventTime? { first == Int64.min ? nil : EventTime(secondsSinceEpoch: first) }
        var lastSeen: EventTime? { last == Int64.min ? nil : EventTime(secondsSinceEpoch: last) }
    }

    /// What a group of calls' requests showed that decides their companions (see `RequestFact`).
    struct FactIDs: Hashable, Sendable {
        var call: CallIDs
        var kind: RequestFact.Kind
        /// The passed role's ARN, the request key's index, or the service's name, as a string id.
        var value: Int32
    }

    static let consoleFlag: UInt8 = 1
    static let deniedFlag: UInt8 = 2
    static let dataFlag: UInt8 = 4
    /// A service made the call for the caller (`invokedBy`): the caller's permission at work.
    static let onBehalfFlag: UInt8 = 8

    private(set) var strings: [String] = []
    private var stringIDs: [String: Int32] = [:]
    private(set) var tallies = TallyTable<CallIDs>()
    private(set) var facts = TallyTable<FactIDs>()

    /// Distinct session names per role ARN, kept even where calls are counted without them.
    public var sessionNames: [String: Set<String>] = [:]
    public var signIns: [SignInKey: SignInTally] = [:]
    public var eventsRead = 0
    /// Records without eventSource or eventName.
    public var incomplete = 0
    public var outsideWindow = 0
    public var otherAccounts = 0
    /// `AwsServiceEvent` records: things services did, not calls anyone made.
    public var serviceEvents = 0

    public init() {}

    /// The id of a string the input held, if it held it.
    func id(of text: String) -> Int32? { stringIDs[text] }

    mutating func intern(_ text: String) -> Int32 {
        if let id = stringIDs[text] { return id }
        let id = Int32(strings.count)
        strings.append(text)
        stringIDs[text] = id
        return id
    }

    /// Adds call groups (and their request facts) whose string ids are `ids[old id]` here.
    mutating func addTallies(
        _ other: some Sequence<(CallIDs, Tally)>, facts otherFacts: some Sequence<(FactIDs, Tally)>,
        remapping ids: [Int32]
    ) {
        func mapped(_ key: CallIDs) -> CallIDs {
            CallIDs(
                principalKind: key.principalKind, principal: ids[Int(key.principal)], session: ids[Int(key.session)],
                eventSource: ids[Int(key.eventSource)], eventName: ids[Int(key.eventName)], flags: key.flags)
        }
        for (key, tally) in other { tallies.add(mapped(key), count: tally.count, first: tally.first, last: tally.last) }
        for (key, tally) in otherFacts {
            let value = key.kind == .requestKey ? key.value : ids[Int(key.value)]
            facts.add(
                FactIDs(call: mapped(key.call), kind: key.kind, value: value), count: tally.count, first: tally.first,
                last: tally.last)
        }
    }

    public var callGroupCount: Int { tallies.count }

    /// Every call group with its text, without building a dictionary of them.
    public func forEachCall(_ body: (CallKey, CallTally) throws -> Void) rethrows {
        for (key, tally) in tallies.entries {
            try body(callKey(key), CallTally(count: tally.count, first: tally.firstSeen, last: tally.lastSeen))
        }
    }

    /// Every request fact with the calls it was seen in.
    public func forEachFact(_ body: (CallKey, RequestFact, Int) throws -> Void) rethrows {
        for (key, tally) in facts.entries { try body(callKey(key.call), fact(key), tally.count) }
    }

    /// A call group with its text.
    func callKey(_ key: CallIDs) -> CallKey {
        CallKey(
            principalKind: key.principalKind, principal: strings[Int(key.principal)],
            session: strings[Int(key.session)], eventSource: strings[Int(key.eventSource)],
            eventName: strings[Int(key.eventName)], console: key.flags & Self.consoleFlag != 0,
            denied: key.flags & Self.deniedFlag != 0, dataEvent: key.flags & Self.dataFlag != 0,
            onBehalf: key.flags & Self.onBehalfFlag != 0)
    }

    /// A request fact with its text.
    func fact(_ key: FactIDs) -> RequestFact {
        switch key.kind {
        case .passedRole: .passedRole(strings[Int(key.value)])
        case .tags: .tags
        case .requestKey: .requestKey(CompanionRules.requestKeys[Int(key.value)])
        case .onBehalfOf: .onBehalfOf(strings[Int(key.value)])
        }
    }

    /// All call groups as a dictionary (convenient for small inputs and tests).
    public var calls: [CallKey: CallTally] {
        var result: [CallKey: CallTally] = [:]
        forEachCall { result[$0] = $1 }
        return result
    }

    mutating func merge(_ other: EventTotals) {
        let ids = other.strings.map { intern($0) }
        addTallies(other.tallies.entries, facts: other.facts.entries, remapping: ids)
        sessionNames.merge(other.sessionNames) { $0.union($1) }
        for (key, tally) in other.signIns {
            signIns[key, default: SignInTally()].tally.add(
                count: tally.tally.count, first: tally.tally.first, last: tally.tally.last)
            signIns[key, default: SignInTally()].sourceAddresses.formUnion(tally.sourceAddresses)
        }
        eventsRead += other.eventsRead
        incomplete += other.incomplete
        outsideWindow += other.outsideWindow
        otherAccounts += other.otherAccounts
        serviceEvents += other.serviceEvents
    }
}
