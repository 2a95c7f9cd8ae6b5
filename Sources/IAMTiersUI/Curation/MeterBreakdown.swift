import IAMTiersCore

/// `m`: what makes up each tier's meter. The numbers are the synthesizer's own (`TierMeter`), put
/// into words: the tier's actions, the lower tiers it inherits, the managed policies attached, and
/// the container's limits that leave the room shown.
func meterBreakdown(_ state: CurationState) -> ReportView {
    var lines: [String] = []
    for (index, (tier, policy)) in zip(state.tiers.tiers, state.policies).enumerated() {
        if index > 0 { lines.append("") }
        guard !tier.isAdministrator else {
            lines.append("\(tier.name): AdministratorAccess, no policy of its own to measure")
            continue
        }
        let meter = policy.meter
        // Lines short enough for an 80-column terminal: the page does not wrap.
        lines.append(
            "\(tier.name) (\(tier.container.rawValue)): \(groupedDigits(meter.used)) of "
                + "\(groupedDigits(meter.capacity)) characters")
        let own = tier.actions.count + tier.patterns.count
        lines.append(
            "  actions: \(groupedDigits(own)) of its own, \(groupedDigits(meter.grantedActions)) written in all, in "
                + counted(meter.documents, "document"))
        let inherited = state.tiers.inheritedTiers(of: index).map { state.tiers.tiers[$0] }
        if inherited.isEmpty {
            lines.append("  inherits: nothing")
        } else if meter.inheritedPolicies > 0 {
            lines.append(
                "  inherits \(inherited.map(\.name).joined(separator: ", ")): \(inherited.count == 1 ? "its" : "their") "
                    + counted(meter.inheritedPolicies, "policy", "policies")
                    + " attached, each one of the quota")
        } else {
            lines.append(
                "  inherits \(inherited.map(\.name).joined(separator: ", ")): \(inherited.count == 1 ? "its" : "their") actions copied in "
                    + (tier.container == .identityCenter
                        ? "(a permission set has its own)" : "(inline: the role's own)"))
        }
        let attached = state.tiers.attachedPolicies(of: index).map { arn in
            let owner = ([index] + state.tiers.inheritedTiers(of: index)).first {
                state.tiers.tiers[$0].attachedPolicies.contains(arn)
            }
            let name = String(arn.split(separator: "/").last ?? Substring(arn))
            return owner == index ? name : "\(name) (of \(owner.map { state.tiers.tiers[$0].name } ?? "?"))"
        }
        lines.append("  attached: " + (attached.isEmpty ? "no managed policy" : attached.joined(separator: ", ")))
        lines += roomText(tier.container, meter)
        if !meter.fits { lines += meter.problems.map { "  DOES NOT FIT: \($0)" } }
    }
    return ReportView(title: "Each tier's size, in characters without whitespace", lines: lines)
}

/// The container's limits, with the numbers that leave the room, on two lines.
private func roomText(_ container: PolicyContainer, _ meter: TierMeter) -> [String] {
    let size = groupedDigits(AWSLimits.managedPolicySize)
    switch container {
    case .managed:
        return [
            "  room: \(meter.policyQuota) managed policies a role may have − \(meter.attachedPolicies) attached − "
                + "\(meter.inheritedPolicies) inherited",
            "        = \(meter.documentLimit) × \(size) = \(groupedDigits(meter.capacity)) characters",
        ]
    case .inline:
        return ["  room: \(groupedDigits(meter.capacity)) characters for all of a role's inline policies"]
    case .identityCenter:
        return [
            "  room: \(groupedDigits(AWSLimits.permissionSetInlinePolicy)) inline + (\(meter.policyQuota) managed "
                + "policies − \(meter.attachedPolicies) attached) × \(size)",
            "        = \(groupedDigits(meter.capacity)) characters",
        ]
    }
}
