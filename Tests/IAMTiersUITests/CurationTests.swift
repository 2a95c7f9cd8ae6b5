import Foundation
import IAMTiersCore
import TUIKit
import TestSupport
import Testing

@testable import IAMTiersUI

/// The bundled example's usage and its suggested draft: a realistic screen for every test here.
let exampleState: CurationState = {
    do {
        let mapping = try CloudTrailMapping.bundled(catalog: catalog)
        let logs = Repository.root.appendingPathComponent("Examples/cloudtrail").path
        let (totals, summary) = EventReader.read(paths: [logs], filter: EventFilter())
        let usage = try UsageBuilder(catalog: catalog, mapping: mapping, generator: "test")
            .build(totals, summary, AnalysisOptions(selection: .role("AdministratorAccess")))
        var tiers = TierSuggester(catalog: catalog, generator: "test").suggest(from: usage, usagePath: "usage.json")
        // As managed policies, which these screens were drawn on: the example's draft is permission
        // sets (its role is one), which the core's tests and the tmux tests cover.
        for index in tiers.tiers.indices { tiers.tiers[index].container = .managed }
        return CurationState(
            catalog: catalog, usage: usage, usagePath: "usage.json", tiers: tiers, tiersPath: "tiers.yaml")
    } catch {
        fatalError("example: \(error)")
    }
}()

/// The synthetic fixture whose requests show every companion rule.
func companionUsage() throws -> Usage {
    let mapping = try CloudTrailMapping.bundled(catalog: catalog)
    let fixture = Repository.root.appendingPathComponent("Tests/IAMTiersCoreTests/Fixtures/synthetic/companions.json")
    let (totals, summary) = EventReader.read(paths: [fixture.path], filter: EventFilter())
    return try UsageBuilder(catalog: catalog, mapping: mapping, generator: "test")
        .build(totals, summary, AnalysisOptions(selection: .role("Admin")))
}

func press(_ state: inout CurationState, _ keys: Key...) {
    for key in keys {
        if let action = CurationAction(key: key, state: state) { reduce(&state, action) }
    }
}

@Suite struct CurationReducerTests {
    @Test func aDigitMovesTheSelectedActionIntoThatTierAndTheMeterFollows() throws {
        var state = exampleState
        let action = try #require(state.selectedUsage?.action)
        #expect(state.tierIndex(of: action) == 0)
        let before = state.policies.map(\.meter.used)
        press(&state, .character("2"))
        #expect(state.tierIndex(of: action) == 1)
        #expect(state.isModified)
        #expect(state.policies[0].meter.used < before[0] && state.policies[1].meter.used > before[1])
        #expect(state.message == "\(action) into Operator")
        let assignment = try #require(state.tiers.tiers[1].actions.first { $0.action == action })
        #expect(assignment.rule == nil)  // placed by hand now
    }

    @Test func aConfigurationReadTierAsksOnceBeforeTakingADataOrSecretRead() throws {
        var state = exampleState
        let secret = "acm:ExportCertificate"
        let (service, position) = try #require(
            state.services.enumerated().lazy.compactMap { index, row in
                row.actions.firstIndex { $0.action == secret }.map { (index, $0) }
            }.first)
        state.selectedService = service
        state.selectedAction = position
        #expect(state.tierIndex(of: secret) == 1)
        press(&state, .character("1"))
        #expect(state.tierIndex(of: secret) == 1 && !state.isModified)
        #expect(
            state.message
                == "acm:ExportCertificate is a read that returns secrets or credentials; Read holds configuration "
                + "reads only: 1 again places them anyway")
        press(&state, .character("2"), .character("1"))  // another key drops the question
        #expect(state.tierIndex(of: secret) == 1)
        press(&state, .character("1"))
        #expect(state.tierIndex(of: secret) == 0, "\(state.message ?? "")")
        #expect(state.message == "acm:ExportCertificate into Read")
        // A configuration read goes in at once.
        let describe = try #require(
            state.services[service].actions.first {
                state.catalog.action(named: $0.action)?.isConfigurationRead == true
            })
        state.selectedAction = try #require(state.services[service].actions.firstIndex(of: describe))
        press(&state, .character("2"), .character("1"))
        #expect(state.tierIndex(of: describe.action) == 0)
    }

    /// Companions go with the actions that need them, and the detail pane names both sides.
    @Test func companionsFollowTheirActionAndTheDetailPaneShowsThem() throws {
        let usage = try companionUsage()
        let tiers = TierSuggester(catalog: catalog, generator: "test").suggest(from: usage, usagePath: nil)
        var state = CurationState(
            catalog: catalog, usage: usage, usagePath: "usage.json", tiers: tiers, tiersPath: "tiers.yaml")
        #expect(state.companions(of: "s3:GetObject") == ["kms:Decrypt"])
        #expect(state.actionsServed(by: "kms:Decrypt") == ["s3:GetObject"])
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "s3" })
        state.selectedAction = try #require(
            state.selectedServiceRow?.actions.firstIndex { $0.action == "s3:GetObject" })
        let screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(screen.contains("needs: kms:Decrypt (on-behalf, Operator)"))
        #expect(screen.contains("level: Read    verdict: data    risk: data access"))
        // Into Read: asked once, for the action and for its companion, then both move as one step.
        press(&state, .character("1"))
        #expect(
            state.message
                == "s3:GetObject is a data read, and its companion kms:Decrypt is a Write action; Read holds "
                + "configuration reads only: 1 again places them anyway")
        press(&state, .character("1"))
        #expect(state.tierIndex(of: "s3:GetObject") == 0 && state.tierIndex(of: "kms:Decrypt") == 0)
        #expect(state.message == "s3:GetObject into Read, with kms:Decrypt")
        press(&state, .character("u"))
        #expect(state.tierIndex(of: "s3:GetObject") == 1 && state.tierIndex(of: "kms:Decrypt") == 1)
        // The companion's pane says what it serves; ecs:RunTask's, where its scoped iam:PassRole is.
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "kms" })
        state.selectedAction = 0
        #expect(view(state, width: 120, height: 40).textLines.joined().contains("serves: s3:GetObject (Operator)"))
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "ecs" })
        #expect(
            view(state, width: 120, height: 40).textLines.joined().contains(
                "needs: iam:PassRole (passes-role, Operator, 1 role to ecs-tasks.amazonaws.com)"))
        // Up to Admin, which holds AdministratorAccess: the companion stays with the tier that needs it.
        press(&state, .character("3"))
        #expect(state.tierIndex(of: "ecs:RunTask") == 2 && state.tierIndex(of: "iam:PassRole") == 2)
    }

    @Test func undoAndRedoWalkTheHistory() throws {
        var state = exampleState
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("3"), .character("0"))
        #expect(state.tierIndex(of: action) == nil)
        press(&state, .character("u"))
        #expect(state.tierIndex(of: action) == 2)
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers && !state.isModified)
        press(&state, .control("r"), .control("r"))
        #expect(state.tierIndex(of: action) == nil)
        press(&state, .control("r"))
        #expect(state.message == "nothing to redo")
    }

    @Test func theIndexAndMetersUpdatedInPlaceEqualAFreshComputation() {
        var state = exampleState
        // Moves on actions and whole services, undone and redone, with wildcards and a filter on.
        let keys: [Key] = [
            .character("2"), .down, .character("3"), .tab, .down, .down, .character("1"), .character("0"),
            .character("u"),
            .character("w"), .tab, .character("0"), .character("u"), .character("u"), .control("r"), .character("f"),
            .character("2"), .control("r"), .character("u"), .character("u"), .control("r"),
        ]
        for key in keys {
            press(&state, key)
            #expect(state.tierOf == CurationState.placements(state.tiers), "after \(key)")
            #expect(state.riskyCounts == state.countRisky(), "after \(key)")
            #expect(
                state.rowTiers == state.allServices.map { $0.actions.map { state.tierOf[$0.action] } }, "after \(key)")
            #expect(
                state.policies
                    == PolicySynthesizer(compression: state.tiers.compressionScope, catalog: state.catalog)
                    .policies(for: state.tiers), "after \(key)")
        }
        #expect(state.undoStack.count > 2 && state.tiers != exampleState.tiers)
    }

    @Test func theSuggestionRulesPlaceAnActionAServiceOrEverythingShown() throws {
        var state = exampleState
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("3"), .character("a"))
        #expect(state.tiers == exampleState.tiers)  // back in Read, with its rule
        #expect(state.message == "1 action placed by the suggestion rules")
        state.focus = .services
        press(&state, .character("0"), .character("a"))
        #expect(state.tiers == exampleState.tiers)
        press(&state, .character("0"), .down, .down, .character("0"), .character("A"))
        #expect(state.tiers == exampleState.tiers)
        press(&state, .character("A"))
        #expect(state.message == "nothing to suggest for: every called action shown is placed")
        // Refused but never called: a decision for a person, not for the rules.
        let refusedOnly = state.allServices.flatMap(\.actions).filter { $0.count == 0 }.map(\.action)
        #expect(!refusedOnly.isEmpty && refusedOnly.allSatisfy { state.tierIndex(of: $0) == nil })
        press(&state, .character("u"))
        #expect(state.tiers != exampleState.tiers && state.tierIndex(of: action) == nil)  // A was one step
    }

    @Test func onAServiceADigitPlacesEveryUnplacedAction() throws {
        var state = exampleState
        let index = try #require(
            state.services.firstIndex { row in row.actions.contains { state.tierIndex(of: $0.action) == nil } })
        state.selectedService = index
        state.focus = .services
        let unplaced = state.services[index].actions.filter { state.tierIndex(of: $0.action) == nil }.map(\.action)
        press(&state, .character("1"))
        #expect(unplaced.allSatisfy { state.tierIndex(of: $0) == 0 })
        // With every action placed, the key moves all of them: asked first, as any bulk move.
        let row = state.services[index]
        let elsewhere = row.actions.map(\.action).filter { state.tierIndex(of: $0) != 0 }
        press(&state, .character("1"))
        #expect(elsewhere.count > 0 && elsewhere.allSatisfy { state.tierIndex(of: $0) != 0 })
        #expect(
            state.message?.hasSuffix(
                elsewhere.count > 1 ? "1 again places all \(elsewhere.count) anyway" : "1 again places them anyway")
                == true, "\(state.message ?? "")")
        press(&state, .character("1"))
        #expect(row.actions.allSatisfy { state.tierIndex(of: $0.action) == 0 })
        press(&state, .character("1"))
        #expect(state.message == "already in Read")
    }

    @Test func wWritesTheServiceAsWildcardsTheMeterShrinksAndUndoRestores() throws {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "glue" })
        let before = state.policies[0].meter.used
        press(&state, .character("w"))
        #expect(state.tiers.compressedServices == ["glue"] && state.isModified)
        #expect(state.message == "glue: 1 wildcard replace 2 listed actions")
        #expect(
            state.wildcards(ofService: "glue").map { "\($0.tier) \($0.pattern.pattern)" } == ["Read glue:ListSchema*"])
        #expect(state.policies[0].meter.used < before)
        let screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(screen.contains("wildcards (w)"))
        #expect(screen.contains("wildcards: Read glue:ListSchema* (replaces 2, grants 2 today)"))
        press(&state, .character("u"))
        #expect(state.tiers.compressedServices.isEmpty && state.policies[0].meter.used == before && !state.isModified)
        press(&state, .character("w"), .character("w"))
        #expect(state.message == "glue: actions listed one by one" && state.policies[0].meter.used == before)
    }

    @Test func dShowsTheChangesSinceTheLastSaveAndAnyKeyClosesIt() throws {
        var state = exampleState
        press(&state, .character("d"))
        #expect(state.report?.lines == ["No changes since tiers.yaml was saved."])
        press(&state, .character("2"))
        #expect(state.report == nil && state.tiers == exampleState.tiers)  // the key only closed the view
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("2"), .character("e"), .character("o"), .character("k"), .enter, .character("d"))
        let changes = try #require(state.report?.lines)
        #expect(changes.first?.hasPrefix("Read: 7,817 → ") == true)
        #expect(changes.contains("\(action)  Read → Operator"))
        #expect(changes.contains("note on \(action): “ok”"))
        #expect(
            goldenMismatch(
                view(state, width: 120, height: 40).styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/curation-changes.txt")
            )
                == nil)
    }

    @Test func capitalDShowsTheRolloutDiffWithTheUsedActionsItWouldDeny() throws {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "athena" })
        state.selectedAction = try #require(
            state.selectedServiceRow?.actions.firstIndex { $0.action == "athena:GetPreparedStatement" })
        press(&state, .character("3"), .character("D"))
        let report = try #require(state.report)
        #expect(report.title == "tiers.yaml as saved → this session")
        #expect(
            report.lines.contains("  athena:GetPreparedStatement  6 calls  1 person  Read → Admin  alice@corp.example"))
        #expect(
            goldenMismatch(
                view(state, width: 120, height: 40).styledSnapshot(),
                file: Repository.root.appendingPathComponent(
                    "Tests/IAMTiersUITests/__Snapshots__/curation-rollout-diff.txt")
            )
                == nil)
        press(&state, .character("j"), .character("G"))
        #expect(state.report?.top == 0)  // it fits: nothing to scroll
        press(&state, .character("x"))
        #expect(state.report == nil)

        // Against another version (edit --compare): the same action was Admin-only there.
        var other = state.tiers
        other.tiers[0].maxSessionHours = 8
        state.compared = ComparedVersion(label: "v0.yaml", tiers: other)
        press(&state, .character("D"))
        #expect(state.report?.title == "v0.yaml → this session")
        #expect(state.report?.lines.contains("  sessions up to 8 h → 12 h") == true)
    }

    @Test func aLongReportScrollsFromTheFirstKey() {
        var state = exampleState
        state.overlay = .report(ReportView(title: "long", lines: (1...100).map { "line \($0)" }))
        // 40 rows: a 38-row box, 34 lines of it for the page.
        press(&state, .character("j"))
        var screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(state.report?.top == 1 && !screen.contains(" line 1 ") && screen.contains(" line 35 "))
        press(&state, .character("G"))
        screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(state.report?.top == 66 && screen.contains(" line 100 ") && screen.contains("↑ 66 more"))
        press(&state, .character("k"), .control("u"))
        #expect(state.report?.top == 65 - 17)
        press(&state, .character("g"), .pageDown)
        screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(state.report?.top == 34 && screen.contains(" line 35 ") && screen.contains("↓ 32 more"))
        press(&state, .character("x"))
        #expect(state.report == nil)
    }

    @Test func capitalPReplaysThePeopleAndEnterShowsWhatOneUsed() throws {
        var state = exampleState
        press(&state, .character("P"))
        let cursor = try #require(state.people)
        #expect(cursor.replay.people.count == state.usage.people.count)
        #expect(
            goldenMismatch(
                view(state, width: 120, height: 40).styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/curation-people.txt"))
                == nil)
        press(&state, .character("j"), .enter)
        #expect(state.people == nil && state.personFilter == cursor.replay.people[1].person)
        #expect(
            state.services.allSatisfy { $0.actions.allSatisfy { $0.people.contains(cursor.replay.people[1].person) } })
        // The replay follows the tiers: moving everyone's action to Admin lowers every Read share.
        press(&state, .character("p"), .character("p"))
        press(&state, .character("P"), .escape)
        #expect(state.people == nil)
    }

    @Test func aServiceWithoutASafeWildcardSaysSo() throws {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "sts" })
        press(&state, .character("w"))
        #expect(state.message == "sts: wildcards on, but none is safe and shorter yet")
    }

    @Test func quittingWithUnsavedChangesAsksFirst() throws {
        var state = exampleState
        press(&state, .character("2"), .character("q"))
        #expect(!state.shouldQuit && state.confirmingQuit)
        press(&state, .character("q"))
        #expect(state.shouldQuit)
        var saved = exampleState
        press(&saved, .character("2"))
        #expect(reduce(&saved, try #require(CurationAction(key: .character("s"), state: saved))) == [.save])
        reduce(&saved, .saved)
        #expect(!saved.isModified)
        press(&saved, .character("q"))
        #expect(saved.shouldQuit)
    }

    @Test func aRecoveryOfferTakesOnlyItsOwnKeys() {
        var state = exampleState
        var recovered = exampleState.tiers
        recovered.tiers[0].actions.removeFirst()
        state.overlay = .recovery(recovered)
        #expect(CurationAction(key: .character("2"), state: state) == nil)
        press(&state, .character("r"))
        #expect(state.tiers == recovered && state.recoveryOffer == nil && state.isModified)
    }
}

@Suite struct CurationViewTests {
    func snapshot(_ grid: Grid, _ name: String) -> String? {
        goldenMismatch(
            grid.styledSnapshot(),
            file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/\(name).txt"))
    }

    @Test func mainScreenAt120x40() {
        #expect(snapshot(view(exampleState, width: 120, height: 40), "curation-120x40") == nil)
    }

    @Test func mainScreenAt80x24InMonochromeASCII() {
        var state = exampleState
        press(&state, .character("2"))
        let options = ViewOptions(theme: Theme.standard.monochrome(), box: .ascii)
        #expect(snapshot(view(state, width: 80, height: 24, options: options), "curation-80x24-mono") == nil)
    }

    @Test func recoveryOfferAt120x40() {
        var state = exampleState
        var recovered = state.tiers
        recovered.tiers[0].actions.removeFirst(2)
        state.overlay = .recovery(recovered)
        #expect(snapshot(view(state, width: 120, height: 40), "curation-recovery") == nil)
    }

    @Test func theModifiedMarkerStaysInSightWhenTheUsagePathIsLong() {
        var state = CurationState(
            catalog: exampleState.catalog, usage: exampleState.usage,
            usagePath: "/home/analyst/audits/2026/q4/production-account/admin-role/usage.json",
            tiers: exampleState.tiers, tiersPath: "tiers.yaml")
        press(&state, .character("2"))
        let header = view(state, width: 70, height: 24).textLines[0]
        #expect(header.hasSuffix("… tiers.yaml [modified] · \(state.findingCount) findings (c)"), "\(header)")
        #expect(header.hasPrefix(" iamtiers · /home/"))
    }

    @Test func tooSmallSaysWhatItNeeds() {
        let grid = view(exampleState, width: 50, height: 10)
        #expect(grid.textLines[0] == "terminal too small (need 70×17)")
        for (width, height) in [(0, 0), (1, 1), (60, 15), (200, 60)] {
            let grid = view(exampleState, width: width, height: height)
            #expect(grid.width == width && grid.height == height)
        }
    }
}

@Suite struct CurationThemeTests {
    @Test func theMainScreenInEveryThemeAtEverySize() throws {
        let folder = Repository.root.appendingPathComponent("Themes")
        var themes: [String: Theme] = [:]
        for name in ["default", "light", "high-contrast", "colour-blind-safe", "mono"] {
            let text = try String(contentsOf: folder.appendingPathComponent("\(name).toml"), encoding: .utf8)
            let theme = try ThemeFile.parse(text) { themes[$0] }
            themes[name] = theme
            // 120x40 is the size the snapshots are read at; the other two pin the layout's extremes.
            for (width, height, suffix) in [(120, 40, ""), (80, 24, "-80x24"), (200, 60, "-200x60")] {
                let grid = view(exampleState, width: width, height: height, options: ViewOptions(theme: theme))
                let file = Repository.root.appendingPathComponent(
                    "Tests/IAMTiersUITests/__Snapshots__/theme-\(name)\(suffix).txt")
                #expect(goldenMismatch(grid.styledSnapshot(), file: file) == nil, "\(name) \(width)x\(height)")
            }
        }
    }
}

@Suite struct CurationNoteTests {
    @Test func aNoteIsTypedKeptAndUndoable() throws {
        var state = exampleState
        let action = try #require(state.selectedUsage?.action)
        press(&state, .character("e"))
        #expect(state.noteDraft == "")
        for character in "asked by ops\u{1b}[2J" { press(&state, .character(character)) }
        press(&state, .backspace)
        #expect(state.noteDraft == "asked by ops[2")  // the escape character never enters a note
        press(&state, .backspace, .backspace, .enter)
        let note = state.tiers.tiers[0].actions.first { $0.action == action }?.note
        #expect(note == "asked by ops")
        #expect(state.isModified && state.message == "noted: \(action)")
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers)
    }

    @Test func escapeDropsTheDraftAndUnplacedActionsHaveNoNote() throws {
        var state = exampleState
        press(&state, .character("e"), .character("x"), .escape)
        #expect(state.noteDraft == nil && !state.isModified)
        press(&state, .character("0"), .character("e"))
        #expect(state.noteDraft == nil)
        #expect(state.message == "put the action into a tier first; the note says why it is there")
    }

    @Test func helpListsEveryKeyAndAnyKeyClosesIt() {
        var state = exampleState
        press(&state, .character("?"))
        #expect(state.helpHighlight == 0)
        let grid = view(state, width: 120, height: 40)
        let text = grid.textLines.joined(separator: "\n")
        for entry in KeyMap.main.bindings { #expect(text.contains(entry.meaning), "\(entry.label)") }
        #expect(
            goldenMismatch(
                grid.styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/curation-help.txt"))
                == nil)
        press(&state, .character("2"))
        #expect(state.overlay == nil && state.tiers == exampleState.tiers)
    }

    @Test func theNoteBeingTypedShowsInTheStatusLine() {
        var state = exampleState
        press(&state, .character("e"))
        for character in "needed for on-call" { press(&state, .character(character)) }
        let last = view(state, width: 120, height: 40).textLines.last ?? ""
        #expect(last.hasPrefix(" note: needed for on-call▏"))
        #expect(last.hasSuffix("Enter keeps · Esc drops"))
    }
}

@Suite struct CurationSearchTests {
    @Test func typingNarrowsTheListsAtOnceAndEscapeClears() {
        var state = exampleState
        press(&state, .character("/"))
        for character in "describeinst" { press(&state, .character(character)) }
        #expect(state.query == "describeinst")
        #expect(!state.services.isEmpty)
        #expect(state.services.allSatisfy { $0.actions.allSatisfy { $0.action.lowercased().contains("describeinst") } })
        let last = view(state, width: 120, height: 40).textLines.last ?? ""
        #expect(last.hasPrefix(" search: describeinst▏"))
        press(&state, .enter)
        #expect(state.queryDraft == nil && state.query == "describeinst")
        #expect(view(state, width: 120, height: 40).textLines.joined().contains("Search: describeinst ("))
        press(&state, .escape)
        #expect(state.query.isEmpty && state.services == exampleState.services)
    }

    @Test func backspaceWidensAndNoMatchSaysSo() {
        var state = exampleState
        press(&state, .character("/"))
        for character in "zzzq" { press(&state, .character(character)) }
        #expect(state.services.isEmpty)
        press(&state, .enter)
        #expect(state.message == "no action matches 'zzzq'")
        press(&state, .character("/"), .backspace, .backspace, .backspace, .backspace)
        #expect(state.services == exampleState.services)
    }

    @Test func aTierKeyOnAServicePlacesOnlyWhatTheSearchShows() throws {
        var state = exampleState
        press(&state, .character("/"))
        for character in "ec2:describe" { press(&state, .character(character)) }
        press(&state, .enter)
        state.focus = .services
        let shown = try #require(state.selectedServiceRow).actions.count
        press(&state, .character("0"))
        #expect(state.message == "move \(shown) actions out of every tier? 0 again moves them" && !state.isModified)
        press(&state, .character("0"))
        let ec2 = try #require(state.allServices.first { $0.prefix == "ec2" })
        for action in ec2.actions {
            let describes = action.action.hasPrefix("ec2:Describe")
            #expect((state.tierIndex(of: action.action) == nil) == describes, "\(action.action)")
        }
    }
}

@Suite struct CurationFilterTests {
    @Test func filtersCycleAndUnplacedShrinksAsActionsArePlaced() throws {
        var state = exampleState
        press(&state, .character("f"))
        #expect(state.filter == .unplaced && state.message == "showing unplaced")
        let unplaced = state.services.reduce(0) { $0 + $1.actions.count }
        #expect(
            unplaced
                == exampleState.services.flatMap(\.actions).filter { exampleState.tierIndex(of: $0.action) == nil }
                .count)
        #expect(unplaced > 0)
        let first = try #require(state.selectedUsage?.action)
        press(&state, .character("1"))
        #expect(state.services.reduce(0) { $0 + $1.actions.count } == unplaced - 1)
        #expect(state.selectedUsage?.action != first)
        press(&state, .character("f"), .character("f"))
        #expect(state.filter == .denied)
        #expect(state.services.allSatisfy { $0.actions.allSatisfy { $0.denied > 0 } })
        press(&state, .character("f"))
        #expect(state.filter == .adminOnly)
        let inAdmin = state.allServices.flatMap(\.actions).filter { action in
            state.tierIndex(of: action.action).map { state.tiers.tiers[$0].isAdministrator } ?? false
        }
        #expect(!inAdmin.isEmpty && state.services.flatMap(\.actions).map(\.action) == inAdmin.map(\.action))
        press(&state, .character("f"))
        #expect(state.filter == .all && state.services.count == exampleState.services.count)
    }

    @Test func actionsCanBeOrderedByCalls() {
        var state = exampleState
        press(&state, .character("o"))
        #expect(state.order == .calls && state.message == "actions by calls")
        for row in state.services {
            #expect(zip(row.actions, row.actions.dropFirst()).allSatisfy { $0.count >= $1.count }, "\(row.prefix)")
        }
    }
}

@Suite struct TierSettingsTests {
    @Test func sessionsAlertsContainerAndNamesChangeAsUndoableSteps() throws {
        var state = exampleState
        press(&state, .character("T"))
        #expect(state.settings == TierSettingsCursor())
        // Read's sessions: 12 h is the most a role allows.
        press(&state, .right, .right, .character("+"))
        #expect(state.tiers.tiers[0].maxSessionHours == 12)
        #expect(state.message == "sessions stay between 1 and 12 hours: the most IAM roles and permission sets allow")
        press(&state, .character("-"), .character("-"))
        #expect(state.tiers.tiers[0].maxSessionHours == 10 && state.message == "Read: sessions up to 10 h")
        press(&state, .down, .right, .enter)  // Operator: alert on use
        #expect(state.tiers.tiers[1].alertOnUse)
        let before = state.policies[1].meter
        press(&state, .right, .right, .right, .enter)  // Operator: managed -> inline
        #expect(state.tiers.tiers[1].container == .inline && state.policies[1].meter != before)
        // Rename Operator; `t` is text while typing, a duplicate name is refused.
        press(&state, .left, .left, .left, .left, .left, .left, .enter)
        #expect(state.settings?.draft?.text == "Operator" && state.isTypingText)
        for _ in "Operator" { press(&state, .backspace) }
        for character in "Read" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.message == "a tier is already called Read" && state.tiers.tiers[1].name == "Operator")
        press(&state, .enter)
        for _ in "Operator" { press(&state, .backspace) }
        for character in "r-EAD\u{202E}" { press(&state, .character(character)) }  // the bidi override is refused
        #expect(state.settings?.draft?.text == "r-EAD")
        press(&state, .enter)
        #expect(state.message == "a tier is already called Read (the same name in exports)")
        press(&state, .enter)
        for _ in "Operator" { press(&state, .backspace) }
        for character in "Data" { press(&state, .character(character)) }
        let screen = view(state, width: 120, height: 40)
        #expect(
            goldenMismatch(
                screen.styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/tier-settings.txt"))
                == nil)
        press(&state, .enter)
        #expect(state.tiers.tiers[1].name == "Data" && state.message == "Data: renamed Operator to Data")
        #expect(view(state, width: 120, height: 40).textLines[2].hasPrefix(" Data "))  // the meter follows
        for _ in 0..<5 { press(&state, .character("u")) }
        #expect(state.tiers == exampleState.tiers)
        press(&state, .escape)
        #expect(state.settings == nil)
    }

    @Test func aTierHoldsConfigurationReadsOnlyOrAnyAction() {
        var state = exampleState
        #expect(state.tiers.tiers[0].configurationReadOnly && !state.tiers.tiers[1].configurationReadOnly)
        press(&state, .character("T"), .down)
        for _ in 0..<5 { press(&state, .right) }
        press(&state, .enter)
        #expect(state.tiers.tiers[1].configurationReadOnly)
        #expect(state.message == "Operator: holds configuration reads only")
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers)
    }

    @Test func roleNamesAndAttachmentsAreCheckedBeforeTheyChange() {
        var state = exampleState
        press(&state, .character("T"), .right, .enter)
        #expect(state.settings?.draft?.text == "iamtiers-read")
        for character in " x" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.message == "a role name is 1 to 64 letters, digits or + = , . @ _ -")
        press(&state, .enter)
        for _ in "iamtiers-read x" { press(&state, .backspace) }
        for character in "iamtiers-operator" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.message == "the Operator tier's role is already called iamtiers-operator")
        press(&state, .enter, .backspace, .backspace, .enter)
        #expect(state.tiers.tiers[0].roleName == "iamtiers-re" && state.message == "Read: role iamtiers-re")
        for _ in 0..<6 { press(&state, .right) }
        press(&state, .enter)
        for character in "ReadOnlyAccess" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.message?.hasPrefix("attachments are managed policy ARNs") == true)
        press(&state, .enter)
        for character in "arn:aws:iam::aws:policy/ReadOnlyAccess" { press(&state, .character(character)) }
        let typing = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(typing.contains(" …aws:policy/ReadOnlyAccess▏"))  // the end of a long draft stays in sight
        press(&state, .enter)
        #expect(state.tiers.tiers[0].attachedPolicies == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        #expect(view(state, width: 120, height: 40).textLines.joined().contains("ReadOnlyAccess "))
        press(&state, .escape, .escape)
        #expect(state.settings == nil)
    }

    @Test func withoutTiersTheScreenStillWorksAndNAddsOne() {
        var empty = exampleState.tiers
        empty.tiers = []
        var state = CurationState(
            catalog: exampleState.catalog, usage: exampleState.usage, usagePath: "usage.json", tiers: empty,
            tiersPath: "tiers.yaml")
        _ = view(state, width: 120, height: 40)
        press(&state, .character("a"), .character("T"), .down, .enter, .character("+"))
        #expect(state.message == "no tiers yet: N adds one")
        press(&state, .character("N"))
        #expect(state.tiers.tiers.map(\.name) == ["New tier"] && state.policies.count == 1)
        press(&state, .escape, .character("a"))
        #expect(state.tierIndex(of: state.selectedUsage?.action ?? "") == 0)
    }

    @Test func atEightyColumnsEverySettingStaysInSight() {
        var state = exampleState
        press(&state, .character("T"))
        let screen = view(state, width: 80, height: 24)
        let text = screen.textLines.joined(separator: "\n")
        for title in ["Tier", "Role", "Sessions", "Alert", "Inherits", "Container", "Attach"] {
            #expect(text.contains(title), "\(title)")
        }
        #expect(text.contains("identity-center") || text.contains("managed"))
        #expect(
            goldenMismatch(
                screen.styledSnapshot(),
                file: Repository.root.appendingPathComponent(
                    "Tests/IAMTiersUITests/__Snapshots__/tier-settings-80x24.txt"))
                == nil)
    }

    @Test func aNewTierGoesAfterTheSelectedOneAndPlacementsFollow() throws {
        var state = exampleState
        let adminAction = try #require(state.tiers.tiers[2].actions.first?.action)
        press(&state, .character("T"), .down, .character("N"))
        #expect(state.tiers.tiers.map(\.name) == ["Read", "Operator", "New tier", "Admin"])
        #expect(state.message == "added New tier as tier 3 (key 3); Enter renames it")
        #expect(state.settings?.tier == 2 && state.tierIndex(of: adminAction) == 3)
        #expect(state.policies.count == 4)
        press(&state, .escape, .character("u"))
        #expect(state.tiers == exampleState.tiers && state.tierIndex(of: adminAction) == 2)
        // Undo inside the screen can take away the tier under the cursor: the cursor follows.
        press(&state, .character("T"), .down, .character("N"), .down, .character("u"), .right, .right, .character("-"))
        #expect(state.tiers.tiers.count == 3 && state.tiers.tiers[2].maxSessionHours == 1)
        #expect(state.settings?.tier == 2)
    }
}

@Suite struct TierLadderTests {
    @Test func tiersMoveOnTheLadderAndDigitsFollowTheOrderShown() throws {
        var state = exampleState
        let readAction = try #require(state.tiers.tiers[0].actions.first?.action)
        press(&state, .character("T"), .character("J"))
        #expect(state.tiers.tiers.map(\.name) == ["Operator", "Read", "Admin"])
        #expect(state.message == "Read is tier 2 of 3 now (key 2); what a tier inherits follows the ladder")
        #expect(state.tierIndex(of: readAction) == 1 && state.settings?.tier == 1)
        press(&state, .character("J"), .character("J"))
        #expect(state.message == "Read is already the last tier")
        press(&state, .escape)
        let meters = view(state, width: 120, height: 40).textLines[1...3].map { String($0.prefix(10)) }
        #expect(meters == [" Operator ", " Admin    ", " Read     "])
        press(&state, .character("u"), .character("u"))
        #expect(state.tiers == exampleState.tiers && state.tierIndex(of: readAction) == 0)
    }

    @Test func deletingATierAsksOnceAndItsActionsAreInNoTier() throws {
        var state = exampleState
        let operatorActions = state.tiers.tiers[1].actions.map(\.action)
        let findings = state.findingCount
        press(&state, .character("T"), .down, .character("X"))
        #expect(
            state.message
                == "delete Operator? Its \(operatorActions.count) actions would be in no tier: X again deletes it")
        #expect(state.tiers == exampleState.tiers)
        press(&state, .character("X"))
        #expect(state.tiers.tiers.map(\.name) == ["Read", "Admin"])
        #expect(operatorActions.allSatisfy { state.tierIndex(of: $0) == nil } && state.findingCount > findings)
        press(&state, .character("X"), .down, .character("X"))  // another key drops the question
        #expect(state.tiers.tiers.count == 2)
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers)
    }
}

@Suite struct WorkshopModeTests {
    @Test func peopleArePseudonymsAndTheNoteComesFirst() throws {
        var state = exampleState
        state.workshop = Pseudonyms(people: state.usage.people.map(\.name))
        press(&state, .character("e"))
        for character in "keep: erin@corp.example asked" { press(&state, .character(character)) }
        press(&state, .enter)
        let grid = view(state, width: 120, height: 40)
        let text = grid.textLines.joined(separator: "\n")
        #expect(!text.contains("@corp.example"))
        #expect(text.contains("used by: person "))
        #expect(text.contains("note: keep: person "))
        #expect(
            goldenMismatch(
                grid.styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/workshop.txt")) == nil
        )
        #expect(reduce(&state, .writeMinutes) == [.writeMinutes])
        press(&state, .character("d"))  // the changes view redacts the note too
        #expect(!view(state, width: 120, height: 40).textLines.joined().contains("@corp.example"))
    }
}

@Suite struct MouseTests {
    func act(_ state: inout CurationState, _ button: MouseEvent.Button, x: Int, y: Int) -> Bool {
        guard let action = CurationAction(mouse: MouseEvent(button, x: x, y: y), state: state, width: 120, height: 40)
        else { return false }
        reduce(&state, action)
        return true
    }

    @Test func aClickSelectsTheRowUnderItAndTheWheelScrollsThePaneUnderThePointer() {
        var state = exampleState
        // At 120x40 the panes start below the header and three meters; their first rows are at y 5.
        #expect(act(&state, .press, x: 5, y: 7))
        #expect(state.focus == .services && state.selectedServiceRow?.prefix == "athena" && state.selectedAction == 0)
        #expect(act(&state, .press, x: 60, y: 6))
        #expect(state.focus == .actions && state.selectedAction == 1)
        #expect(act(&state, .wheelDown, x: 5, y: 20))
        #expect(state.focus == .services && state.selectedService == 5)
        #expect(!act(&state, .press, x: 0, y: 10))  // the border
        #expect(!act(&state, .press, x: 60, y: 1))  // the meters
        #expect(act(&state, .press, x: 60, y: 28) && state.selectedAction == 0)  // below the rows: no change
        #expect(!act(&state, .press, x: 60, y: 30))  // the detail pane
        press(&state, .character("?"))
        #expect(!act(&state, .press, x: 5, y: 7))  // a modal takes no clicks
    }

    @Test func aClickFollowsTheScrolledList() {
        var state = exampleState
        press(&state, .tab, .end)  // the services list scrolled to its end
        let last = state.services.count - 1
        let visible = CurationLayout(state, width: 120, height: 40)!.services.height - 2
        #expect(act(&state, .press, x: 5, y: 5 + visible - 1))
        #expect(state.selectedService == last)
        #expect(act(&state, .press, x: 5, y: 5))
        #expect(state.selectedService == last - visible + 1)
    }
}

@Suite struct OpenItemsTests {
    @Test func aServiceShowsItsOpenItemsBelowItsActionsAndIOpensOnThem() throws {
        var state = exampleState
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "s3" })
        let screen = view(state, width: 120, height: 40).textLines.joined(separator: "\n")
        #expect(screen.contains("│ ⚑ data-events: The trail records data events (1 data event read, of other princ…"))
        let dataEvents = try #require(state.tiers.openItems.firstIndex { $0.kind == .dataEvents })
        press(&state, .character("i"))
        #expect(state.openItemSelected == dataEvents)
        press(&state, .character("x"), .character("o"), .character("k"), .enter, .escape)
        #expect(!view(state, width: 120, height: 40).textLines.joined().contains("⚑ data-events"))
        // Refusals are rows of their service already, not repeated as items below it.
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "athena" })
        #expect(state.openItems(ofService: "athena").isEmpty)
    }

    @Test func anItemShowsItsActionAndIsResolvedAsAnUndoableStep() throws {
        var state = exampleState
        let count = state.tiers.openItems.count
        #expect(state.tiers.openItems.first?.text.hasPrefix("athena:ListDatabases: refused") == true)
        press(&state, .character("i"))
        #expect(state.openItemSelected == 0)
        #expect(
            goldenMismatch(
                view(state, width: 120, height: 40).styledSnapshot(),
                file: Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/open-items.txt"))
                == nil)
        press(&state, .enter)
        #expect(state.openItemSelected == nil && state.selectedUsage?.action == "athena:ListDatabases")
        #expect(state.focus == .actions)
        // x asks why; without a reason nothing is resolved, and the reason is kept with the item.
        press(&state, .character("i"), .down, .character("x"))
        #expect(state.isTypingText && !state.isModified)
        press(&state, .enter)
        #expect(state.message == "a resolved item keeps its reason for the review: type one, or Esc")
        for character in "nobody needs it" { press(&state, .character(character)) }
        press(&state, .enter)
        let resolved = state.tiers.openItems[1]
        #expect(state.tiers.openItems.count == count && state.tiers.unresolvedItems.count == count - 1)
        #expect(resolved.action == "autoscaling:DescribeAdjustmentTypes" && resolved.resolution == "nobody needs it")
        #expect(state.message == "resolved: denied-only, “nobody needs it” (u brings it back)")
        #expect(
            view(state, width: 120, height: 40).textLines.contains {
                $0.contains("✓ autoscaling:DescribeAdjustmentTypes")
            })
        #expect(TiersFile.text(of: state.tiers).contains("resolved: \"nobody needs it\"}"))
        press(&state, .character("u"))
        #expect(state.tiers == exampleState.tiers)
        // An item about the whole corpus names no action.
        let consoleOnly = try #require(state.tiers.openItems.firstIndex { $0.kind == .consoleOnly })
        state.overlay = .openItems(OpenItemsCursor(selected: consoleOnly))
        press(&state, .enter)
        #expect(state.message == "this item names no action of the usage" && state.openItemSelected == consoleOnly)
        press(&state, .escape)
        #expect(state.openItemSelected == nil)
    }
}

/// `iamtiers denied --as-open-items` after a rollout: the editor lists each proposal as an open
/// item, under its service too, and Enter shows the refused action where the usage has it.
@Suite struct AccessDeniedItemsTests {
    @Test func refusalsOpenAsItemsThatShowTheirAction() throws {
        var state = exampleState
        let events = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/denied/cloudtrail.json")
        let (totals, _) = EventReader.read(paths: [events.path], filter: EventFilter())
        let followUp = DeniedFollowUp(
            totals: totals, tiers: state.tiers, catalog: catalog,
            mapping: try CloudTrailMapping.bundled(catalog: catalog),
            includeConsole: false)
        state.tiers = followUp.applied(to: state.tiers, asOpenItems: true)
        let item = try #require(
            state.tiers.openItems.firstIndex { $0.text.hasPrefix("iam:CreateUser: refused 1 time") })
        #expect(
            state.tiers.openItems[item].kind == .accessDenied && state.tiers.openItems[item].action == "iam:CreateUser")
        state.selectedService = try #require(state.services.firstIndex { $0.prefix == "iam" })
        #expect(
            view(state, width: 120, height: 40).textLines.contains { $0.contains("⚑ access-denied: iam:CreateUser") })
        press(&state, .character("i"))
        state.overlay = .openItems(OpenItemsCursor(selected: item))
        press(&state, .enter)
        #expect(state.selectedUsage?.action == "iam:CreateUser" && state.openItemSelected == nil)
    }
}

@Suite struct HelpScrollTests {
    @Test func onAShortTerminalTheHelpScrollsAndSaysWhatIsHidden() {
        var state = exampleState
        reduce(&state, .resize(width: 80, height: 24))
        press(&state, .character("?"))
        // 24 rows: a 22-row box, 18 of them for keys.
        let hidden = KeyMap.main.bindings.count - 18
        let first = view(state, width: 80, height: 24).textLines.joined(separator: "\n")
        #expect(first.contains("move in the focused pane by a line") && first.contains("↓ \(hidden) more"))
        #expect(!first.contains("this help"))
        press(&state, .character("j"))  // the page moves with the first key
        #expect(state.helpHighlight == 1)
        for _ in 0..<40 { press(&state, .character("j")) }
        #expect(state.helpHighlight == hidden)
        let last = view(state, width: 80, height: 24).textLines.joined(separator: "\n")
        #expect(
            last.contains("quit (asks first") && last.contains("↑ \(hidden) more") && !last.contains("↓ 1 more")
                && last.components(separatedBy: " more").count == 2)
        press(&state, .character("k"), .pageUp)
        // PgUp scrolls the page; it does not close the help.
        #expect(state.helpHighlight == max(0, hidden - 1 - 18) && state.overlay != nil)
        press(&state, .pageDown)
        #expect(state.helpHighlight == hidden)
        press(&state, .character("x"))
        #expect(state.overlay == nil)
    }
}

/// The generator's hostile corpus (escape sequences and control characters in session names and
/// user agents) through analysis and every service of the curation screen.
@Suite(.enabled(if: Repository.hasShared, "needs ../shared/tools/gen-cloudtrail.py"))
struct HostileLogTests {
    @Test func noControlCharacterReachesTheScreen() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let logs = directory.appendingPathComponent("logs")
        let generator = Repository.shared.appendingPathComponent("tools/gen-cloudtrail.py").path
        let result = try run(
            "/usr/bin/env",
            ["python3", generator, "--out", logs.path, "--events", "3000", "--seed", "5", "--hostile"])
        #expect(result.status == 0, "\(result.stderr)")
        let (totals, summary) = EventReader.read(paths: [logs.path], filter: EventFilter())
        var usage = try UsageBuilder(
            catalog: catalog, mapping: CloudTrailMapping.bundled(catalog: catalog), generator: "test"
        )
        .build(totals, summary, AnalysisOptions(selection: .role("AdministratorAccess"), includeDenied: true))
        func hasControls(_ text: String) -> Bool {
            text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
        // Analysis cleans log text where it enters; a usage file from elsewhere may still carry it.
        #expect(usage.people.count > 3 && !usage.people.map(\.name).contains(where: hasControls))
        usage.people[0].name = "\u{1B}[2J\u{1B}]0;pwned\u{07}"
        usage.people[1].name = "\u{9B}31mred\u{85}\u{2028}\u{202E}evil"
        usage.people[2].name = "\u{0}nul\u{7F}\r\nfake-line"
        let tiers = TierSuggester(catalog: catalog, generator: "test").suggest(from: usage, usagePath: "usage.json")
        var state = CurationState(
            catalog: catalog, usage: usage, usagePath: "usage.json", tiers: tiers, tiersPath: "tiers.yaml")
        var drawnHostile = 0
        func inspect(_ state: CurationState, _ place: String) {
            for line in view(state, width: 120, height: 40).textLines {
                if line.contains("evil") || line.contains("fake-line") || line.contains("pwned") { drawnHostile += 1 }
                let controls = line.unicodeScalars.filter { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
                #expect(controls.isEmpty, "\(place): \(line.debugDescription)")
            }
        }
        for service in state.services.indices {
            state.selectedService = service
            for action in state.services[service].actions.indices.prefix(3) {
                state.selectedAction = action
                inspect(state, state.services[service].prefix)
            }
        }
        press(&state, .character("P"))
        inspect(state, "people")
        #expect(drawnHostile > 0)  // the hostile names were on screen, cleaned
    }
}

@Suite struct LevelAndPersonFilterTests {
    @Test func accessLevelAndPersonNarrowTheListsAndCycleBackToAll() throws {
        var state = exampleState
        press(&state, .character("L"))
        #expect(state.levelFilter == .list && state.message == "only List actions")
        #expect(state.services.allSatisfy { $0.actions.allSatisfy { $0.accessLevel == .list } })
        let person = try #require(state.usage.people.map(\.name).sorted().first)
        press(&state, .character("p"))
        #expect(state.personFilter == person && state.message == "only what \(person) used")
        #expect(
            state.services.allSatisfy {
                $0.actions.allSatisfy { $0.accessLevel == .list && $0.people.contains(person) }
            })
        let screen = view(state, width: 120, height: 40).textLines
        #expect(screen[4].hasPrefix("┌─ Services · List · \(person.prefix(6))"))
        #expect(screen[0].contains(" · showing List, \(person) · tiers.yaml"), "\(screen[0])")
        for _ in AccessLevel.allCases { press(&state, .character("L")) }
        #expect(state.levelFilter == nil && state.message == "every access level")
        for _ in state.usage.people { press(&state, .character("p")) }
        #expect(state.personFilter == nil && state.services == state.allServices)
        state.workshop = Pseudonyms(people: state.usage.people.map(\.name))
        press(&state, .character("p"))
        #expect(state.message == "only what person 1 used")
    }
}
