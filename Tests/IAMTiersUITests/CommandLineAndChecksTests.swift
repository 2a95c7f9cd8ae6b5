import IAMTiersCore
import TUIKit
import Testing

@testable import IAMTiersUI

@Suite struct CommandLineTests {
    func typed(_ text: String, into state: inout CurationState) {
        press(&state, .character(":"))
        for character in text { press(&state, .character(character)) }
    }

    @Test func aServiceOrAnActionIsJumpedToByName() throws {
        var state = exampleState
        typed("glue", into: &state)
        press(&state, .enter)
        #expect(state.selectedServiceRow?.prefix == "glue" && state.focus == .services && state.prompt == nil)
        typed("ec2:describespotfleetrequesthistory", into: &state)
        press(&state, .enter)
        #expect(state.selectedUsage?.action == "ec2:DescribeSpotFleetRequestHistory" && state.focus == .actions)
    }

    @Test func tabCompletesToWhatEveryCandidateSharesAndListsTheRest() throws {
        var state = exampleState
        let vpc = try #require(state.allServices.first { $0.prefix == "ec2" }).actions.map(\.action)
            .filter { $0.hasPrefix("ec2:DescribeVpcE") }
        #expect(vpc.count == 3)
        typed("ec2:describevpce", into: &state)
        press(&state, .tab)
        #expect(state.prompt == .command(LineEditor("ec2:DescribeVpcEn")))
        #expect(state.message == "3 matches: " + vpc.joined(separator: ", "))
        press(&state, .control("u"))
        for character in "chec" { press(&state, .character(character)) }
        press(&state, .tab, .enter)
        #expect(state.prompt == nil)
        guard case .checks(let cursor) = state.overlay else {
            Issue.record("the check panel did not open")
            return
        }
        #expect(cursor.findings == state.currentFindings())
    }

    @Test func commandsRunAndUnknownWordsSaySo() throws {
        var state = exampleState
        state.themeNames = ["default", "light"]
        typed("theme light", into: &state)
        press(&state, .enter)
        #expect(state.theme == 1 && state.message == "theme: light (t: the next)")
        typed("zzz", into: &state)
        press(&state, .enter)
        #expect(state.message == "zzz: no command, service or action of the usage (Tab completes)")
        press(&state, .character("2"))
        typed("save", into: &state)
        #expect(reduce(&state, .commitText) == [.save])
    }
}

@Suite struct CheckPanelTests {
    @Test func theHeaderCountsTheFindingsAndEnterShowsTheAction() throws {
        var state = exampleState
        let findings = state.currentFindings()
        #expect(state.findingCount == findings.count)
        // An unplaced used action is a finding at once.
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("0"))
        #expect(state.findingCount == findings.count + 1)
        #expect(view(state, width: 160, height: 40).textLines[0].contains("\(state.findingCount) findings (c)"))
        press(&state, .character("g"), .character("c"))
        guard case .checks(let cursor) = state.overlay else {
            Issue.record("c did not open the check panel")
            return
        }
        let index = try #require(cursor.findings.firstIndex { $0.kind == .unassignedUsage && $0.action == action })
        state.overlay = .checks(ChecksCursor(findings: cursor.findings, selected: index))
        #expect(view(state, width: 120, height: 40).textLines.contains { $0.contains("\(action) used in") })
        state.selectedService = 3
        press(&state, .enter)
        #expect(state.overlay == nil && state.selectedUsage?.action == action)
    }
}

@Suite struct TypeToJumpTests {
    @Test func theListsFollowTheNameAsItIsTyped() throws {
        var state = exampleState
        press(&state, .character(":"), .character("e"))
        #expect(state.selectedServiceRow?.prefix == "ec2" && state.focus == .services)
        press(&state, .character("c"), .character("s"))
        #expect(state.selectedServiceRow?.prefix == "ecs")
        press(&state, .backspace, .backspace, .character("l"))
        #expect(state.selectedServiceRow?.prefix == "elasticache")
        press(&state, .enter)
        #expect(state.prompt == nil && state.selectedServiceRow?.prefix == "elasticache" && state.message == nil)
        // After the colon, the first action that starts with what is typed.
        press(&state, .character(":"))
        for character in "ec2:DescribeV" { press(&state, .character(character)) }
        #expect(state.selectedUsage?.action.hasPrefix("ec2:DescribeV") == true && state.focus == .actions)
        press(&state, .escape)
        #expect(state.prompt == nil && state.selectedUsage?.action.hasPrefix("ec2:DescribeV") == true)
    }
}
