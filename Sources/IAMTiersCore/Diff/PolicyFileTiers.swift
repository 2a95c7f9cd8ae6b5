import Foundation

/// Reads deployed or exported IAM policy documents as tiers, so that `diff` can compare them with a
/// tiers file: a folder as `export --format iam` writes it (`<role>-<n>.json`, one tier per role),
/// or one document (one tier, named after the file). Only what the documents say is known: the
/// granted and denied actions, and AdministratorAccess for `"Action": "*"`.
public enum PolicyFileTiers {
    public struct Loaded: Sendable {
        public var tiers: TierSet
        /// Statements that could not be read as actions (NotAction, odd shapes), one line each.
        public var warnings: [String]
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// True when the path is a folder or a `.json` file, i.e. policies rather than a tiers file.
    public static func isPolicyInput(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            || path.lowercased().hasSuffix(".json")
    }

    /// A version to compare: a tiers file, or policies (a folder or a `.json` document) read as tiers
    /// and, given the tiers file they are compared with, aligned with it.
    public static func loadVersion(_ path: String, alignedWith file: TierSet? = nil, catalog: Catalog) throws -> (
        tiers: TierSet, fromPolicies: Bool, warnings: [String]
    ) {
        guard isPolicyInput(path) else {
            let loaded = try TiersFile.load(path, catalog: catalog)
            return (loaded.tiers, false, loaded.warnings)
        }
        let loaded = try load(path, catalog: catalog)
        return (file.map { aligned(loaded.tiers, with: $0) } ?? loaded.tiers, true, loaded.warnings)
    }

    public static func load(_ path: String, catalog: Catalog) throws -> Loaded {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw LoadError(path: path, message: "no such file or folder")
        }
        var files: [(role: String, path: String)]
        if isFolder.boolValue {
            let names = (FileManager.default.subpaths(atPath: path) ?? []).filter { $0.lowercased().hasSuffix(".json") }
            files = names.sorted().map { (roleName(ofFile: $0), (path as NSString).appendingPathComponent($0)) }
            guard !files.isEmpty else {
                throw LoadError(path: path, message: "no .json policy documents in the folder")
            }
        } else {
            files = [(roleName(ofFile: path), path)]
        }
        var tiers: [Tier] = []
        var warnings: [String] = []
        for (role, file) in files {
            let index =
                tiers.firstIndex { $0.roleName == role }
                ?? {
                    tiers.append(Tier(name: role, roleName: role, inherits: false))
                    return tiers.count - 1
                }()
            try read(file, into: &tiers[index], warnings: &warnings, catalog: catalog)
        }
        // Lowest first: the fewer a role's grants, the lower its place; AdministratorAccess last.
        let ordered = tiers.sorted { left, right in
            (left.isAdministrator ? 1 : 0, left.actions.count + left.patterns.count, left.name)
                < (right.isAdministrator ? 1 : 0, right.actions.count + right.patterns.count, right.name)
        }
        let source = TierSet.Source(usage: nil, catalogDate: catalog.info.date, generator: "policies: \(path)")
        return Loaded(tiers: TierSet(source: source, tiers: ordered), warnings: warnings)
    }

    /// `iamtiers-read-2.json` → `iamtiers-read`: the export numbers each role's documents.
    static func roleName(ofFile file: String) -> String {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let dash = stem.lastIndex(of: "-"), !stem[stem.index(after: dash)...].isEmpty,
            stem[stem.index(after: dash)...].allSatisfy(\.isNumber)
        else { return stem }
        return String(stem[..<dash])
    }

    private static func read(_ path: String, into tier: inout Tier, warnings: inout [String], catalog: Catalog) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, message: "cannot read the file")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw LoadError(path: path, message: "not JSON (\(error.localizedDescription))")
        }
        guard let document = policyDocument(in: json) else {
            throw LoadError(path: path, message: "no policy document (a \"Statement\" list) in the file")
        }
        let statements = (document["Statement"] as? [Any]) ?? [document["Statement"] as Any]
        for (number, element) in statements.enumerated() {
            let place = "\(path): statement \(number + 1)"
            guard let statement = element as? [String: Any] else {
                warnings.append("\(place): not an object, skipped")
                continue
            }
            if statement["NotAction"] != nil {
                warnings.append("\(place): NotAction cannot be compared action by action, skipped")
                continue
            }
            let actions = (statement["Action"] as? [Any] ?? [statement["Action"] as Any]).compactMap { $0 as? String }
            if actions.isEmpty { warnings.append("\(place): no Action, skipped") }
            let denies = (statement["Effect"] as? String)?.lowercased() == "deny"
            for action in actions { add(action, denies: denies, to: &tier, place: place, warnings: &warnings, catalog) }
            scope(actions, statement, in: &tier)
        }
    }

    /// A statement granting on some resources, or for `iam:PassRole` to some services only: the
    /// assignments carry that scope, as the tiers file writes it.
    private static func scope(_ actions: [String], _ statement: [String: Any], in tier: inout Tier) {
        let resources = (statement["Resource"] as? [Any] ?? [statement["Resource"] as Any]).compactMap { $0 as? String }
            .filter { $0 != "*" }
        let equals = (statement["Condition"] as? [String: Any])?["StringEquals"] as? [String: Any]
        let passedTo = equals?["iam:PassedToService"].map { ($0 as? [Any] ?? [$0]).compactMap { $0 as? String } } ?? []
        guard !resources.isEmpty else { return }
        for index in tier.actions.indices where actions.contains(tier.actions[index].action) {
            let isPassRole = tier.actions[index].action == "iam:PassRole"
            tier.actions[index].scopes.append(
                Assignment.Scope(resources: resources, passedTo: isPassRole ? passedTo : []))
        }
    }

    private static func add(
        _ action: String, denies: Bool, to tier: inout Tier, place: String, warnings: inout [String], _ catalog: Catalog
    ) {
        if denies {
            if !tier.deny.contains(action) { tier.deny.append(action) }
        } else if action == "*" {
            if !tier.isAdministrator { tier.attachedPolicies.append(Tier.administratorAccess) }
        } else if action.hasWildcard {
            if (try? ActionPattern(action)) == nil {
                warnings.append("\(place): '\(action)' is not an action pattern, skipped")
            } else if !tier.patterns.contains(action) {
                tier.patterns.append(action)
            }
        } else if let known = catalog.action(named: action) {
            if !tier.actions.contains(where: { $0.action == known.fullName }) {
                tier.actions.append(Assignment(action: known.fullName))
            }
        } else {
            warnings.append("\(place): '\(action)' is not in the IAM catalog of \(catalog.info.date), kept as written")
            if !tier.actions.contains(where: { $0.action == action }) {
                tier.actions.append(Assignment(action: action))
            }
        }
    }

    /// The document itself, or the one inside `aws iam get-policy-version` / `get-role-policy` output.
    private static func policyDocument(in json: Any) -> [String: Any]? {
        guard let object = json as? [String: Any] else { return nil }
        if object["Statement"] != nil { return object }
        for key in ["PolicyVersion", "PolicyDocument", "Document"] {
            if let inner = object[key], let document = policyDocument(in: inner) { return document }
        }
        return nil
    }

    /// Gives policy tiers the names, order and settings of the tiers file they are compared with,
    /// matched by role name, so that only what the policies themselves say can differ. A policy
    /// holding `"Action": "*"` stands for the file's AdministratorAccess tier. What documents do not
    /// show is taken from the file: attached AWS managed policies (and so the AdministratorAccess
    /// tier the export writes no document for) and the decision notes.
    public static func aligned(_ policies: TierSet, with file: TierSet) -> TierSet {
        let notes = TierDiff.notes(file)
        var matched: [Int: Tier] = [:]
        var unmatched: [Tier] = []
        for tier in policies.tiers {
            let position =
                file.tiers.indices.first { matched[$0] == nil && file.tiers[$0].roleName == tier.roleName }
                ?? (tier.isAdministrator
                    ? file.tiers.indices.first { matched[$0] == nil && file.tiers[$0].isAdministrator } : nil)
            guard let position else {
                unmatched.append(tier)
                continue
            }
            var aligned = file.tiers[position]
            aligned.actions = tier.actions.map {
                Assignment(action: $0.action, note: notes[$0.action], scopes: $0.scopes)
            }
            aligned.patterns = tier.patterns
            aligned.deny = tier.deny
            if tier.isAdministrator && !aligned.isAdministrator {
                aligned.attachedPolicies.append(Tier.administratorAccess)
            }
            matched[position] = aligned
        }
        for (position, tier) in file.tiers.enumerated() where matched[position] == nil && tier.isAdministrator {
            matched[position] = Tier(
                name: tier.name, roleName: tier.roleName, description: tier.description,
                maxSessionHours: tier.maxSessionHours, alertOnUse: tier.alertOnUse, inherits: tier.inherits,
                container: tier.container, attachedPolicies: tier.attachedPolicies)
        }
        var result = policies
        result.tiers = matched.sorted { $0.key < $1.key }.map(\.value) + unmatched
        result.compressedServices = file.compressedServices
        result.openItems = file.openItems
        return result
    }
}
