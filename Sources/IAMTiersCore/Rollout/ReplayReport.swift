import Foundation

/// `iamtiers replay` as a readable table and as the role-assignment CSV.
extension Replay {
    public func table(showing limit: Int = 10) -> String {
        var lines = [
            "Replay of \(counted(totalCalls, "call")) by \(counted(people.count, "person", "people")) against "
                + "\(tiers.joined(separator: ", "))", "",
        ]
        let header = ["person", "calls", "sign-ins", "last sign-in"] + tiers + ["role to give"]
        let rows = people.map { person -> [String] in
            let signIns: [String] = [
                person.signIns.map(groupedDigits) ?? "?",
                person.lastSignIn?.day ?? "-",
            ]
            let role = person.proposedTier.map { "\($0) (\(person.proposedRole ?? ""))" } ?? "no tier allows every call"
            return [person.person, groupedDigits(person.calls)] + signIns
                + person.coverage.map { Self.percent($0.share) }
                + [role]
        }
        lines += Self.aligned([header] + rows, rightAligned: Set([1, 2]).union(4..<(4 + tiers.count)))
        lines += [""]
        let summaryRows = summary.map { tier in
            [
                tier.tier, "\(tier.peopleFullyServed) of \(people.count)",
                tier.signInsFullyServed.map(groupedDigits) ?? "?", "\(tier.proposedFor)",
            ]
        }
        lines += Self.aligned(
            [["tier", "fully serves (people)", "their sign-ins", "proposed for"]] + summaryRows,
            rightAligned: [1, 2, 3])
        if onlyAdmin.isEmpty {
            lines += ["", "No used action needs Admin: every call is allowed by a tier below it."]
        } else {
            let calls = onlyAdmin.reduce(0) { $0 + $1.calls }
            lines += [
                "",
                (hasAdministratorTier ? "Only Admin serves (break glass): " : "No tier serves (add an Admin tier?): ")
                    + "\(counted(onlyAdmin.count, "action")), \(counted(calls, "call")), most calls first:",
            ]
            let shown = onlyAdmin.prefix(limit).map { action in
                [
                    "  " + action.action, counted(action.calls, "call"),
                    counted(action.people.count, "person", "people"), Self.names(action.people),
                ]
            }
            lines += Self.aligned(Array(shown), rightAligned: [1])
            if onlyAdmin.count > limit {
                lines.append("  and \(onlyAdmin.count - limit) more (--format json lists all)")
            }
        }
        if unmappedCalls > 0 {
            lines.append(
                "\nNot replayed: \(counted(unmappedCalls, "call")) no IAM action explains (\"unmapped\" in the usage file)."
            )
        }
        return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// One row per person: the proposed tier and role, and each tier's share of their calls (%).
    /// Fields are quoted as RFC 4180 asks, and a leading = + - @ is defused for spreadsheets.
    public func csv() -> String {
        let header = ["person", "proposed_tier", "proposed_role", "calls", "sign_ins"] + tiers.map { "\($0)_percent" }
        let rows = people.map { person in
            [
                person.person, person.proposedTier ?? "", person.proposedRole ?? "", "\(person.calls)",
                person.signIns.map { "\($0)" } ?? "",
            ] + person.coverage.map { Self.percent($0.share, sign: false) }
        }
        return ([header] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// Rounded down, so that 99.96 % never reads as 100 %.
    public static func percent(_ share: Double, sign: Bool = true) -> String {
        let text = share >= 1 ? "100" : String(format: "%.1f", (share * 1000).rounded(.down) / 10)
        return sign ? text + "%" : text
    }

    static func csvField(_ field: String) -> String {
        var text = field
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        // By scalar: "\r\n" is one Character, and would slip past a check of Characters.
        guard text.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func names(_ people: [String]) -> String {
        people.count > 3
            ? people.prefix(3).joined(separator: ", ") + " and \(people.count - 3) more"
            : people.joined(separator: ", ")
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func aligned(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { column in
            rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
        }
    }
}
