import IAMTiersCore
import TUIKit

/// The people view (`P`): who used the role, how often they signed in, and, replayed against the
/// tiers as they are now, what share of their calls each tier allows and the tier to give them.
/// Enter shows only what the selected person used (the `p` filter); Esc closes.
public struct PeopleCursor: Sendable, Equatable {
    public var replay: Replay
    public var selected = 0
}

public enum PeopleAction: Sendable, Hashable {
    case move(Scroll)
    case showActions
}

func reducePeople(_ state: inout CurationState, _ action: PeopleAction) {
    guard case .people(var cursor) = state.overlay else { return }
    switch action {
    case .move(let scroll):
        let count = cursor.replay.people.count
        cursor.selected = scroll.apply(
            to: cursor.selected, count: count, visible: overlayRows(state, wanted: count + 6, reserved: 4))
        state.overlay = .people(cursor)
    case .showActions:
        guard cursor.replay.people.indices.contains(cursor.selected) else { return }
        let person = cursor.replay.people[cursor.selected].person
        state.showOnly(person: person)
        state.overlay = nil
        state.message = "only what \(state.forRoom(person)) used (p: next person, then all)"
    }
}

func drawPeople(_ cursor: PeopleCursor, _ state: CurationState, into grid: inout Grid, _ options: ViewOptions) {
    let replay = cursor.replay
    let inner = modalFrame(
        &grid, width: 110, height: replay.people.count + 6,
        title: "People (\(replay.people.count)) against the tiers as they are: \(KeyMap.people.hints(state))",
        options)
    guard inner.height > 5 else { return }
    let style = options.theme.style("modal")
    let shareWidth = max(6, replay.tiers.map { displayWidth(of: $0) }.max() ?? 0)
    func columns(_ calls: String, _ signIns: String, _ shares: [String], _ role: String) -> String {
        let padded = shares.map { String(repeating: " ", count: max(0, shareWidth - displayWidth(of: $0))) + $0 }
        return
            [
                String(repeating: " ", count: max(0, 6 - calls.count)) + calls,
                String(repeating: " ", count: max(0, 8 - signIns.count)) + signIns,
            ]
            .joined(separator: "  ") + "  " + padded.joined(separator: "  ") + "  "
            + role.padding(toLength: 10, withPad: " ", startingAt: 0)
    }
    let header = columns("calls", "sign-ins", replay.tiers, "role")
    grid.put(" person", x: inner.x, y: inner.y, style: options.theme.style("title"), clip: inner)
    grid.put(
        header, x: inner.maxX - displayWidth(of: header) - 1, y: inner.y, style: options.theme.style("title"),
        clip: inner)
    let list = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 4)
    drawRows(
        count: replay.people.count,
        line: { index in
            let person = replay.people[index]
            return ListLine(
                text: state.forRoom(person.person),
                detail: columns(
                    groupedDigits(person.calls), person.signIns.map(groupedDigits) ?? "?",
                    person.coverage.map { Replay.percent($0.share) }, person.proposedTier ?? "none"),
                attention: person.proposedTier == nil || !person.onlyAdmin.isEmpty)
        }, selected: cursor.selected, focused: true, into: &grid, list, options.theme, pagesFromFirstKey: true)
    guard replay.people.indices.contains(cursor.selected) else {
        grid.put(" Nobody's calls are in the usage file.", x: inner.x, y: inner.y + 1, style: style, clip: inner)
        return
    }
    let person = replay.people[cursor.selected]
    let signIns = person.signIns.flatMap { count in
        count == 0
            ? nil
            : "\(counted(count, "sign-in")) from \(person.firstSignIn?.day ?? "?") to \(person.lastSignIn?.day ?? "?"), "
                + counted(person.signInAddresses ?? 0, "source address", "source addresses")
    }
    let onlyAdmin =
        person.onlyAdmin.isEmpty
        ? "every call allowed below Admin"
        : "only Admin allows \(counted(person.onlyAdmin.count, "action")): "
            + person.onlyAdmin.prefix(4).joined(separator: ", ") + (person.onlyAdmin.count > 4 ? ", …" : "")
    let lines = [
        "\(state.forRoom(person.person)): \(signIns ?? "no sign-ins recorded (analyze counts AssumeRole* events)")",
        onlyAdmin,
    ]
    for (offset, line) in lines.enumerated() {
        grid.put(
            " " + line.truncated(toWidth: inner.width - 2), x: inner.x, y: inner.maxY - 2 + offset, style: style,
            clip: inner)
    }
}
