/// AWS limits that decide whether a tier's policies can be deployed (IAM and IAM Identity Center quotas).
public enum AWSLimits {
    /// A customer managed policy: non-whitespace characters.
    public static let managedPolicySize = 6_144
    /// All inline policies of one role together.
    public static let inlinePoliciesPerRole = 10_240
    /// Managed policies attached to one role: the default quota, and the most it can be raised to.
    public static let managedPoliciesPerRole = 10
    public static let managedPoliciesPerRoleMaximum = 20
    /// An IAM Identity Center permission set: its one inline policy, and the AWS and customer
    /// managed policies it may reference together (IAM Identity Center quotas). The role it provisions
    /// in each account is an IAM role, under that account's managed-policies-per-role quota too.
    public static let permissionSetInlinePolicy = 10_240
    public static let permissionSetManagedPolicies = 20
}

/// How full a tier's policy container is: what the curation screen draws as a meter.
public struct TierMeter: Sendable, Equatable {
    /// Characters used by the tier's own documents, as IAM counts them.
    public var used: Int
    /// Characters the container can hold in all (documents allowed × size each, or the aggregate).
    public var capacity: Int
    /// Documents the tier needs, and how many its container allows (after attachments and inheritance).
    public var documents: Int
    public var documentLimit: Int
    public var perDocumentLimit: Int
    /// Actions the tier's role is granted by its own policies.
    public var grantedActions: Int
    /// An estimate from the tier's average action length: how many more actions would still fit.
    public var moreActionsFit: Int
    public var fits: Bool { problems.isEmpty }
    /// Why it does not fit, in words.
    public var problems: [String]
    /// What the room is made of: the managed policies the role (or permission set) has attached,
    /// its own and its lower tiers'; the policies of lower tiers attached to it as they are; and the
    /// quota both count against.
    public var attachedPolicies = 0
    public var inheritedPolicies = 0
    public var policyQuota = 0
}

/// The policies of one tier, and its meter.
public struct TierPolicies: Sendable, Equatable {
    public var tier: String
    public var container: PolicyContainer
    public var documents: [PolicyDocument]
    public var meter: TierMeter
    /// The wildcards compression used, each with what it grants today.
    public var patterns: [CompressionPattern] = []
    /// Companions the tier's role would lack although it gets the actions that need them: its
    /// documents grant them too, so a role never has an action without its companions. `check`
    /// names each; a note on the needing action accepts the gap.
    public var addedCompanions: [Assignment] = []
    /// The allow statements before they are cut to fit, by service as the actions spell it: what
    /// a move re-meters from, rebuilding only the services it touched.
    var statementsByService: [String: PolicyStatement] = [:]
}

/// Which services' action lists may be compressed into wildcards.
public enum CompressionScope: Sendable, Equatable {
    case off
    case all
    case services(Set<String>)

    func includes(_ service: String) -> Bool {
        switch self {
        case .off: return false
        case .all: return true
        case .services(let services): return services.contains(service.lowercased())
        }
    }
}

/// Turns tiers into IAM policy documents: statements per service with stable Sids, packed into as
/// few documents as the container's limits allow (first-fit decreasing), and metered.
public struct PolicySynthesizer: Sendable {
    /// The role's managed-policy quota (10 by default, raisable to 20).
    public var managedPolicyQuota: Int
    public var compression: CompressionScope
    public var style: Compressor.Style
    public var layout: Layout
    /// Needed for compression: which actions each pattern would grant.
    public var catalog: Catalog?

    /// How actions are grouped into statements.
    public enum Layout: String, Sendable, CaseIterable {
        /// One statement per service, Sid `<Tier><Service>`: readable, and diffs by service.
        case perService = "per-service"
        /// One statement per document: the fewest characters.
        case compact
    }

    public init(
        managedPolicyQuota: Int = AWSLimits.managedPoliciesPerRole, compression: CompressionScope = .off,
        style: Compressor.Style = .readable, layout: Layout = .perService, catalog: Catalog? = nil
    ) {
        self.managedPolicyQuota = min(max(1, managedPolicyQuota), AWSLimits.managedPoliciesPerRoleMaximum)
        self.compression = catalog == nil ? .off : compression
        self.style = style
        self.layout = layout
        self.catalog = catalog
    }

    public func policies(for set: TierSet) -> [TierPolicies] { policies(for: set, reusing: nil) }

    /// After a change that moved actions of the given services (lower-case prefixes) into or out
    /// of the `changed` tiers only (the editor's keys): a tier that neither changed nor inherits a
    /// changed one, and whose missing companions are the same, keeps its policies, and a changed one
    /// rebuilds only those services' statements. Re-synthesizing every tier of a 20,000-action
    /// ladder was most of such a key's time.
    public func policies(for set: TierSet, reusing previous: [TierPolicies]?, changed: [Int: Set<String>] = [:])
        -> [TierPolicies]
    {
        var result: [TierPolicies] = []
        let missing = Self.missingCompanions(in: set)
        // What a tier takes from a changed lower tier: its actions (copied), or only its number of
        // documents when both are managed policies (attached as they are).
        func changesInherited(by index: Int, _ previous: [TierPolicies]) -> Bool {
            set.inheritedTiers(of: index).contains { lower in
                guard changed[lower] != nil else { return false }
                let attachedAsTheyAre = set.tiers[index].container == .managed && set.tiers[lower].container == .managed
                return !attachedAsTheyAre || result[lower].documents.count != previous[lower].documents.count
            }
        }
        for index in set.tiers.indices {
            let added: [Assignment] = set.tiers[index].isAdministrator ? [] : missing[index]
            guard let previous, previous.count == set.tiers.count else {
                result.append(tierPolicies(index, in: set, built: result, added: added))
                continue
            }
            if changed[index] == nil && !changesInherited(by: index, previous)
                && previous[index].addedCompanions == added
            {
                result.append(previous[index])
                continue
            }
            // The services that changed here, and in the lower tiers this one copies.
            let services = ([index] + set.inheritedTiers(of: index)).reduce(into: Set<String>()) {
                $0.formUnion(changed[$1] ?? [])
            }
            result.append(
                retouched(index, in: set, built: result, previous: previous[index], services: services, added: added)
                    ?? tierPolicies(index, in: set, built: result, added: added))
        }
        return result
    }

    /// One tier's policies; `built` holds the lower tiers' (their documents count when attached).
    private func tierPolicies(_ index: Int, in set: TierSet, built result: [TierPolicies], added: [Assignment])
        -> TierPolicies
    {
        let tier = set.tiers[index]
        let own = ownActions(of: index, in: set, built: result)
        let actions: [String] = own.actions + added.filter { !$0.isScoped }.map(\.action)
        let scoped: [Assignment] = own.scoped + added.filter(\.isScoped)
        var listed = actions
        var patterns: [CompressionPattern] = []
        if let catalog, compression != .off {
            let granted = Set((set.grantedActions(of: index).map(\.action) + actions).map { $0.lowercased() })
            let inScope = actions.filter { compression.includes(String($0.split(separator: ":").first ?? "")) }
            let compressed = Compressor(catalog: catalog, style: style).compress(inScope, granted: granted)
            listed =
                actions.filter { !compression.includes(String($0.split(separator: ":").first ?? "")) }
                + compressed.actions + compressed.patterns.map(\.pattern)
            patterns = compressed.patterns
        }
        let byService = layout == .compact ? [:] : Self.statements(for: listed, tierName: tier.name)
        let statements =
            layout == .compact
            ? [
                PolicyStatement(
                    sid: ExportName.pascal(tier.name),
                    actions: listed.map { (key: $0.lowercased(), action: $0) }.sorted { $0.key < $1.key }.map(
                        \.action))
            ].filter { !$0.actions.isEmpty }
            : Array(byService.values)
        // The deny list goes with the allows: an explicit Deny wins over any Allow the role has.
        let denials =
            tier.deny.isEmpty
            ? []
            : [
                PolicyStatement(
                    sid: ExportName.pascal(tier.name) + "Deny", actions: tier.deny.sorted(), denies: true)
            ]
        let scopedStatements: [PolicyStatement] = Self.scopedStatements(scoped, tierName: tier.name)
        var policies = pack(
            tier, denials + statements + scopedStatements, actionCount: actions.count + scoped.count,
            attached: set.attachedPolicies(of: index).count, inheritedDocuments: own.inherited)
        policies.patterns = patterns
        policies.addedCompanions = added
        policies.statementsByService = byService
        return policies
    }

    /// A tier whose actions changed in `services` (lower-case prefixes) only, re-metered from its
    /// previous policies: those services' statements rebuilt, the others kept, everything packed
    /// again. Nil where that would not give what `tierPolicies` gives (compressed or scoped
    /// actions, wildcards of the tier's own, companions that changed, the compact layout).
    private func retouched(
        _ index: Int, in set: TierSet, built: [TierPolicies], previous: TierPolicies, services: Set<String>,
        added: [Assignment]
    ) -> TierPolicies? {
        let tier = set.tiers[index]
        guard layout == .perService, !tier.isAdministrator, previous.addedCompanions == added,
            previous.container == tier.container, !services.contains(where: compression.includes)
        else { return nil }
        let lower = set.inheritedTiers(of: index)
        let attachedAsTheyAre = lower.filter { tier.container == .managed && set.tiers[$0].container == .managed }
        let sources = [index] + lower.filter { !attachedAsTheyAre.contains($0) }
        guard sources.allSatisfy({ set.tiers[$0].patterns.isEmpty }) else { return nil }
        var byService = previous.statementsByService
        var actionCount = previous.meter.grantedActions
        var scoped: [Assignment] = added.filter(\.isScoped)
        for service in services {
            let prefix = Array(service.utf8)
            var found: [String] = []
            for source in sources {
                for assignment in set.tiers[source].actions where Self.isAction(assignment.action, of: prefix) {
                    guard !assignment.isScoped else { return nil }
                    found.append(assignment.action)
                }
            }
            found += added.filter { !$0.isScoped && Self.isAction($0.action, of: prefix) }.map(\.action)
            if sources.count > 1 { found = Array(Set(found)) }
            for (key, statement) in byService where key.lowercased() == service {
                actionCount -= statement.actions.count
                byService[key] = nil
            }
            actionCount += found.count
            for (key, statement) in Self.statements(for: found, tierName: tier.name) { byService[key] = statement }
        }
        for source in sources { scoped += set.tiers[source].actions.filter(\.isScoped) }
        let denials =
            tier.deny.isEmpty
            ? []
            : [PolicyStatement(sid: ExportName.pascal(tier.name) + "Deny", actions: tier.deny.sorted(), denies: true)]
        var policies = pack(
            tier, denials + Array(byService.values) + Self.scopedStatements(scoped, tierName: tier.name),
            actionCount: actionCount, attached: set.attachedPolicies(of: index).count,
            inheritedDocuments: attachedAsTheyAre.reduce(0) { $0 + built[$1].documents.count })
        policies.patterns = previous.patterns
        policies.addedCompanions = added
        policies.statementsByService = byService
        return policies
    }

    /// Whether `action` is `service:…` for the lower-case service bytes, whatever its case.
    private static func isAction(_ action: String, of service: [UInt8]) -> Bool {
        var bytes = action.utf8.makeIterator()
        for expected in service {
            guard let byte = bytes.next(), byte | (byte >= 65 && byte <= 90 ? 0x20 : 0) == expected else {
                return false
            }
        }
        return bytes.next() == UInt8(ascii: ":")
    }

    /// The actions the tier's own documents must hold (scoped ones apart: each is a statement of its
    /// own), and how many lower-tier managed documents its role attaches by inheritance. Inline
    /// policies cannot be shared, so a tier inherits those by copy.
    func ownActions(of index: Int, in set: TierSet, built: [TierPolicies]) -> (
        actions: [String], scoped: [Assignment], inherited: Int
    ) {
        let tier = set.tiers[index]
        guard !tier.isAdministrator else { return ([], [], 0) }
        var actions: [String] = []
        var scoped: [Assignment] = []
        actions.reserveCapacity(tier.actions.count + tier.patterns.count)
        // By position: a loop over the assignments would copy each one (five fields) to read two.
        for position in tier.actions.indices {
            if tier.actions[position].isScoped {
                scoped.append(tier.actions[position])
            } else {
                actions.append(tier.actions[position].action)
            }
        }
        actions += tier.patterns
        // A tier's own actions are unique (the tiers file allows an action once); copies from lower
        // tiers and patterns are what can repeat.
        var mayRepeat = !tier.patterns.isEmpty
        var inherited = 0
        for lower in set.inheritedTiers(of: index) {
            let below = set.tiers[lower]
            if tier.container == .managed && below.container == .managed {
                inherited += built[lower].documents.count
            } else {
                actions += below.actions.filter { !$0.isScoped }.map(\.action) + below.patterns
                scoped += below.actions.filter(\.isScoped)
                mayRepeat = true
            }
        }
        return (mayRepeat ? Array(Set(actions)) : actions, scoped, inherited)
    }

    /// For each tier, the companions (assignments whose rule says `companion-of: …`) of actions its
    /// role gets, which its role would not get: unless a note on the needing action accepts the gap.
    static func missingCompanions(in set: TierSet) -> [[Assignment]] {
        var missing = set.tiers.map { _ in [Assignment]() }
        let companions = set.companionAssignments()
        guard !companions.isEmpty else { return missing }
        // Where the served actions are, and whether a note accepts a gap.
        let served = Set(companions.flatMap(\.assignment.companionOf))
        var placement: [String: (tier: Int, accepted: Bool)] = [:]
        for action in served {
            if let found = set.placement(of: action) {
                placement[action] = (found.tier, !(found.assignment.note ?? "").isEmpty)
            }
        }
        for index in set.tiers.indices {
            for (home, companion) in companions where !set.reaches(index, home) {
                let needed = companion.companionOf.contains { action in
                    placement[action].map { set.reaches(index, $0.tier) && !$0.accepted } ?? false
                }
                if needed { missing[index].append(companion) }
            }
            missing[index] = TiersFile.sortedAssignments(missing[index])
        }
        return missing
    }

    /// Each scope of a scoped assignment is a statement of its own: `<Tier><Service><Action>` (then
    /// numbered), its resources, and for `iam:PassRole` the services the roles may be passed to.
    static func scopedStatements(_ scoped: [Assignment], tierName: String) -> [PolicyStatement] {
        var used: [String: Int] = [:]
        var statements: [PolicyStatement] = []
        for assignment in TiersFile.sortedAssignments(scoped) {
            for scope in assignment.scopes {
                var sid = ExportName.pascal(tierName) + ExportName.pascal(assignment.action)
                used[sid, default: 0] += 1
                if let number = used[sid], number > 1 { sid += String(number) }
                var conditions: [(key: String, values: [String])] = []
                if !scope.passedTo.isEmpty { conditions.append((key: "iam:PassedToService", values: scope.passedTo)) }
                statements.append(
                    PolicyStatement(
                        sid: sid, actions: [assignment.action], resources: scope.resources, conditions: conditions))
            }
        }
        return statements
    }

    /// One statement per service, Sid `<Tier><Service>` (letters and digits only), actions sorted.
    static func statements(for actions: [String], tierName: String) -> [String: PolicyStatement] {
        // Tiers keep their actions sorted, so this is usually a check, not a sort. In that order each
        // service is one run: grouping costs a dictionary step per service, not per action, which
        // is what keeps re-metering a 15,000-action tier on every keystroke cheap.
        let sorted =
            zip(actions, actions.dropFirst()).allSatisfy { !caseInsensitiveLess($1, $0) }
            ? actions : actions.sorted(by: caseInsensitiveLess)
        var byService: [String: [String]] = [:]
        var runStart = 0
        var runService = sorted.first.map(Self.service(of:))
        for index in sorted.indices.dropFirst() {
            guard let previous = runService, !Self.hasServicePart(sorted[index], previous) else { continue }
            byService[previous, default: []] += sorted[runStart..<index]
            runStart = index
            runService = Self.service(of: sorted[index])
        }
        if let runService { byService[runService, default: []] += sorted[runStart...] }
        let tierWord = ExportName.pascal(tierName)
        return Dictionary(
            uniqueKeysWithValues: byService.map { service, actions in
                (service, PolicyStatement(sid: tierWord + ExportName.pascal(service), actions: actions))
            })
    }

    /// The part of a name before its first colon (all of it without one).
    private static func service(of action: String) -> String {
        String(action.utf8.prefix { $0 != UInt8(ascii: ":") })!
    }

    /// Whether the name's part before its first colon is `service`, byte for byte: checked for every
    /// action of a tier on every key, so on the bytes in place, not through a substring of each.
    private static func hasServicePart(_ action: String, _ service: String) -> Bool {
        let length = service.utf8.count
        let answer = action.utf8.withContiguousStorageIfAvailable { name in
            service.utf8.withContiguousStorageIfAvailable { service in
                (name.count == length || (name.count > length && name[length] == UInt8(ascii: ":")))
                    && name[..<length].elementsEqual(service)
            }
        }
        if let inPlace = answer ?? nil { return inPlace }
        return Self.service(of: action) == service
    }

    /// `attached` counts every policy the role has attached, its own and inherited ones, against the quota.
    private func pack(
        _ tier: Tier, _ statements: [PolicyStatement], actionCount: Int, attached: Int, inheritedDocuments: Int
    ) -> TierPolicies {
        var problems: [String] = []
        let documents: [PolicyDocument]
        let perDocument: Int
        let documentLimit: Int
        let capacity: Int
        switch tier.container {
        case .managed:
            perDocument = AWSLimits.managedPolicySize
            documents = Self.pack(statements, limit: perDocument)
            documentLimit = max(0, managedPolicyQuota - attached - inheritedDocuments)
            capacity = documentLimit * perDocument
            if documents.count > documentLimit {
                problems.append(
                    "needs \(documents.count) managed policies of at most \(groupedDigits(perDocument)) characters, but the "
                        + "role can take \(documentLimit) more (quota \(managedPolicyQuota), \(attached) attached, "
                        + "\(inheritedDocuments) inherited)")
            }
        case .inline:
            perDocument = AWSLimits.inlinePoliciesPerRole
            documents = Self.pack(statements, limit: perDocument)
            documentLimit = documents.count
            capacity = AWSLimits.inlinePoliciesPerRole
        case .identityCenter:
            // The inline policy first; what does not fit goes into customer managed policies the
            // permission set references by name (each account holds a copy), within the quota.
            perDocument = AWSLimits.permissionSetInlinePolicy
            documents = Self.packPermissionSet(statements)
            let references = max(0, min(AWSLimits.permissionSetManagedPolicies, managedPolicyQuota) - attached)
            documentLimit = 1 + references
            capacity = AWSLimits.permissionSetInlinePolicy + references * AWSLimits.managedPolicySize
            if documents.count > documentLimit {
                problems.append(
                    "needs its inline policy and \(documents.count - 1) customer managed policies of at most "
                        + "\(groupedDigits(AWSLimits.managedPolicySize)) characters, but the permission set can reference "
                        + "\(references) more (quota \(min(AWSLimits.permissionSetManagedPolicies, managedPolicyQuota)), "
                        + "\(attached) attached)")
            }
        }
        let used = documents.reduce(0) { $0 + $1.size }
        if tier.container == .inline && used > capacity {
            problems.append(
                "its inline policies add up to \(groupedDigits(used)) characters; a role allows \(groupedDigits(capacity)) in all"
            )
        }
        let averageAction =
            actionCount == 0 ? 30 : max(1, (used - PolicyDocument.overhead * documents.count) / actionCount)
        return TierPolicies(
            tier: tier.name, container: tier.container, documents: documents,
            meter: TierMeter(
                used: used, capacity: capacity, documents: documents.count, documentLimit: documentLimit,
                perDocumentLimit: perDocument, grantedActions: actionCount,
                moreActionsFit: max(0, capacity - used - PolicyDocument.overhead) / averageAction, problems: problems,
                attachedPolicies: attached, inheritedPolicies: inheritedDocuments,
                policyQuota: tier.container == .identityCenter
                    ? min(AWSLimits.permissionSetManagedPolicies, managedPolicyQuota) : managedPolicyQuota))
    }

    /// A permission set's documents: one inline policy of up to 10,240 characters, then customer
    /// managed policies of up to 6,144. Pieces are cut to fit the smaller, the inline policy takes
    /// the largest that fit it, first-fit decreasing, and the rest are packed as managed policies.
    static func packPermissionSet(_ statements: [PolicyStatement]) -> [PolicyDocument] {
        let inline = pack(statements, limit: AWSLimits.permissionSetInlinePolicy)
        guard inline.count > 1 else { return inline }
        var first = PolicyDocument(statements: [])
        var size = PolicyDocument.overhead
        var rest: [PolicyStatement] = []
        for (piece, pieceSize) in sizedDecreasing(
            split(statements, room: AWSLimits.managedPolicySize - PolicyDocument.overhead))
        {
            if size + 1 + pieceSize <= AWSLimits.permissionSetInlinePolicy {
                first.statements.append(piece)
                size += 1 + pieceSize
            } else {
                rest.append(piece)
            }
        }
        first.statements.sort { $0.sid < $1.sid }
        return [first] + pack(rest, limit: AWSLimits.managedPolicySize)
    }

    /// First-fit decreasing: statements too large for one document are split first; the result is
    /// ordered by Sid so that the same tiers always give the same documents.
    static func pack(_ statements: [PolicyStatement], limit: Int) -> [PolicyDocument] {
        var documents: [PolicyDocument] = []
        var sizes: [Int] = []
        for (piece, size) in sizedDecreasing(split(statements, room: limit - PolicyDocument.overhead)) {
            if let index = sizes.firstIndex(where: { $0 + 1 + size <= limit }) {
                documents[index].statements.append(piece)
                sizes[index] += 1 + size
            } else {
                documents.append(PolicyDocument(statements: [piece]))
                sizes.append(PolicyDocument.overhead + size)
            }
        }
        for index in documents.indices { documents[index].statements.sort { $0.sid < $1.sid } }
        return documents.sorted { ($0.statements.first?.sid ?? "") < ($1.statements.first?.sid ?? "") }
    }

    /// Largest first, ties by Sid. The order is sorted, not the pieces, which would move their
    /// fields around.
    private static func sizedDecreasing(
        _ pieces: [(statement: PolicyStatement, size: Int)]
    ) -> some Sequence<(statement: PolicyStatement, size: Int)> {
        pieces.indices.sorted { left, right in
            // Sids only on ties: reading one costs a retain and a release.
            pieces[left].size != pieces[right].size
                ? pieces[left].size > pieces[right].size : pieces[left].statement.sid < pieces[right].statement.sid
        }
        .lazy.map { pieces[$0] }
    }

    /// Statements larger than `room` cut where the next action would overflow, parts numbered; each
    /// piece with its size, computed once (the meter runs this on every keystroke of the curation screen).
    private static func split(_ statements: [PolicyStatement], room: Int) -> [(statement: PolicyStatement, size: Int)] {
        var pieces: [(statement: PolicyStatement, size: Int)] = []
        for statement in statements {
            let size = statement.size
            guard size > room else {
                pieces.append((statement, size))
                continue
            }
            // Cut the list where the next action would overflow, keeping a running size.
            var part = PolicyStatement(sid: statement.sid, actions: [], denies: statement.denies)
            var partCharacters = 0
            var number = 1
            for action in statement.actions {
                let characters = action.utf8.count
                let grown = PolicyStatement.size(
                    sid: part.sid, actionCharacters: partCharacters + characters, count: part.actions.count + 1)
                if grown > room && !part.actions.isEmpty {
                    pieces.append((part, part.size))
                    number += 1
                    part = PolicyStatement(
                        sid: statement.sid + "Part" + String(number), actions: [action], denies: statement.denies)
                    partCharacters = characters
                } else {
                    part.actions.append(action)
                    partCharacters += characters
                }
            }
            pieces.append((part, part.size))
        }
        return pieces
    }
}

extension TierPolicies {
    /// "2 of 10 managed", or "AdministratorAccess" for a tier that attaches it.
    public func documentsText(of tier: Tier) -> String {
        tier.isAdministrator
            ? "AdministratorAccess"
            : container == .identityCenter
                ? "\(meter.documents) of \(meter.documentLimit) permission set"
                : "\(meter.documents) of \(meter.documentLimit) \(container.rawValue)"
    }

    /// "8,136 of 61,440 characters", or "-" when the tier needs no policy of its own.
    public func sizeText(of tier: Tier) -> String {
        tier.isAdministrator ? "-" : "\(groupedDigits(meter.used)) of \(groupedDigits(meter.capacity)) characters"
    }
}

/// ASCII case-insensitive equality without building lower-cased copies.
public func caseInsensitiveEquals(_ left: String, _ right: String) -> Bool {
    left.utf8.count == right.utf8.count && !caseInsensitiveLess(left, right) && !caseInsensitiveLess(right, left)
}

/// ASCII case-insensitive order without building lower-cased copies (action names are ASCII).
public func caseInsensitiveLess(_ left: String, _ right: String) -> Bool {
    // Native strings compare on their bytes in place: tiers are checked for order on every key,
    // and names share long prefixes (`ec2:Describe…`) that an iterator walks slowly.
    let inPlace = left.utf8.withContiguousStorageIfAvailable { leftBytes in
        right.utf8.withContiguousStorageIfAvailable { rightBytes in
            let shorter = min(leftBytes.count, rightBytes.count)
            var index = 0
            // Folded only where they differ: most bytes compared are the same.
            while index < shorter {
                if leftBytes[index] != rightBytes[index] {
                    let (a, b) = (asciiLowercased(leftBytes[index]), asciiLowercased(rightBytes[index]))
                    if a != b { return a < b }
                }
                index += 1
            }
            return leftBytes.count < rightBytes.count
        }
    }
    if let answer = inPlace ?? nil { return answer }
    return compareLowercased(left.utf8, right.utf8) == .orderedAscending
}
