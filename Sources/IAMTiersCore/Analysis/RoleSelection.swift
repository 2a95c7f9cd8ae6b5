/// Which roles a `--role` argument means: a full ARN, a name, a path/name, a glob (`Admin*`), or for
/// IAM Identity Center roles the permission set name (`AdministratorAccess` matches
/// `AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70`).
public struct RoleQuery: Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public func matches(roleArn arn: String) -> Bool {
        let query = text.lowercased()
        let arn = arn.lowercased()
        if query.hasPrefix("arn:") { return glob(query, arn) }
        guard let rolePart = arn.range(of: ":role/").map({ String(arn[$0.upperBound...]) }) else { return false }
        let name = String(rolePart.split(separator: "/").last ?? "")
        if glob(query, name) || glob(query, rolePart) { return true }
        // `AWSReservedSSO_<permission set>_<hex>`: the set `Read` is not `Read_Ops`.
        let prefix = "awsreservedsso_\(query)_"
        return name.hasPrefix(prefix) && name.count > prefix.count
            && name.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }

    private func glob(_ pattern: String, _ text: String) -> Bool {
        globMatches(Array(pattern.utf8), Array(text.utf8))
    }
}

/// A role seen in the input, with how much it was used: the list `analyze` shows without `--role`.
public struct RoleSeen: Sendable, Hashable {
    public var arn: String
    public var events: Int
    public var sessions: Int
}

extension EventTotals {
    /// Every role that issued sessions, busiest first.
    public func rolesSeen() -> [RoleSeen] {
        var events: [String: Int] = [:]
        forEachCall { key, tally in
            if key.principalKind == .role { events[key.principal, default: 0] += tally.count }
        }
        return events.map { RoleSeen(arn: $0.key, events: $0.value, sessions: sessionNames[$0.key]?.count ?? 0) }
            .sorted { ($0.events, $1.arn) > ($1.events, $0.arn) }
    }
}
