import IAMTiersCore

/// What the lists show: the search, the filters (`f`, `L`, `p`) and the order (`o`), applied on every
/// key to every service of the usage.
extension CurationState {
    /// Shows only the actions whose name contains `text` (and the services that have any).
    mutating func search(_ text: String) {
        query = text
        refreshLists()
    }

    /// Which actions the lists show, besides the search.
    public enum Filter: String, Sendable, CaseIterable {
        case all = "all actions"
        case unplaced = "unplaced"
        case risky = "risky"
        case denied = "refused at least once"
        case adminOnly = "only in Admin"
    }

    /// The order of the actions within a service.
    public enum Order: String, Sendable, CaseIterable {
        case name = "by name"
        case calls = "by calls"
        case lastSeen = "by last seen"
    }

    mutating func cycleFilter() {
        filter = Filter.allCases[(Filter.allCases.firstIndex(of: filter)! + 1) % Filter.allCases.count]
        refreshLists()
    }

    mutating func cycleLevelFilter() {
        levelFilter = Self.next(after: levelFilter, in: AccessLevel.allCases)
        refreshLists()
    }

    mutating func cyclePersonFilter() {
        personFilter = Self.next(after: personFilter, in: usage.people.map(\.name).sorted())
        refreshLists()
    }

    mutating func showOnly(person: String) {
        personFilter = person
        refreshLists()
    }

    /// nil (everything), then each choice in turn, then nil again.
    private static func next<Choice: Equatable>(after current: Choice?, in choices: [Choice]) -> Choice? {
        guard let current, let index = choices.firstIndex(of: current) else { return choices.first }
        return index + 1 < choices.count ? choices[index + 1] : nil
    }

    mutating func cycleOrder() {
        order = Order.allCases[(Order.allCases.firstIndex(of: order)! + 1) % Order.allCases.count]
        refreshLists()
    }

    /// Flagged by iam-dataset or the supplement, or a read nobody has assessed.
    static func isRisky(_ action: String, _ catalog: Catalog) -> Bool {
        catalog.action(named: action).map { !$0.risk.flags.isEmpty || $0.verdict == .unassessed } ?? false
    }

    /// From the rows where the action is one (nearly every placed action is), else from the catalog.
    func isRisky(_ action: String) -> Bool {
        guard let place = rowPositions[action] else { return Self.isRisky(action, catalog) }
        return riskyRows[place.service][place.position]
    }

    func countRisky() -> [Int] { tiers.tiers.map { tier in tier.actions.count { isRisky($0.action) } } }

    /// `tierOf` for each action of `allServices`, in the same layout.
    func tierOfByRow() -> [[Int?]] { allServices.map { row in row.actions.map { tierOf[$0.action] } } }

    /// By position, not by name, and reading single fields in place: copying or looking up every usage
    /// record on each key was the slowest part of a key in `Benchmarks/curation`. `administrators`:
    /// which tiers hold AdministratorAccess, found once for all the actions.
    private func passesFilter(service: Int, position: Int, administrators: [Bool]) -> Bool {
        let actions = allServices[service].actions.all
        if let levelFilter, actions[position].accessLevel != levelFilter { return false }
        if let personFilter, !actions[position].people.contains(personFilter) { return false }
        switch filter {
        case .all: return true
        case .unplaced: return rowTiers[service][position] == nil
        case .risky: return riskyRows[service][position]
        case .denied: return actions[position].denied > 0
        case .adminOnly: return rowTiers[service][position].map { administrators[$0] } ?? false
        }
    }

    /// The search, the filter and the order applied to every service; empty services are hidden.
    mutating func refreshLists() {
        let search = ActionSearch(query)
        if search.terms.isEmpty && filter == .all && levelFilter == nil && personFilter == nil && order == .name {
            services = allServices
        } else {
            let administrators = tiers.tiers.map(\.isAdministrator)
            services = allServices.indices.compactMap { shownRow($0, search, administrators: administrators) }
        }
        selectedService = min(selectedService, max(0, services.count - 1))
        selectedAction = min(selectedAction, max(0, (selectedServiceRow?.actions.count ?? 1) - 1))
    }

    /// One service as the search, the filter and the order show it; nil when none of its actions is.
    private func shownRow(_ index: Int, _ search: ActionSearch, administrators: [Bool]) -> ServiceRow? {
        let row = allServices[index]
        let positions = row.actions.indices.filter { position in
            (search.terms.isEmpty || search.matches(searchNames[index][position]))
                && passesFilter(service: index, position: position, administrators: administrators)
        }
        guard !positions.isEmpty else { return nil }
        if positions.count == row.actions.count && order == .name { return row }
        let actions = row.actions.all
        var shownPositions = positions
        switch order {
        case .name: break
        case .calls:
            shownPositions.sort { (actions[$0].count, actions[$1].action) > (actions[$1].count, actions[$0].action) }
        case .lastSeen:
            shownPositions.sort {
                (actions[$0].lastSeen?.secondsSinceEpoch ?? 0, actions[$1].action)
                    > (actions[$1].lastSeen?.secondsSinceEpoch ?? 0, actions[$0].action)
            }
        }
        // The service's totals as shown: a search that shows 2 of 40 actions counts their calls.
        var shown = row
        shown.actions = ShownActions(actions, positions: shownPositions)
        shown.calls = shownPositions.reduce(0) { $0 + actions[$1].count }
        return shown
    }
}

/// What `/` typed: terms separated by spaces, each of which an action must match. A term with `*`
/// or `?` is an IAM glob, over the whole name when it has a colon (`ec2:Describe*`, `*:Get*Policy`)
/// and over the action's part otherwise (`Get*`); any other term is a piece of the name.
struct ActionSearch {
    enum Term {
        case piece([UInt8])
        case glob([UInt8], wholeName: Bool)
    }

    let terms: [Term]

    init(_ query: String) {
        terms = query.lowercased().split(separator: " ").map { word in
            let bytes = Array(word.utf8)
            guard word.contains(where: { $0 == "*" || $0 == "?" }) else { return .piece(bytes) }
            return .glob(bytes, wholeName: word.contains(":"))
        }
    }

    /// `name`: a lower-cased `service:action`.
    func matches(_ name: [UInt8]) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .piece(let needle): return name.containsBytes(needle)
            case .glob(let pattern, let wholeName):
                guard !wholeName, let colon = name.firstIndex(of: UInt8(ascii: ":")) else {
                    return globMatches(pattern, name)
                }
                return globMatches(pattern, Array(name[(colon + 1)...]))
            }
        }
    }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes: a plain scan, names are a few dozen bytes long.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { start in
            needle.indices.allSatisfy { self[start + $0] == needle[$0] }
        }
    }
}
