import IAMTiersCore
import TUIKit

/// The readable summary of a usage: roles, window, counts, one line per action, unmapped, hints.
func printSummary(_ usage: Usage) {
    let events = usage.provenance.events
    for principal in usage.principals {
        print(padded(principal.type == "role" ? "role" : "principal", 10) + TerminalText.sanitized(principal.arn))
    }
    if let window = usage.provenance.window { print("window    \(window.first) to \(window.last)") }
    print(
        "events    \(groupedDigits(events.read)) read, \(groupedDigits(events.kept)) kept as usage; left out: "
            + "\(groupedDigits(events.console)) console, \(groupedDigits(events.denied)) denied, "
            + "\(groupedDigits(events.otherPrincipals)) other principals, \(groupedDigits(events.noPermission)) "
            + "needing no permission, \(groupedDigits(events.unmapped)) unmapped, \(groupedDigits(events.malformed)) malformed"
    )
    print("people    \(groupedDigits(usage.people.count))")
    print("")
    print(
        "  " + padded("action", 52) + padded("access level", 24) + padded("calls", 9) + padded("denied", 8)
            + "people")
    for action in usage.actions where action.count + action.denied > 0 {
        print(
            "  " + padded(action.action, 52) + padded(action.accessLevel.rawValue, 24)
                + padded(groupedDigits(action.count), 9) + padded(groupedDigits(action.denied), 8)
                + groupedDigits(action.people.count))
    }
    if !usage.unmapped.isEmpty {
        print("\nunmapped (no IAM action found):")
        for pair in usage.unmapped {
            let line =
                "  " + padded("\(pair.eventSource) \(pair.eventName)", 60)
                + "\(groupedDigits(pair.count + pair.console + pair.denied)) calls: \(pair.reason)"
            print(TerminalText.sanitized(line))
        }
    }
    if !usage.hints.isEmpty {
        print("\nhints:")
        for hint in usage.hints { print("  [\(hint.kind.rawValue)] \(hint.message)") }
    }
}
