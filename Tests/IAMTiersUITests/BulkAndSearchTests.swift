import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

/// Marks and bulk moves, IAM-glob search, next match, and what undo and the status line say.
@Suite struct MarksAndBulkMovesTests {
    /// The example with the cursor on the first action of a service.
    func onService(_ prefix: String) throws -> CurationState {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == prefix })
        state.selectedAction = 0
        return state
    }

    @Test func spaceMarksAndADigitMovesEveryMarkedActionAsOneUndoStep() throws {
        var state = try onService("ec2")
        let names = state.services[state.selectedService].actions.prefix(3).map(\.action)
        press(&state, .character(" "), .character(" "), .character(" "))
        #expect(state.marks == Set(names) && state.selectedAction == 3)
        #expect(view(state, width: 120, height: 40).textLines[0].contains("3 marked"))
        press(&state, .character("2"))
        #expect(names.allSatisfy { state.tierIndex(of: $0) == 1 } && state.marks.isEmpty)
        #expect(state.message?.hasPrefix("3 marked actions into Operator") == true, "\(state.message ?? "")")
        #expect(state.undoStack.count == 1)
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers)
        #expect(state.message?.hasPrefix("undone: 3 marked actions into Operator") == true, "\(state.message ?? "")")
    }

    @Test func vMarksTheRangeFromTheLastMarkAndEscUnmarks() throws {
        var state = try onService("ec2")
        press(&state, .character(" "), .down, .down, .down, .character("V"))
        #expect(state.marks.count == 5)
        press(&state, .escape)
        #expect(state.marks.isEmpty && state.message == "5 marks cleared")
    }

    @Test func aMoveOfMoreThanAHandfulAsksOnceNamingTheCount() throws {
        var state = try onService("ec2")
        state.focus = .services
        press(&state, .character(" "))
        let count = state.marks.count { state.tierIndex(of: $0) != 2 }
        #expect(count > bulkMoveQuestionAbove)
        press(&state, .character("3"))
        #expect(state.message == "move \(count) actions into Admin? 3 again moves them" && !state.isModified)
        press(&state, .character("3"))
        #expect(state.marks.isEmpty && state.tiers.tiers[2].actions.count >= count)
    }

    @Test func aBulkMoveIntoTheConfigurationReadTierNamesWhatDoesNotBelong() throws {
        var state = try onService("ec2")
        let row = state.services[state.selectedService]
        let writes = row.actions.indices.filter { row.actions[$0].accessLevel == .write }
        try #require(writes.count >= 2)
        for index in writes.prefix(2) {
            state.selectedAction = index
            press(&state, .character(" "))
        }
        press(&state, .character("1"))
        #expect(state.message?.contains("Read holds configuration reads only: 1 again places all 2 anyway") == true)
        #expect(!state.isModified)
    }

    @Test func aMessageFadesAfterAFewKeysThatSayNothing() throws {
        var state = try onService("ec2")
        press(&state, .character("2"))
        let said = try #require(state.message)
        for _ in 1..<messageLifetime { reduce(&state, .select(.services, row: state.selectedService)) }
        #expect(state.message == said)
        reduce(&state, .select(.services, row: state.selectedService))
        #expect(state.message == nil)
    }
}

@Suite struct GlobSearchTests {
    func searched(_ query: String) -> CurationState {
        var state = exampleState
        press(&state, .character("/"))
        for character in query { press(&state, .character(character)) }
        press(&state, .enter)
        return state
    }

    func shown(_ state: CurationState) -> [String] { state.services.flatMap { $0.actions.map(\.action) } }

    @Test func iamGlobsMatchTheWholeNameOrTheActionsPart() {
        let describe = shown(searched("ec2:Describe*"))
        #expect(!describe.isEmpty && describe.allSatisfy { $0.hasPrefix("ec2:Describe") })
        let policies = shown(searched("*:Get*Policy"))
        #expect(!policies.isEmpty && policies.allSatisfy { $0.contains(":Get") && $0.hasSuffix("Policy") })
        let anyService = shown(searched("List*"))
        #expect(Set(anyService.map { $0.split(separator: ":")[0] }).count > 3)
        #expect(anyService.allSatisfy { $0.split(separator: ":")[1].hasPrefix("List") })
    }

    @Test func aServiceShowsTheTotalsOfWhatTheSearchShows() throws {
        let state = searched("ec2:Describe*")
        let row = try #require(state.services.first { $0.prefix == "ec2" })
        #expect(row.calls == row.actions.reduce(0) { $0 + $1.count })
        #expect(row.calls < exampleState.services.first { $0.prefix == "ec2" }!.calls)
    }

    @Test func everyTermMustMatch() {
        let both = shown(searched("ec2 snapshot"))
        #expect(!both.isEmpty && both.allSatisfy { $0.hasPrefix("ec2:") && $0.lowercased().contains("snapshot") })
    }

    @Test func nAndNStepThroughTheMatchesAcrossServices() throws {
        var state = searched("Get*Policy")
        let matches = shown(state)
        #expect(matches.count > 2)
        press(&state, .character("n"))
        #expect(
            state.selectedUsage?.action == matches[1] && state.message == "match 2 of \(matches.count) for “Get*Policy”"
        )
        press(&state, .character("N"), .character("N"))
        #expect(state.selectedUsage?.action == matches.last)
    }

    @Test func ctrlUClearsTheLineAndEscKeepsTheSelection() throws {
        var state = exampleState
        press(&state, .character("/"), .character("x"), .character("y"), .control("u"))
        #expect(state.queryDraft == "" && state.services == exampleState.services)
        for character in "ec2:Describe" { press(&state, .character(character)) }
        press(&state, .enter, .down, .down)
        let selected = try #require(state.selectedUsage?.action)
        #expect(selected.hasPrefix("ec2:Describe") && state.selectedAction == 2)
        press(&state, .escape)
        #expect(state.query.isEmpty && state.services == exampleState.services)
        #expect(state.selectedUsage?.action == selected && state.selectedAction > 2)
    }
}
