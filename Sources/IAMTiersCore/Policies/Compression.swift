/// A wildcard that replaces a list of actions, and what it grants today.
public struct CompressionPattern: Sendable, Equatable {
    /// e.g. `ec2:Describe*`.
    public var pattern: String
    /// Every catalog action the pattern matches today (all granted to the role anyway). AWS may add
    /// more actions with this prefix later, and the pattern will grant them too.
    public var matches: [String]
    /// How many of the tier's own listed actions it replaces.
    public var replaces: Int
}

/// Tier-safe, explainable compression: action lists become `service:Prefix*` patterns only where
/// every action the pattern matches in the catalog is granted to the role anyway (its own tier or
/// an inherited lower one), never an action of a higher tier or an unassigned one. Prefixes end at
/// CamelCase word boundaries (`ec2:Describe*`, `s3:GetBucket*`), so patterns stay readable.
public struct Compressor: Sendable {
    public enum Style: String, Sendable, CaseIterable {
        /// Prefixes end at CamelCase word boundaries and replace at least two listed actions.
        case readable
        /// Any prefix that saves characters, as Policy Sentry's --minimize does (`ec2:describesu*`).
        case smallest
    }

    public let catalog: Catalog
    public var style: Style

    public init(catalog: Catalog, style: Style = .readable) {
        self.catalog = catalog
        self.style = style
    }

    /// The tier's own actions as the fewest characters: patterns plus the actions they do not cover.
    /// `granted` holds, lower-cased, everything the role may have (own and inherited actions).
    public func compress(_ actions: [String], granted: Set<String>) -> (
        actions: [String], patterns: [CompressionPattern]
    ) {
        var byService: [String: [String]] = [:]
        for action in actions {
            byService[String(action.split(separator: ":", maxSplits: 1).first ?? ""), default: []].append(action)
        }
        var remaining: [String] = []
        var patterns: [CompressionPattern] = []
        for service in byService.keys.sorted() {
            let result = compressService(service, byService[service]!, granted: granted)
            remaining += result.actions
            patterns += result.patterns
        }
        return (remaining, patterns)
    }

    private func compressService(_ service: String, _ own: [String], granted: Set<String>)
        -> (actions: [String], patterns: [CompressionPattern])
    {
        // The catalog's names of the service, sorted lower-case (its own order), and a running count of
        // those the role may not have: a prefix is safe when its range holds none of them.
        let catalogNames = catalog.actions(inService: service).map(\.name)
        guard !catalogNames.isEmpty else { return (own, []) }
        let catalogLowered = catalogNames.map { $0.lowercased() }
        var forbiddenBefore = [0]
        for name in catalogLowered {
            forbiddenBefore.append(forbiddenBefore.last! + (granted.contains("\(service):\(name)") ? 0 : 1))
        }
        let ownNames = Array(Set(own.map { String($0.split(separator: ":", maxSplits: 1).last ?? "") }))
            .sorted { $0.lowercased() < $1.lowercased() }
        let ownLowered = ownNames.map { $0.lowercased() }
        let minimumReplaced = style == .readable ? 2 : 1

        struct Candidate {
            var prefix: String
            var catalogRange: Range<Int>
            var ownRange: Range<Int>
        }
        var candidates: [Candidate] = []
        var seen = Set<String>()
        for name in ownNames {
            for prefix in style == .readable ? Self.wordPrefixes(name) : Self.allPrefixes(name) {
                let lowered = prefix.lowercased()
                guard seen.insert(lowered).inserted else { continue }
                let range = Self.prefixRange(lowered, in: catalogLowered)
                guard forbiddenBefore[range.upperBound] - forbiddenBefore[range.lowerBound] == 0 else { continue }
                let ownRange = Self.prefixRange(lowered, in: ownLowered)
                guard ownRange.count >= minimumReplaced else { continue }
                candidates.append(Candidate(prefix: prefix, catalogRange: range, ownRange: ownRange))
            }
        }
        let lengths = ownNames.map { service.utf8.count + 1 + $0.utf8.count + 3 }  // "svc:Name",
        var covered = [Bool](repeating: false, count: ownNames.count)
        var used = [Bool](repeating: false, count: candidates.count)
        var patterns: [CompressionPattern] = []
        while true {
            // The candidate that saves the most characters now; ties go to the shorter (more general) prefix.
            var best: (index: Int, saving: Int)?
            for index in candidates.indices where !used[index] {
                let fresh = candidates[index].ownRange.filter { !covered[$0] }
                guard fresh.count >= minimumReplaced else { continue }
                let listed = fresh.reduce(0) { $0 + lengths[$1] }
                let saving = listed - (service.utf8.count + 1 + candidates[index].prefix.utf8.count + 1 + 3)
                if saving > 0
                    && (best == nil || saving > best!.saving
                        || (saving == best!.saving
                            && candidates[index].prefix.count < candidates[best!.index].prefix.count))
                {
                    best = (index, saving)
                }
            }
            guard let chosen = best else { break }
            used[chosen.index] = true
            let candidate = candidates[chosen.index]
            let replaced = candidate.ownRange.filter { !covered[$0] }
            for index in replaced { covered[index] = true }
            patterns.append(
                CompressionPattern(
                    pattern: "\(service):\(candidate.prefix)*",
                    matches: candidate.catalogRange.map { "\(service):\(catalogNames[$0])" }, replaces: replaced.count))
        }
        let remaining = ownNames.indices.filter { !covered[$0] }.map { "\(service):\(ownNames[$0])" }
        let greedy = (remaining, patterns.sorted { $0.pattern < $1.pattern })
        guard style == .smallest else { return greedy }
        // Also each action's shortest safe prefix on its own (Policy Sentry's method); keep the shorter.
        var shortest: [String: (range: Range<Int>, replaces: Int)] = [:]
        var exact: [String] = []
        for (index, name) in ownLowered.enumerated() {
            let safePrefix = (1..<name.count).lazy.map { String(name.prefix($0)) }.first { prefix in
                let range = Self.prefixRange(prefix, in: catalogLowered)
                return forbiddenBefore[range.upperBound] - forbiddenBefore[range.lowerBound] == 0
            }
            if let prefix = safePrefix, prefix.count + 1 < name.count {
                let original = String(ownNames[index].prefix(prefix.count))
                shortest[original, default: (Self.prefixRange(prefix, in: catalogLowered), 0)].replaces += 1
            } else {
                exact.append("\(service):\(ownNames[index])")
            }
        }
        let perAction = (
            exact,
            shortest.keys.sorted().map { prefix in
                CompressionPattern(
                    pattern: "\(service):\(prefix)*",
                    matches: shortest[prefix]!.range.map { "\(service):\(catalogNames[$0])" },
                    replaces: shortest[prefix]!.replaces)
            }
        )
        func characters(_ result: (actions: [String], patterns: [CompressionPattern])) -> Int {
            (result.actions + result.patterns.map(\.pattern)).reduce(0) { $0 + $1.utf8.count + 3 }
        }
        return characters(perAction) < characters(greedy) ? perAction : greedy
    }

    /// The indices of `sorted` (lower-case, ascending) whose entries start with `prefix`.
    static func prefixRange(_ prefix: String, in sorted: [String]) -> Range<Int> {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < sorted.count && sorted[end].hasPrefix(prefix) { end += 1 }
        return low..<end
    }

    /// `DescribeInstanceStatus` -> `Describe`, `DescribeInstance`; `ListDBInstances` -> `List`, `ListDB`.
    static func wordPrefixes(_ name: String) -> [String] {
        let characters = Array(name)
        var prefixes: [String] = []
        for index in 1..<max(1, characters.count) where characters[index].isUppercase {
            let previous = characters[index - 1]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let startsWord =
                previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true)
            if startsWord { prefixes.append(String(characters[..<index])) }
        }
        return prefixes
    }

    static func allPrefixes(_ name: String) -> [String] {
        (1..<max(1, name.count)).map { String(name.prefix($0)) }
    }
}
