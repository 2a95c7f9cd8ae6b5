/// What a List or Read action returns: the fact that decides whether it belongs in a tier that holds
/// configuration reads only. Every List and Read action of the catalog has one, with its source
/// (`Scripts/update-catalog` explains the order of the sources).
public enum ReadVerdict: String, CaseIterable, Sendable, Codable {
    /// Describes or lists resources and their settings.
    case configuration
    /// Returns content: objects, items, records, messages, logs, query results.
    case data
    /// Returns a secret or a credential: secret values, passwords, keys, tokens, user data.
    case secret
    /// Runs something (a model, a query, a test) rather than describing a resource.
    case task
    /// Nothing decides: treated as not a configuration read.
    case unassessed

    /// Parses the class of the catalog's verdict field (`class:source`, or a bare class).
    init?(catalogField field: some Collection<UInt8>) {
        let name = field.prefix { $0 != UInt8(ascii: ":") }
        guard let verdict = Self.allCases.first(where: { $0.rawValue.utf8.elementsEqual(name) }) else { return nil }
        self = verdict
    }
}

extension CatalogAction {
    /// Whether the action belongs in a configuration-read tier: a List or Read whose verdict is
    /// configuration. Writes, permissions management, data, secrets, tasks and unassessed reads do not.
    public var isConfigurationRead: Bool { verdict == .configuration }

    /// Why it does not belong in a configuration-read tier, in a few words; nil when it does.
    public var configurationReadObjection: String? {
        switch verdict {
        case .configuration: return nil
        case .data: return "a data read"
        case .secret: return "a read that returns secrets or credentials"
        case .task: return "a read that runs a task"
        case .unassessed: return "a read nobody has assessed"
        case nil:
            return accessLevel == .permissionsManagement ? "permissions management" : "a \(accessLevel.rawValue) action"
        }
    }
}
