/// What changed between two versions of the tiers, by effect rather than by text: each action's
/// tier is the lowest tier that grants it, counting the catalog actions a tier's wildcard patterns
/// match, so replacing a list by an equivalent pattern is no change at all.
public struct TierDiff: Sendable, Equatable {
    /// An action whose tier changed; nil on a side means no tier granted it there.
    public struct Move: Sendable, Equatable {
        public var action: String
        public var from: String?
        public var to: String?
    }

    public struct NoteChange: Sendable, Equatable, Encodable {
        public var action: String
        public var from: String?
        public var to: String?
    }

    /// A changed setting, one readable line; `tier` is nil for changes to the whole ladder.
    public struct SettingChange: Sendable, Equatable, CustomStringConvertible {
        public var tier: String?
        public var change: String

        public var description: String { tier.map { "\($0): \(change)" } ?? change }
    }

    /// Sorted by action, case-insensitively.
    public var moves: [Move]
    /// Tiers added or removed, and changed settings (sessions, alerts, containers, attachments,
    /// deny lists, wildcards).
    public var settings: [SettingChange]
    public var notes: [NoteChange]

    public var isEmpty: Bool { moves.isEmpty && settings.isEmpty && notes.isEmpty }

    /// With `adminPlacements` false, an AdministratorAccess tier grants whatever no lower tier does,
    /// so listing an action there, or not, is no change; a move out of the lower tiers ends in that
    /// tier. Deployed policies compare this way; a curation session keeps the placements it made.
    public init(from old: TierSet, to new: TierSet, catalog: Catalog, adminPlacements: Bool = true) {
        // A renamed tier is the same tier: its actions did not move. The old side speaks new names.
        let renames = Self.renames(old, new)
        let renamed = Self.renamedToNewNames(old, new)
        let before = Self.effectiveTiers(renamed, catalog, adminPlacements: adminPlacements)
        let after = Self.effectiveTiers(new, catalog, adminPlacements: adminPlacements)
        let (oldAdmin, newAdmin) =
            adminPlacements
            ? (nil, nil)
            : (renamed.tiers.last(where: \.isAdministrator)?.name, new.tiers.last(where: \.isAdministrator)?.name)
        moves = Set(before.keys).union(after.keys)
            .map { Move(action: $0, from: before[$0] ?? oldAdmin, to: after[$0] ?? newAdmin) }
            .filter { $0.from?.lowercased() != $0.to?.lowercased() }
            .sorted { caseInsensitiveLess($0.action, $1.action) }
        settings =
            old.tiers.compactMap { tier in
                renames[tier.name.lowercased()].map {
                    SettingChange(tier: nil, change: "tier renamed: \(tier.name) → \($0)")
                }
            }
            + Self.settingChanges(renamed, new)
        let oldNotes = Self.notes(old)
        let newNotes = Self.notes(new)
        notes = Set(oldNotes.keys).union(newNotes.keys).filter { oldNotes[$0] != newNotes[$0] }
            .sorted(by: caseInsensitiveLess)
            .map { NoteChange(action: $0, from: oldNotes[$0], to: newNotes[$0]) }
    }

    /// Old name (lower-cased) to new name, for a tier whose name is gone while the tier in the same
    /// place of the ladder has a name the old version did not have.
    static func renames(_ old: TierSet, _ new: TierSet) -> [String: String] {
        let oldNames = Set(old.tiers.map { $0.name.lowercased() })
        let newNames = Set(new.tiers.map { $0.name.lowercased() })
        var renames: [String: String] = [:]
        for (index, tier) in old.tiers.enumerated() where index < new.tiers.count {
            let replacement = new.tiers[index].name
            if !newNames.contains(tier.name.lowercased()) && !oldNames.contains(replacement.lowercased()) {
                renames[tier.name.lowercased()] = replacement
            }
        }
        return renames
    }

    /// The old version with its renamed tiers under their new names.
    static func renamedToNewNames(_ old: TierSet, _ new: TierSet) -> TierSet {
        let renames = Self.renames(old, new)
        var renamed = old
        for index in renamed.tiers.indices {
            renamed.tiers[index].name = renames[old.tiers[index].name.lowercased()] ?? old.tiers[index].name
        }
        return renamed
    }

    /// Each granted action (canonical name) to the lowest tier granting it.
    static func effectiveTiers(_ set: TierSet, _ catalog: Catalog, adminPlacements: Bool = true) -> [String: String] {
        var tierOf: [String: String] = [:]
        tierOf.reserveCapacity(set.tiers.reduce(0) { $0 + $1.actions.count })
        for tier in set.tiers.reversed() where adminPlacements || !tier.isAdministrator {
            for assignment in tier.actions {
                tierOf[catalog.action(named: assignment.action)?.fullName ?? assignment.action] = tier.name
            }
            for pattern in tier.patterns.compactMap({ try? ActionPattern($0) }) {
                for action in catalog.expand(pattern) { tierOf[action.fullName] = tier.name }
            }
        }
        return tierOf
    }

    /// Each action's decision note, whatever its tier.
    static func notes(_ set: TierSet) -> [String: String] {
        var notes: [String: String] = [:]
        for tier in set.tiers {
            for assignment in tier.actions { if let note = assignment.note { notes[assignment.action] = note } }
        }
        return notes
    }

    private static func settingChanges(_ old: TierSet, _ new: TierSet) -> [SettingChange] {
        func named(_ set: TierSet) -> [String: Tier] {
            Dictionary(set.tiers.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        }
        let oldTiers = named(old)
        let newTiers = named(new)
        var lines: [SettingChange] = []
        for tier in old.tiers where newTiers[tier.name.lowercased()] == nil {
            lines.append(SettingChange(tier: nil, change: "tier removed: \(tier.name)"))
        }
        for tier in new.tiers where oldTiers[tier.name.lowercased()] == nil {
            lines.append(SettingChange(tier: nil, change: "tier added: \(tier.name)"))
        }
        for tier in new.tiers {
            guard let was = oldTiers[tier.name.lowercased()] else { continue }
            func change(_ what: String, _ from: String, _ to: String) {
                if from != to { lines.append(SettingChange(tier: tier.name, change: "\(what) \(from) → \(to)")) }
            }
            func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.sorted().joined(separator: ", ") }
            change("name", was.name, tier.name)  // the letter case: tiers are matched ignoring it
            change("role", was.roleName, tier.roleName)
            change("sessions up to", "\(was.maxSessionHours) h", "\(tier.maxSessionHours) h")
            change("alert on use", "\(was.alertOnUse)", "\(tier.alertOnUse)")
            change("inherits", "\(was.inherits)", "\(tier.inherits)")
            change("container", was.container.rawValue, tier.container.rawValue)
            change("attached", list(was.attachedPolicies), list(tier.attachedPolicies))
            change("deny", list(was.deny), list(tier.deny))
        }
        let added = new.compressedServices.subtracting(old.compressedServices).sorted()
        let removed = old.compressedServices.subtracting(new.compressedServices).sorted()
        if !added.isEmpty {
            lines.append(SettingChange(tier: nil, change: "wildcards on: \(added.joined(separator: ", "))"))
        }
        if !removed.isEmpty {
            lines.append(SettingChange(tier: nil, change: "wildcards off: \(removed.joined(separator: ", "))"))
        }
        if old.openItems != new.openItems {
            let resolved = new.openItems.filter { item in !item.isOpen && !old.openItems.contains(item) }
            lines.append(
                SettingChange(
                    tier: nil,
                    change: "open items: \(old.unresolvedItems.count) → \(new.unresolvedItems.count)"
                        + resolved.map { "; resolved \($0.kind.rawValue) \($0.action ?? ""): \($0.resolution ?? "")" }
                        .joined()))
        }
        return lines
    }
}
