import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

/// What the screen says, in a room and on a small terminal.
@Suite struct WordsAndLayoutTests {
    func select(_ action: String, in state: inout CurationState) throws {
        let found = state.reveal(action)
        #expect(found, "\(action)")
    }

    @Test func theNoteBeingTypedIsRedactedAndScrollsSideways() throws {
        var state = exampleState
        state.workshop = Pseudonyms(people: state.usage.people.map(\.name))
        press(&state, .character("e"))
        let typed = "asked by erin@corp.example for the quarterly audit of every account in the organisation"
        for character in typed { press(&state, .character(character)) }
        let status = view(state, width: 100, height: 30).textLines[29]
        #expect(!status.contains("erin@corp.example") && status.contains("…"), "\(status)")
        #expect(status.contains("in the organisation▏"), "\(status)")
    }

    @Test func countsAreSingularForOne() throws {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "acm" })
        let row = try #require(state.selectedServiceRow)
        #expect(row.calls == 3)
        var single = exampleState
        single.selectedService = try #require(
            single.services.firstIndex { $0.calls == 1 && $0.actions.count == 1 })
        let title = view(single, width: 120, height: 40).textLines[4]
        #expect(title.contains("1 action, 1 call, 1 person"), "\(title)")
    }

    @Test func anActionOnlyEverRefusedSaysWhoItWasRefusedTo() throws {
        var state = exampleState
        try select("athena:ListDatabases", in: &state)
        let used = try #require(state.selectedUsage)
        #expect(used.count == 0 && used.denied > 0)
        let screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(screen.contains("refused to: \(used.people.joined(separator: ", "))"))
    }

    @Test func atEightyColumnsNamesComeBeforeTheCounts() throws {
        var state = exampleState
        try select("ec2:CreateLocalGatewayRouteTable", in: &state)
        let screen = view(state, width: 80, height: 24).textLines.joined(separator: "\n")
        #expect(screen.contains("CreateLocalGatewayRouteTable Write  1 call"), "\(screen)")
    }

    @Test func longFieldsWrapIntoRowsNoOtherFieldNeeds() throws {
        var state = exampleState
        state.workshop = Pseudonyms(people: state.usage.people.map(\.name))  // the larger pane
        try select("ec2:AllocateAddress", in: &state)
        press(&state, .character("e"))
        for character in String(repeating: "because the network team asks ", count: 6) {
            press(&state, .character(character))
        }
        press(&state, .enter)
        let lines = view(state, width: 120, height: 40).textLines
        let note = try #require(lines.firstIndex { $0.contains("note: because") })
        #expect(lines[note + 1].contains("because the network team asks"), "\(lines[note + 1])")
    }
}

@Suite struct MeterBreakdownTests {
    @Test func attachingAManagedPolicyToReadIsSaidForOperatorAndMExplainsTheRoom() throws {
        var state = exampleState
        let before = state.policies[1].meter.capacity
        press(&state, .character("T"))
        for _ in 0..<TierField.attachments.rawValue { press(&state, .right) }
        press(&state, .enter)
        for character in "arn:aws:iam::aws:policy/ReadOnlyAccess" { press(&state, .character(character)) }
        press(&state, .enter, .escape)
        let after = state.policies[1].meter.capacity
        #expect(after == before - AWSLimits.managedPolicySize)
        press(&state, .character("d"))
        #expect(
            state.report?.lines.contains(
                "Operator: room \(groupedDigits(before)) → \(groupedDigits(after)) characters (managed policies "
                    + "attached 0 → 1; m says why)") == true, "\(state.report?.lines ?? [])")
        press(&state, .escape, .character("m"))
        let lines = try #require(state.report?.lines)
        #expect(lines.contains("  attached: ReadOnlyAccess (of Read)"), "\(lines)")
        let operatorLines = try #require(lines.firstIndex { $0.hasPrefix("Operator (") })
        let room = try #require(
            lines[operatorLines...].firstIndex {
                $0.hasPrefix("  room: 10 managed policies a role may have − 1 attached − ")
            })
        #expect(lines[room + 1].hasSuffix("= \(groupedDigits(after)) characters"), "\(lines)")
        #expect(lines.allSatisfy { $0.count <= 72 }, "\(lines.filter { $0.count > 72 }.map { "\($0.count) \($0)" })")
        #expect(lines.contains("Admin: AdministratorAccess, no policy of its own to measure"))
        // Permission sets copy what they inherit; the page fits 80 columns there too.
        var permissionSets = exampleState.tiers
        for index in permissionSets.tiers.indices { permissionSets.tiers[index].container = .identityCenter }
        var sets = CurationState(
            catalog: exampleState.catalog, usage: exampleState.usage, usagePath: "usage.json", tiers: permissionSets,
            tiersPath: "tiers.yaml")
        press(&sets, .character("m"))
        let copied = try #require(sets.report?.lines)
        #expect(copied.contains("  inherits Read: its actions copied in (a permission set has its own)"))
        #expect(copied.allSatisfy { $0.count <= 72 }, "\(copied.filter { $0.count > 72 })")
    }
}
