/// The tiers that replace an over-privileged role: an ordered ladder, lowest first. This is the
/// model of `tiers.yaml` (format `iamtiers.tiers/1`).
public struct TierSet: Sendable, Equatable {
    public static let format = "iamtiers.tiers/1"

    public var source: Source
    public var tiers: [Tier]
    /// What the draft could not decide: unmapped usage, hints from the logs. Kept until resolved.
    public var openItems: [OpenItem]
    /// Services (lower-case prefixes) whose actions the policies list as safe wildcards where they
    /// save characters (see `Compressor`); the rest stay listed action by action.
    public var compressedServices: Set<String>

    public init(source: Source, tiers: [Tier], openItems: [OpenItem] = [], compressedServices: Set<String> = []) {
        self.source = source
        self.tiers = tiers
        self.openItems = openItems
        self.compressedServices = compressedServices
    }

    /// What the synthesizer compresses for these tiers.
    public var compressionScope: CompressionScope { compressedServices.isEmpty ? .off : .services(compressedServices) }

    public struct Source: Sendable, Equatable {
        public var usage: String?
        public var catalogDate: String
        public var generator: String

        public init(usage: String?, catalogDate: String, generator: String) {
            self.usage = usage
            self.catalogDate = catalogDate
            self.generator = generator
        }
    }

    /// What a person still has to decide, written as a sentence; resolved items stay in the file
    /// with the reason, for whoever reviews the change.
    public struct OpenItem: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case notInCatalog = "not-in-catalog"
            case deniedOnly = "denied-only"
            case unassessedRead = "unassessed-read"
            case consoleOnly = "console-only"
            case unmapped
            case companionWithoutAction = "companion-without-action"
            case passRoleScope = "pass-role-scope"
            case movedWithCompanion = "moved-with-companion"
            case accessDenied = "access-denied"
            case passRole = "pass-role"
            case dataEvents = "data-events"
            case kms

            /// The open item a hint of the logs becomes; nil for hints that leave nothing to decide.
            public init?(hint: Usage.Hint.Kind) {
                switch hint {
                case .passRole: self = .passRole
                case .dataEvents: self = .dataEvents
                case .kms: self = .kms
                case .possibleCompanions, .noPermission: return nil
                }
            }
        }

        public var kind: Kind
        /// The action the item is about, if it is about one.
        public var action: String?
        public var text: String
        /// Why it no longer needs deciding; nil while it is open.
        public var resolution: String?

        public init(kind: Kind, action: String? = nil, text: String, resolution: String? = nil) {
            self.kind = kind
            self.action = action
            self.text = text
            self.resolution = resolution
        }

        public var isOpen: Bool { resolution == nil }
    }

    /// The items not resolved yet.
    public var unresolvedItems: [OpenItem] { openItems.filter(\.isOpen) }

    /// The tier an action is assigned to, if any.
    public func tier(of action: String) -> Tier? { tierIndex(of: action).map { tiers[$0] } }

    public func tierIndex(of action: String) -> Int? {
        tiers.firstIndex { tier in tier.actions.contains { caseInsensitiveEquals($0.action, action) } }
    }

    /// Every assignment placed as a companion (rule `companion-of: …`), with its tier: a scan of the
    /// rules' first bytes, cheap enough for every keystroke of the editor.
    public func companionAssignments() -> [(tier: Int, assignment: Assignment)] {
        var found: [(tier: Int, assignment: Assignment)] = []
        for index in tiers.indices {
            // Through the buffer: copying each of 20,000 assignments to ask was most of this scan's cost.
            tiers[index].actions.withUnsafeBufferPointer { actions in
                for position in actions.indices where !actions[position].companionOf.isEmpty {
                    found.append((index, actions[position]))
                }
            }
        }
        return found
    }

    /// An action's tier and assignment by binary search (tiers keep their actions sorted), then by a
    /// scan for files whose order was edited by hand.
    public func placement(of action: String) -> (tier: Int, assignment: Assignment)? {
        for index in tiers.indices {
            let actions = tiers[index].actions
            let position = tiers[index].position(of: action)
            if position < actions.count && caseInsensitiveEquals(actions[position].action, action) {
                return (index, actions[position])
            }
        }
        guard let index = tierIndex(of: action) else { return nil }
        return (index, tiers[index].actions.first { caseInsensitiveEquals($0.action, action) }!)
    }

    /// Whether tier `upper`'s role also gets tier `lower`'s policies (itself, or by inheriting down to it).
    public func reaches(_ upper: Int, _ lower: Int) -> Bool {
        guard upper >= lower else { return false }
        return (lower..<upper).allSatisfy { tiers[$0 + 1].inherits }
    }

    /// Where a companion belongs: the lowest tier of the placed actions it serves, or the lower tier
    /// it is in for a reason of its own (a rule that is not `companion-of`, or a person's choice) when
    /// every one of them reaches it (inherits down to it). Actions in a tier that holds
    /// AdministratorAccess need nothing more, so they count only when nothing else needs it. Returns
    /// the tier and the actions it serves there; nil when none of them is placed.
    /// `tierOf` finds an action's tier (by default by searching; the editor passes its index).
    public func companionTier(
        of companion: String, serving actions: [String], tierOf: ((String) -> Int?)? = nil
    ) -> (tier: Int, serving: [String])? {
        let tierOf = tierOf ?? { placement(of: $0)?.tier }
        let placed = actions.compactMap { action in tierOf(action).map { (action: action, tier: $0) } }
        let belowAdmin = placed.filter { !tiers[$0.tier].isAdministrator }
        let serving = belowAdmin.isEmpty ? placed : belowAdmin
        guard let lowest = serving.map(\.tier).min() else { return nil }
        if let current = tierOf(companion), current < lowest, serving.allSatisfy({ reaches($0.tier, current) }),
            tiers[current].actions.first(where: { $0.action == companion })?.companionOf.isEmpty == true
        {
            return (current, serving.map(\.action))
        }
        return (lowest, serving.map(\.action))
    }

    /// The lower tiers whose grants tier `index`'s role also gets, nearest first: while each tier
    /// inherits, down to a tier holding AdministratorAccess (not included). A role that holds
    /// AdministratorAccess itself gets none of them: they would add nothing but attachments. The one
    /// rule for inheritance: policies, attachments, exports and replay all follow it.
    /// The tier a suggestion rule's rung means on this ladder: Read the lowest tier below
    /// AdministratorAccess, Operator the second (the highest on a shorter ladder), Admin the
    /// AdministratorAccess tier; a ladder with nothing below Admin puts everything there. nil when
    /// the ladder has no such tier (Admin without an AdministratorAccess tier).
    public func tier(forRung rung: SuggestionRule.Rung) -> Int? {
        let administrator = tiers.lastIndex(where: \.isAdministrator)
        let daily = tiers.indices.filter { !tiers[$0].isAdministrator }
        guard rung != .admin, !daily.isEmpty else { return administrator }
        return daily[min(rung.rawValue, daily.count - 1)]
    }

    public func inheritedTiers(of index: Int) -> [Int] {
        guard !tiers[index].isAdministrator else { return [] }
        var inherited: [Int] = []
        var lower = index - 1
        var inheriting = tiers[index].inherits
        while inheriting && lower >= 0 && !tiers[lower].isAdministrator {
            inherited.append(lower)
            inheriting = tiers[lower].inherits
            lower -= 1
        }
        return inherited
    }

    /// Every action a tier's role is granted by its own and the inherited tiers' actions.
    public func grantedActions(of tierIndex: Int) -> [Assignment] {
        ([tierIndex] + inheritedTiers(of: tierIndex)).flatMap { tiers[$0].actions }
    }

    /// The AWS managed (or other existing) policies a tier's role has attached: its own and the
    /// inherited tiers', each once, in that order.
    public func attachedPolicies(of tierIndex: Int) -> [String] {
        var seen = Set<String>()
        return ([tierIndex] + inheritedTiers(of: tierIndex)).flatMap { tiers[$0].attachedPolicies }.filter {
            seen.insert($0).inserted
        }
    }
}

/// One action in a tier, with why it is there.
public struct Assignment: Sendable, Equatable, Hashable {
    /// `service:Action` in canonical case.
    public var action: String
    /// The suggestion rule that placed it (empty when a person did); `companion-of: ACTION, …` for an
    /// action placed because those actions need it.
    public var rule: String? { didSet { companionOf = Self.served(by: rule) } }
    /// The actions this one is a companion of (from its rule), if any: kept with the rule, as the
    /// editor asks it of every action on every key.
    public private(set) var companionOf: [String]
    /// The decision note: why it is in this tier, who asked.
    public var note: String?
    /// Where it is granted, when not on every resource: one policy statement each (the roles
    /// `iam:PassRole` may pass to one service, and the roles it may pass to another).
    public var scopes: [Scope]

    /// Resources, and for `iam:PassRole` the services they may be passed to (`iam:PassedToService`).
    public struct Scope: Sendable, Equatable, Hashable {
        public var resources: [String]
        public var passedTo: [String]

        public init(resources: [String], passedTo: [String] = []) {
            self.resources = resources.sorted()
            self.passedTo = passedTo.sorted()
        }
    }

    public init(action: String, rule: String? = nil, note: String? = nil, scopes: [Scope] = []) {
        self.action = action
        self.rule = rule
        self.note = note
        self.scopes = scopes
        companionOf = Self.served(by: rule)
    }

    static let companionRule = "companion-of: "

    /// The rule that says this action is there because these actions need it.
    public static func companionRule(of needing: [String]) -> String {
        companionRule + needing.sorted(by: caseInsensitiveLess).joined(separator: ", ")
    }

    /// Placed as a companion (its rule starts `companion-of: `).
    public var isCompanion: Bool { !companionOf.isEmpty }

    private static func served(by rule: String?) -> [String] {
        guard let rule, rule.hasPrefix(companionRule) else { return [] }
        return rule.dropFirst(companionRule.count).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Granted on some resources only, or with a condition: a statement of its own.
    public var isScoped: Bool { !scopes.isEmpty }
}

/// Where a tier's policies live, which decides the size limits that apply.
public enum PolicyContainer: String, Sendable, Equatable, CaseIterable {
    /// Customer managed policies attached to the role: each ≤ 6,144 characters, 10 per role by default.
    case managed
    /// Inline policies of the role: all of them together ≤ 10,240 characters.
    case inline
    /// An IAM Identity Center permission set: one inline policy ≤ 10,240 and up to 20 managed policies.
    case identityCenter = "identity-center"
}

public struct Tier: Sendable, Equatable {
    public var name: String
    public var roleName: String
    public var description: String
    /// Maximum session duration in hours (IAM roles and permission sets allow 1 to 12).
    public var maxSessionHours: Int
    public var alertOnUse: Bool
    /// Whether the tier's role also gets the policies of the tier below (and so on down).
    public var inherits: Bool
    /// The tier holds configuration reads only (the Read tier): `check`, the summary and the editor
    /// object to any other action in it.
    public var configurationReadOnly: Bool
    public var container: PolicyContainer
    /// Managed policies attached as they are (e.g. `arn:aws:iam::aws:policy/AdministratorAccess`).
    public var attachedPolicies: [String]
    public var actions: [Assignment]
    /// Wildcard patterns the user accepted for this tier.
    public var patterns: [String]
    /// Actions explicitly denied to this tier's role.
    public var deny: [String]

    public init(
        name: String, roleName: String, description: String = "", maxSessionHours: Int = 1, alertOnUse: Bool = false,
        inherits: Bool = true, configurationReadOnly: Bool = false, container: PolicyContainer = .managed,
        attachedPolicies: [String] = [],
        actions: [Assignment] = [], patterns: [String] = [], deny: [String] = []
    ) {
        self.name = name
        self.roleName = roleName
        self.description = description
        self.maxSessionHours = maxSessionHours
        self.alertOnUse = alertOnUse
        self.inherits = inherits
        self.configurationReadOnly = configurationReadOnly
        self.container = container
        self.attachedPolicies = attachedPolicies
        self.actions = actions
        self.patterns = patterns
        self.deny = deny
    }

    public static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

    /// A tier whose role holds AdministratorAccess needs no policy of its own.
    public var isAdministrator: Bool { attachedPolicies.contains(Self.administratorAccess) }

    /// Where the action is, or would go, in the tier's actions, which are kept sorted (ignoring
    /// case): a binary search.
    func position(of action: String) -> Int {
        var low = 0
        var high = actions.count
        while low < high {
            let middle = (low + high) / 2
            if caseInsensitiveLess(actions[middle].action, action) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Places an assignment where it keeps the actions sorted, without sorting them again.
    public mutating func insert(_ assignment: Assignment) {
        actions.insert(assignment, at: position(of: assignment.action))
    }
}

extension TierSet {
    /// The ladder from the brief: Read (daily, long sessions), Operator (data and tasks, 1 h,
    /// audited), Admin (AdministratorAccess, rare, alerts when used).
    public static func defaultLadder(source: Source) -> TierSet {
        TierSet(
            source: source,
            tiers: [
                Tier(
                    name: "Read", roleName: "iamtiers-read",
                    description: "Configuration read (List and Read), used daily", maxSessionHours: 12,
                    configurationReadOnly: true),
                Tier(
                    name: "Operator", roleName: "iamtiers-operator",
                    description: "View and change data and some infrastructure; one-off tasks; audited",
                    maxSessionHours: 1),
                Tier(
                    name: "Admin", roleName: "iamtiers-admin",
                    description: "Break glass: AdministratorAccess, rare, alerts when used", maxSessionHours: 1,
                    alertOnUse: true, attachedPolicies: [Tier.administratorAccess]),
            ])
    }
}
