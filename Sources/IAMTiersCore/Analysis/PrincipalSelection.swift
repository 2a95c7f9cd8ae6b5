/// Which roles a `--role` argument means: a full ARN, a name, a path/name, a glob (`Admin*`), or for
/// IAM Identity Center roles the permission set name (`AdministratorAccess` matches
/// `AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70`), with or without the `AWSReservedSSO_`
/// prefix.
public struct RoleQuery: Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// The permission set an IAM Identity Center role stands for (`…:role/aws-reserved/sso.amazonaws.com/
    /// AWSReservedSSO_AdministratorAccess_6f1c2b3a4d5e6f70` → `AdministratorAccess`); nil for any other role.
    public static func permissionSet(ofRoleArn arn: String) -> String? {
        guard arn.contains(":role/"), let name = arn.split(separator: "/").last, name.hasPrefix("AWSReservedSSO_"),
            let hash = name.lastIndex(of: "_"), name.index(after: hash) < name.endIndex,
            name[name.index(after: hash)...].allSatisfy(\.isHexDigit)
        else { return nil }
        let set = name[name.index(name.startIndex, offsetBy: "AWSReservedSSO_".count)..<hash]
        return set.isEmpty ? nil : String(set)
    }

    public func matches(roleArn arn: String) -> Bool {
        let query = text.lowercased()
        let arn = arn.lowercased()
        guard let name = namedMatch(query, arn, kind: ":role/") else { return false }
        if name.matched { return true }
        // `AWSReservedSSO_<permission set>_<hex>`: the set `Read` is not `Read_Ops`.
        let reserved = "awsreservedsso_"
        let set = query.hasPrefix(reserved) ? String(query.dropFirst(reserved.count)) : query
        let prefix = reserved + set + "_"
        return name.name.hasPrefix(prefix) && name.name.count > prefix.count
            && name.name.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }
}

/// Which IAM users a `--user` argument means: a name, a path/name, an ARN or a glob of any of them.
public struct UserQuery: Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public func matches(userArn arn: String) -> Bool {
        namedMatch(text.lowercased(), arn.lowercased(), kind: ":user/")?.matched == true
    }
}

/// A lower-cased query against a lower-cased ARN of a named principal (`kind` is `:role/` or
/// `:user/`): an ARN query is a glob of the whole ARN, anything else of the name or the path/name.
/// nil when the ARN is not of that kind; else whether it matched, and the name.
private func namedMatch(_ query: String, _ arn: String, kind: String) -> (matched: Bool, name: String)? {
    guard let path = arn.range(of: kind).map({ String(arn[$0.upperBound...]) }) else { return nil }
    let name = String(path.split(separator: "/").last ?? "")
    if query.hasPrefix("arn:") { return (glob(query, arn), name) }
    return (glob(query, name) || glob(query, path), name)
}

/// The principals whose calls are the usage: roles (`--role`), IAM users (`--user`) and any
/// principal by ARN or glob (`--principal`: roles, users, the root user, federated users). Several
/// of them together are one usage: every member of an admin group, say.
public struct PrincipalSelection: Sendable, Hashable {
    public var roles: [RoleQuery]
    public var users: [UserQuery]
    public var principals: [String]

    public init(roles: [RoleQuery] = [], users: [UserQuery] = [], principals: [String] = []) {
        self.roles = roles
        self.users = users
        self.principals = principals
    }

    public static func role(_ text: String) -> PrincipalSelection { PrincipalSelection(roles: [RoleQuery(text)]) }

    public var isEmpty: Bool { roles.isEmpty && users.isEmpty && principals.isEmpty }

    public func matches(_ kind: PrincipalKind, _ arn: String) -> Bool {
        if principals.contains(where: { glob($0.lowercased(), arn.lowercased()) }) && kind.isPerson { return true }
        switch kind {
        case .role: return roles.contains { $0.matches(roleArn: arn) }
        case .user: return users.contains { $0.matches(userArn: arn) }
        default: return false
        }
    }

    /// The options as typed, for messages and the usage file.
    public var arguments: [String] {
        roles.map { "--role \($0.text)" } + users.map { "--user \($0.text)" } + principals.map { "--principal \($0)" }
    }
}

private func glob(_ pattern: String, _ text: String) -> Bool { globMatches(Array(pattern.utf8), Array(text.utf8)) }

/// A principal seen in the input, with how much it was used: the list `analyze` shows without a
/// selection.
public struct PrincipalSeen: Sendable, Hashable {
    public var kind: PrincipalKind
    public var arn: String
    public var events: Int
    public var sessions: Int
}

extension EventTotals {
    /// Every role, IAM user, root user, federated user and other identity that made calls, busiest
    /// first (AWS services acting on their own are counted apart).
    public func principalsSeen() -> [PrincipalSeen] {
        struct Principal: Hashable {
            var kind: PrincipalKind
            var arn: Int32
        }
        var events: [Principal: Int] = [:]
        for (key, tally) in tallies.entries where key.principalKind.isPerson {
            events[Principal(kind: key.principalKind, arn: key.principal), default: 0] += tally.count
        }
        return events.map {
            let arn = strings[Int($0.key.arn)]
            return PrincipalSeen(kind: $0.key.kind, arn: arn, events: $0.value, sessions: sessionNames[arn]?.count ?? 0)
        }
        .sorted { ($0.events, $1.arn) > ($1.events, $0.arn) }
    }
}
