/// `iamtiers replay`: every person's observed calls replayed against the tiers. Per person, the
/// share of their calls each tier's role allows and the lowest tier that allows all of them: the
/// role to give them. Overall, how many people (and their sign-ins) each tier fully serves, and
/// the calls only Admin serves.
public struct Replay: Sendable, Equatable, Encodable {
    public struct TierCoverage: Sendable, Equatable, Encodable {
        public var tier: String
        public var calls: Int
        /// Allowed calls over all calls, 0…1 (1 for a person with no allowed calls to replay).
        public var share: Double
    }

    public struct Person: Sendable, Equatable, Encodable {
        public var person: String
        public var calls: Int
        /// Sign-ins to the analysed role, matched by name (a SAML user's e-mail is the session name);
        /// nil when the usage file recorded none at all.
        public var signIns: Int?
        public var firstSignIn: EventTime?
        public var lastSignIn: EventTime?
        /// Source addresses of the sign-ins (the most any one role saw: addresses are counted per role).
        public var signInAddresses: Int?
        public var coverage: [TierCoverage]
        /// The lowest tier allowing every call; nil when none does.
        public var proposedTier: String?
        public var proposedRole: String?
        /// Used actions no tier below Admin allows, and their calls.
        public var onlyAdmin: [String]
        public var onlyAdminCalls: Int
    }

    public struct TierSummary: Sendable, Equatable, Encodable {
        public var tier: String
        public var role: String
        /// People whose calls this tier's role allows in full.
        public var peopleFullyServed: Int
        public var signInsFullyServed: Int?
        /// People for whom it is the lowest such tier.
        public var proposedFor: Int
    }

    public struct AdminOnlyAction: Sendable, Equatable, Encodable {
        public var action: String
        public var calls: Int
        public var people: [String]
    }

    /// What a tool reading the JSON checks first, as in every file iamtiers writes.
    public static let format = "iamtiers.replay/1"
    public let format = Replay.format
    public var tiers: [String]
    /// Whether a tier holds AdministratorAccess: without one, "only Admin" means "nobody".
    public var hasAdministratorTier: Bool
    /// By name.
    public var people: [Person]
    public var summary: [TierSummary]
    /// Most calls first.
    public var onlyAdmin: [AdminOnlyAction]
    public var totalCalls: Int
    /// Calls no IAM action explains (in the usage file's `unmapped`): not replayed.
    public var unmappedCalls: Int

    public init(tiers set: TierSet, usage: Usage, catalog: Catalog) {
        let grants = TierGrants(set, catalog: catalog)
        let signIns = Self.signIns(usage)
        tiers = grants.tierNames
        hasAdministratorTier = set.tiers.contains(where: \.isAdministrator)
        let people = usage.people.sorted { $0.name < $1.name }.map { person in
            let used = person.actions.filter { $0.count > 0 }.map { (name: $0.action.lowercased(), calls: $0.count) }
            let calls = used.reduce(0) { $0 + $1.calls }
            let coverage = grants.tierNames.indices.map { tier in
                let allowed = used.filter { grants.allows(tier, lowercased: $0.name) }.reduce(0) { $0 + $1.calls }
                return TierCoverage(
                    tier: grants.tierNames[tier], calls: allowed,
                    share: calls == 0 ? 1 : Double(allowed) / Double(calls))
            }
            let proposed = coverage.firstIndex { $0.calls == calls }
            let onlyAdmin = person.actions.filter { $0.count > 0 && grants.lowestDailyTier(allowing: $0.action) == nil }
            let signedIn = signIns?[person.name.lowercased()]
            return Person(
                person: person.name, calls: calls, signIns: signIns.map { _ in signedIn?.count ?? 0 },
                firstSignIn: signedIn?.first, lastSignIn: signedIn?.last, signInAddresses: signedIn?.addresses,
                coverage: coverage,
                proposedTier: proposed.map { set.tiers[$0].name },
                proposedRole: proposed.map { set.tiers[$0].roleName },
                onlyAdmin: onlyAdmin.map(\.action), onlyAdminCalls: onlyAdmin.reduce(0) { $0 + $1.count })
        }
        self.people = people
        summary = set.tiers.indices.map { tier in
            let served = people.filter { $0.coverage[tier].calls == $0.calls }
            return TierSummary(
                tier: set.tiers[tier].name, role: set.tiers[tier].roleName, peopleFullyServed: served.count,
                signInsFullyServed: signIns == nil ? nil : served.reduce(0) { $0 + ($1.signIns ?? 0) },
                proposedFor: people.filter { $0.proposedTier == set.tiers[tier].name }.count)
        }
        onlyAdmin = usage.actions.filter { $0.count > 0 && grants.lowestDailyTier(allowing: $0.action) == nil }
            .map { AdminOnlyAction(action: $0.action, calls: $0.count, people: $0.people) }
            .sorted { ($1.calls, $0.action) < ($0.calls, $1.action) }
        totalCalls = people.reduce(0) { $0 + $1.calls }
        unmappedCalls = usage.unmapped.reduce(0) { $0 + $1.count }
    }

    /// Sign-ins per user (lower-cased) over every analysed role, or nil when none were recorded.
    static func signIns(_ usage: Usage) -> [String: (count: Int, first: EventTime?, last: EventTime?, addresses: Int)]?
    {
        guard !usage.signIns.isEmpty else { return nil }
        var signIns: [String: (count: Int, first: EventTime?, last: EventTime?, addresses: Int)] = [:]
        for signIn in usage.signIns {
            let known = signIns[signIn.user.lowercased()] ?? (0, nil, nil, 0)
            signIns[signIn.user.lowercased()] = (
                known.count + signIn.count, [known.first, signIn.firstSeen].compactMap { $0 }.min(),
                [known.last, signIn.lastSeen].compactMap { $0 }.max(), max(known.addresses, signIn.sourceAddresses)
            )
        }
        return signIns
    }
}
