/// Finds the companions the analysed calls needed (see `CompanionRules`) from the facts their
/// requests showed, and the ones they may have needed (the rest of AWS's lists and the catalog's
/// dependent actions), which are hints, not grants.
public struct CompanionFinder: Sendable {
    public let catalog: Catalog
    public let mapping: CloudTrailMapping
    public let operations: OperationActions

    public init(catalog: Catalog, mapping: CloudTrailMapping, operations: OperationActions) {
        self.catalog = catalog
        self.mapping = mapping
        self.operations = operations
    }

    /// Every action AWS lists for a CloudTrail call, or nil when it lists only the call's own.
    public func listedActions(eventSource: String, eventName: String) -> [String]? {
        operations.actions(
            prefix: mapping.prefix(ofEventSource: eventSource).prefix, operation: Self.operation(eventName))
    }

    /// The API operation a CloudTrail event name stands for: `CreateFunction20150331` is `CreateFunction`.
    static func operation(_ eventName: String) -> String { strippingVersionSuffix(eventName) ?? eventName }

    /// One companion a call needed: the action, the action whose call needed it, the rule and why,
    /// and for `iam:PassRole` the role and the service it went to.
    typealias Need = (
        action: String, neededBy: String, rule: String, reason: String, resource: String?, passedTo: String?
    )

    /// What a call group needed because of its request or its kind: one entry per companion.
    func companions(of call: CallKey, primary: [CatalogAction], fact: RequestFact?, observed: Set<String>) -> [Need] {
        // Without a fact only batch calls need more (every pair of the logs comes through here).
        if fact == nil && !call.eventName.hasPrefix("Batch") { return [] }
        let listed = listedActions(eventSource: call.eventSource, eventName: call.eventName) ?? []
        let own = Set(primary.map(\.fullName))
        let operation = "\(mapping.prefix(ofEventSource: call.eventSource).prefix):\(Self.operation(call.eventName))"
        var found: [Need] = []
        func add(_ action: String, _ rule: String, _ reason: String, resource: String? = nil, passedTo: String? = nil) {
            for needing in primary where needing.fullName != action {
                found.append((action, needing.fullName, rule, reason, resource, passedTo))
            }
        }
        switch fact {
        case .passedRole(let arn)?:
            guard listed.contains("iam:PassRole"), Self.isRoleOrProfileArn(arn) else { break }
            let isProfile = arn.contains(":instance-profile/")
            add(
                "iam:PassRole", "passes-role",
                isProfile
                    ? "the request names an instance profile, whose role the call passes; AWS lists iam:PassRole for \(operation)"
                    : "the request names a role the call passes; AWS lists iam:PassRole for \(operation)",
                resource: isProfile ? Self.rolesOfAccount(arn) : arn,
                passedTo: CompanionRules.passedToService(operation: operation, eventSource: call.eventSource))
        case .tags?:
            for action in listed where !own.contains(action) && isTagging(action) {
                add(action, "tags-on-create", "the request tags what it creates; AWS lists \(action) for \(operation)")
            }
        case .requestKey(let key)?:
            for rule in CompanionRules.keyRules
            where rule.key == key && rule.operation.lowercased() == operation.lowercased() {
                add(rule.companion, "request-key", "the request has \(key): \(rule.source)")
            }
        case .onBehalfOf(let service)?:
            guard call.onBehalf else { break }
            for action in primary {
                guard let served = CompanionRules.onBehalf[service.lowercased()]?[action.fullName] else { continue }
                let used = served.filter(observed.contains)
                for needing in used.isEmpty ? served : used {
                    found.append(
                        (
                            action.fullName, needing, "on-behalf",
                            "\(service) called \(action.fullName) for the caller (a key protects what \(needing) reads or writes)",
                            nil, nil
                        ))
                }
            }
        case nil:
            for action in listed where !own.contains(action) && isBatchItem(action, of: call.eventName) {
                add(action, "batch-item", "\(operation) needs \(action) on each item it returns")
            }
        }
        return found
    }

    /// What the actions a call group was mapped to may need besides what it did need: the rest of
    /// AWS's list for the call and the catalog's dependent actions.
    public func possibleCompanions(of used: Usage.ActionUsage, needed: Set<String>) -> [String] {
        var possible = Set<String>()
        for source in used.sources {
            possible.formUnion(listedActions(eventSource: source.eventSource, eventName: source.eventName) ?? [])
        }
        if let action = catalog.action(named: used.action) { possible.formUnion(catalog.dependentActions(of: action)) }
        possible.remove(used.action)
        return possible.subtracting(needed).sorted(by: caseInsensitiveLess)
    }

    /// `arn:<partition>:iam::<12 digits or *>:role/<path and name>` (or `instance-profile/`), in the
    /// characters IAM allows: text from the logs is granted only when it is an ARN IAM would take.
    static func isRoleOrProfileArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
            parts[4] == "*" || AccountID.isValid(parts[4])
        else { return false }
        let resource = parts[5]
        guard let kind = ["role/", "instance-profile/"].first(where: { resource.hasPrefix($0) }) else { return false }
        let name = resource.dropFirst(kind.count)
        return (1...512).contains(name.count) && name.last != "/"
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_/-".contains($0)) }
    }

    /// Every role of the account an instance profile ARN is in: the log does not say which role the
    /// profile holds, so `suggest` scopes `iam:PassRole` to the account's roles and opens an item.
    static func rolesOfAccount(_ profileArn: String) -> String {
        let parts = profileArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return "arn:aws:iam::*:role/*" }
        return "arn:\(parts[1]):iam::\(parts[4]):role/*"
    }

    private func isTagging(_ name: String) -> Bool {
        guard let action = catalog.action(named: name), action.accessLevel == .tagging else { return false }
        return !["Untag", "Remove", "Delete"].contains { action.name.hasPrefix($0) }
    }

    /// `BatchGetSecretValue` -> `GetSecretValue`, `BatchGetJobs` -> `GetJob`,
    /// `BatchDeleteKnowledgeBase` -> `DeleteKnowledgeBase`.
    private func isBatchItem(_ name: String, of operation: String) -> Bool {
        guard operation.hasPrefix("Batch"), let action = catalog.action(named: name) else { return false }
        let item = operation.dropFirst("Batch".count)
        return [item, item.hasSuffix("es") ? item.dropLast(2) : item, item.hasSuffix("s") ? item.dropLast() : item]
            .contains { $0.lowercased() == action.name.lowercased() }
    }
}
