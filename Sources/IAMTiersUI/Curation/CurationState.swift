import Foundation
import IAMTiersCore
import TUIKit

/// One service of the usage, with its used actions in name order (or as the search and filters
/// show them).
public struct ServiceRow: Sendable, Equatable {
    public var prefix: String
    public var actions: ShownActions
    public var calls: Int
    /// Counted when drawn, for the rows on screen only: a search re-forms every row on each key.
    public var people: Int { Set(actions.flatMap(\.people)).count }
}

/// A service's actions as the lists show them: the service's own array and which of its positions
/// are shown, in what order. A search or a filter re-forms every service's row on each key, and
/// copying 20,000 action records for that was most of such a key (`Benchmarks/curation`).
public struct ShownActions: RandomAccessCollection, Sendable, Equatable {
    let all: [Usage.ActionUsage]
    /// nil: all of them, in name order.
    let positions: [Int]?

    init(_ all: [Usage.ActionUsage], positions: [Int]? = nil) {
        self.all = all
        self.positions = positions
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions?.count ?? all.count }
    public subscript(index: Int) -> Usage.ActionUsage { all[positions?[index] ?? index] }

    public static func == (left: ShownActions, right: ShownActions) -> Bool { left.elementsEqual(right) }
}

/// The curation screen: the usage on the left, tiers as ticks, meters on top. State changes only in
/// `reduce`, which returns what to write as effects (`CurationEffect`) for `CurationSession` to perform.
public struct CurationState: Sendable {
    public enum Pane: Sendable, Hashable { case services, actions }

    public let catalog: Catalog
    public let usage: Usage
    public let usagePath: String
    public let tiersPath: String
    /// Every service of the usage.
    public let allServices: [ServiceRow]
    /// Each action's name of `allServices`, lower-cased once: the search runs on every typed key.
    let searchNames: [[[UInt8]]]
    /// Where each action of `allServices` is (service, position), to keep `rowTiers` in step.
    let rowPositions: [String: (service: Int, position: Int)]
    /// `tierOf` laid out like `allServices` (nil: no tier): the filters read every action on a key,
    /// and 20,000 lookups by name cost more than the rest of the key.
    var rowTiers: [[Int?]] = []
    /// Whether each action of `allServices` is risky (see `isRisky`), decided once.
    var riskyRows: [[Bool]] = []
    /// The services and actions the search shows (all of them without one).
    public internal(set) var services: [ServiceRow]
    /// The search (`ActionSearch`): terms, pieces of names or IAM globs, matched case-insensitively.
    public internal(set) var query = ""
    public internal(set) var filter = Filter.all
    public internal(set) var order = Order.name
    /// `L`: only actions of one access level; `p`: only actions one person used. Both combine with
    /// the filter and the search.
    public internal(set) var levelFilter: AccessLevel?
    public internal(set) var personFilter: String?
    public var tiers: TierSet
    /// The tiers as last saved (or loaded): what "modified" compares against.
    public var savedTiers: TierSet
    /// The tiers as the session opened them: what the minutes report decisions against.
    public let openedTiers: TierSet
    /// Workshop mode (`--workshop`): people and accounts shown as pseudonyms, the detail pane
    /// calmer and larger, notes first.
    public var workshop: Pseudonyms?
    public internal(set) var policies: [TierPolicies]
    /// Per tier, how many of its actions the catalog flags as risky (privilege escalation,
    /// credentials, data access, …): shown beside each meter.
    public internal(set) var riskyCounts: [Int] = []
    /// How many findings `iamtiers check` has for the tiers (shown in the header), and whether the
    /// tiers changed since: on a large usage the check runs when the keys pause (`recheck`), not
    /// on every key, which it would slow down more than tenfold.
    public internal(set) var findingCount = 0
    public internal(set) var findingsOutdated = false
    /// Usages with more used actions than this are checked when the keys pause.
    static let checkedOnEveryKeyUpTo = 3_000
    /// Which tier each action is in, kept with the tiers: the screen asks for every row it draws.
    public internal(set) var tierOf: [String: Int]
    /// The usage's companions by the action that needs them, and by the companion.
    let companionsNeeded: [String: [Usage.Companion]]
    let companionEntries: [String: [Usage.Companion]]
    /// What AWS's lists and the catalog say an action may also need (nil: the table did not load).
    let companionFinder: CompanionFinder?
    public var selectedService = 0
    public var selectedAction = 0
    public var focus = Pane.actions
    public var undoStack: [HistoryStep] = []
    public var redoStack: [HistoryStep] = []
    /// One line for the status bar: what just happened, or what a key needs to be pressed again for.
    public var message: String?
    /// The last write of the tiers or their journal that failed, in plain words; shown in the
    /// header until a write succeeds, because until then the changes exist only in memory.
    public var writeProblem: String?
    /// Why the tiers are shown read-only (another editor holds the file), or nil when editing.
    public var readOnly: String?
    public var confirmingQuit = false
    /// A placement into a configuration-read tier of actions that are not configuration reads,
    /// waiting for the same tier key once more.
    public var confirmingPlacement: PendingPlacement?
    /// What a command typed at `:` stands for, done right after Enter through `reduce`.
    var commandFollowUp: CurationAction?
    /// The actions marked with Space or V: a tier key moves them all.
    public internal(set) var marks: Set<String> = []
    /// The action last marked with Space: where V's range starts.
    var markAnchor: String?
    /// Keys since the status message last changed.
    var messageAge = 0
    public var shouldQuit = false
    /// What covers the main screen (help, a report, people, settings, open items, the check panel,
    /// the recovery question), at most one.
    public var overlay: Overlay?
    /// The line being typed at the foot of the main screen (a search, a note or a command).
    public var prompt: Prompt?
    /// The version `D` compares with (`edit --compare`); without one, the saved file.
    public var compared: ComparedVersion?
    /// The themes the runtime offers, by name, and the one drawn: `t` takes the next.
    public var themeNames: [String] = []
    public var theme = 0
    /// The terminal's size as the runtime last reported it (`resize`): what a page is.
    public internal(set) var screen = (width: 120, height: 40)
    /// Text from logs or notes as the room may see it: in workshop mode with pseudonyms.
    public func forRoom(_ text: String) -> String { workshop?.redact(text) ?? text }

    /// A line is being typed (a search, a note, a command, a setting, a reason): every key is text.
    public var isTypingText: Bool {
        if prompt != nil { return true }
        switch overlay {
        case .settings(let cursor): return cursor.draft != nil
        case .openItems(let cursor): return cursor.reason != nil
        default: return false
        }
    }

    public init(catalog: Catalog, usage: Usage, usagePath: String, tiers: TierSet, tiersPath: String) {
        self.catalog = catalog
        self.usage = usage
        self.usagePath = usagePath
        self.tiersPath = tiersPath
        self.tiers = tiers
        savedTiers = tiers
        openedTiers = tiers
        policies = Self.synthesized(tiers, catalog)
        tierOf = Self.placements(tiers)
        companionsNeeded = Dictionary(grouping: usage.companions, by: \.neededBy)
        companionEntries = Dictionary(grouping: usage.companions, by: \.action)
        companionFinder = (try? CloudTrailMapping.bundled(catalog: catalog)).flatMap { mapping in
            (try? OperationActions.bundled()).map {
                CompanionFinder(catalog: catalog, mapping: mapping, operations: $0)
            }
        }
        var byService: [String: [Usage.ActionUsage]] = [:]
        for action in usage.actions where action.count + action.denied > 0 {
            byService[String(action.action.split(separator: ":").first ?? ""), default: []].append(action)
        }
        allServices = byService.keys.sorted().map { prefix in
            let actions = byService[prefix]!.sorted { $0.action.lowercased() < $1.action.lowercased() }
            return ServiceRow(
                prefix: prefix, actions: ShownActions(actions), calls: actions.reduce(0) { $0 + $1.count })
        }
        searchNames = allServices.map { row in row.actions.map { Array($0.action.lowercased().utf8) } }
        var positions: [String: (service: Int, position: Int)] = [:]
        for (service, row) in allServices.enumerated() {
            for (position, action) in row.actions.enumerated() { positions[action.action] = (service, position) }
        }
        rowPositions = positions
        services = allServices
        rowTiers = tierOfByRow()
        riskyRows = allServices.map { row in row.actions.map { Self.isRisky($0.action, catalog) } }
        riskyCounts = countRisky()
        recheck()
    }

    public var isModified: Bool { tiers != savedTiers }

    public var selectedServiceRow: ServiceRow? {
        services.indices.contains(selectedService) ? services[selectedService] : nil
    }

    public var selectedUsage: Usage.ActionUsage? {
        guard let row = selectedServiceRow, row.actions.indices.contains(selectedAction) else { return nil }
        return row.actions[selectedAction]
    }

    /// The index of the tier an action is in, if any.
    public func tierIndex(of action: String) -> Int? { tierOf[action] }

    static func placements(_ tiers: TierSet) -> [String: Int] {
        var tierOf: [String: Int] = [:]
        for (index, tier) in tiers.tiers.enumerated() {
            for assignment in tier.actions { tierOf[assignment.action] = index }
        }
        return tierOf
    }

    /// The policies the meters measure: the ones `export` writes, wildcards included.
    static func synthesized(_ tiers: TierSet, _ catalog: Catalog) -> [TierPolicies] {
        PolicySynthesizer(compression: tiers.compressionScope, catalog: catalog).policies(for: tiers)
    }

    /// The wildcards standing in for the service's actions, with the tier each is in.
    public func wildcards(ofService prefix: String) -> [(tier: String, pattern: CompressionPattern)] {
        zip(tiers.tiers, policies).flatMap { tier, policy in
            policy.patterns.filter { $0.pattern.hasPrefix(prefix + ":") }.map { (tier.name, $0) }
        }
    }

}
