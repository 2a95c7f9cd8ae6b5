import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
struct TmuxSession {
    let socket = "iamtiers-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-e2e-\(UUID().uuidString)")

    static var available: Bool { (try? run("/usr/bin/env", ["tmux", "-V"]).status) == 0 }

    /// Starts `iamtiers ARGS` in a 120x40 window (in `folder`, else the tests' working folder); its
    /// exit status is written to `statusFile`.
    init(_ arguments: String, environment: String = "", folder: URL? = nil) throws {
        let command =
            (folder.map { "cd '\($0.path)' && " } ?? "")
            + "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 \(environment) '\(IAMTiersBinary.path)' \(arguments); "
            + "echo $? > '\(statusFile.path)'; sleep 30"
        // The tmux server inherits the client's descriptors: give it none of ours to hold open.
        let status = try run(
            "/usr/bin/env", ["tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "40", command],
            captureOutput: false
        ).status
        precondition(status == 0, "tmux could not start")
    }

    /// Ends the tmux server and everything in it; call it with `defer` right after starting.
    func close() {
        _ = try? run("/usr/bin/env", ["tmux", "-L", socket, "kill-server"], captureOutput: false)
        try? FileManager.default.removeItem(at: statusFile)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> ProcessResult {
        try run("/usr/bin/env", ["tmux", "-L", socket] + arguments)
    }

    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : [])).stdout
    }

    func keys(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

    /// Polls the screen until `condition` holds (no fixed sleeps), or gives up after fifteen seconds
    /// (the whole test suite shares two cores, so a frame can be slow).
    func waitFor(_ what: String, escapes: Bool = false, _ condition: (String) -> Bool) throws -> String {
        var last = ""
        for _ in 0..<300 {
            last = try screen(escapes: escapes)
            if condition(last) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)")
        return last
    }

    /// Waits for `text` on a fully drawn frame: the status line is drawn last, so a capture taken
    /// while the terminal is still being written shows it only once everything above is there.
    func waitForScreen(containing text: String) throws -> String {
        try waitFor("'\(text)' on a complete frame") { $0.contains(text) && $0.contains("q quit") }
    }

    func exitStatus() throws -> String {
        for _ in 0..<100 {
            if let status = try? String(contentsOf: statusFile, encoding: .utf8), !status.isEmpty {
                return status.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            usleep(50_000)
        }
        return "still running"
    }

    var appPID: String? {
        guard
            let pane = try? tmux(["display", "-p", "#{pane_pid}"]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines),
            let children = try? run("/usr/bin/env", ["pgrep", "-f", "-P", pane, "iamtiers"]).stdout
        else { return nil }
        return children.split(separator: "\n").first.map(String.init)
    }
}

/// SGR parameters that set a colour (39 and 49 only restore the terminal's defaults).
let colourParameters = Set(Array(30...38) + Array(40...48) + Array(90...97) + Array(100...107))

/// Every parameter of every `ESC [ … m` sequence in a `capture-pane -e` screen.
func sgrParameters(_ screen: String) -> [Int] {
    var parameters: [Int] = []
    var rest = Substring(screen)
    while let start = rest.range(of: "\u{1b}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
        if rest[end] == "m" { parameters += rest[..<end].split(separator: ";").compactMap { Int($0) } }
        rest = rest[end...]
    }
    return parameters
}

@Suite(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"), .serialized)
struct FullScreenTests {
    @Test func browserDrawsNavigatesAndQuits() throws {
        let session = try TmuxSession("catalog browse")
        defer { session.close() }
        let first = try session.waitForScreen(containing: "Services")
        #expect(first.contains("IAM action catalog of 2026-08-21"))
        #expect(first.contains("┌─ Services"))
        #expect(first.contains("q quit"))
        try session.keys("j", "j", "Tab", "j")
        // Keys may be drawn one frame at a time: wait for the state after the last one.
        let moved = try session.waitForScreen(containing: "access-analyzer:CancelPolicyGeneration")
        #expect(moved.contains("Actions of access-analyzer"))
        try session.keys("q")
        #expect(try session.exitStatus() == "0")
        #expect(try session.screen().contains("Services") == false)
    }

    @Test func sigtermEndsWithStatus143AndRestoresTheTerminal() throws {
        let session = try TmuxSession("catalog browse")
        defer { session.close() }
        _ = try session.waitForScreen(containing: "Services")
        let pid = try #require(session.appPID)
        _ = try run("/bin/kill", ["-TERM", pid])
        #expect(try session.exitStatus() == "143")
        #expect(try session.tmux(["display", "-p", "#{alternate_on}"]).stdout.hasPrefix("0"))
    }

    @Test func coloursFollowTheTerminalAndNoColorTurnsThemOff() throws {
        let coloured = try TmuxSession("catalog browse")
        defer { coloured.close() }
        let withColour = try coloured.waitFor("a coloured frame", escapes: true) { $0.contains("quit") }
        #expect(withColour.contains("\u{1b}[46m") || withColour.contains("\u{1b}[48;5;6m"))

        let plain = try TmuxSession("catalog browse", environment: "NO_COLOR=1")

        defer { plain.close() }
        let withoutColour = try plain.waitFor("a monochrome frame", escapes: true) { $0.contains("quit") }
        #expect(sgrParameters(withColour).contains { colourParameters.contains($0) })
        #expect(!sgrParameters(withoutColour).contains { colourParameters.contains($0) })
        #expect(sgrParameters(withoutColour).contains(7), "the selection must stay visible in reverse video")
    }

    @Test func themesAreChosenByNameAndCycledWithT() throws {
        let session = try TmuxSession("catalog browse --theme high-contrast")
        defer { session.close() }
        let contrast = try session.waitFor("a high-contrast frame", escapes: true) { $0.contains("quit") }
        #expect(sgrParameters(contrast).contains(103))  // bright yellow selection
        try session.keys("t")
        let next = try session.waitFor("the next theme", escapes: true) {
            !sgrParameters($0).contains(103) && $0.contains("quit")
        }
        #expect(next != contrast)
    }

    @Test func anUnknownThemeIsReportedAndTheDefaultUsed() throws {
        let result = try IAMTiersBinary.run("catalog", "browse", "--theme", "solarised")
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "unknown theme 'solarised' (known: default, colour-blind-safe, high-contrast, light, mono)"))
    }

    @Test func withoutATerminalTheBrowserPrintsItsFirstScreen() throws {
        let result = try IAMTiersBinary.run("catalog", "browse")
        #expect(result.status == 0)
        #expect(result.stdout.contains("┌─ Services"))
        #expect(result.stdout.contains("21,788 actions"))
    }

    @Test func theDemoAnalysesTheBundledExample() throws {
        let result = try IAMTiersBinary.run("demo")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "role      arn:aws:iam::227403448444:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_"
            ))
        #expect(result.stdout.contains("people    6"))
        #expect(result.stdout.contains("[data-events]"))
    }
}

@Suite(.enabled(if: TmuxSession.available, "needs tmux (.ci/run installs it)"), .serialized)
struct CurationScreenTests {
    /// A usage file of the bundled example in a fresh folder.
    func exampleUsage() throws -> URL {
        let directory = try temporaryDirectory()
        let usage = directory.appendingPathComponent("usage.json")
        let example = Repository.root.appendingPathComponent("Examples/cloudtrail").path
        let result = try IAMTiersBinary.run("analyze", example, "--role", "AdministratorAccess", "-o", usage.path)
        precondition(result.status == 0, result.stderr)
        return usage
    }

    /// The curation screen's status line may hold a message, so a complete frame is recognised by
    /// the detail pane's last field instead.
    func waitForFrame(_ session: TmuxSession, containing text: String) throws -> String {
        try session.waitFor("'\(text)' on a complete frame") { $0.contains(text) && $0.contains("logged as:") }
    }

    func tier(of action: String, in file: URL) throws -> String? {
        var tier: String?
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("  - name: ") { tier = String(line.dropFirst(10)) }
            if line.contains(" \(action)") && line.hasPrefix("      - ") { return tier }
        }
        return nil
    }

    @Test func tickWatchTheMeterSaveAndRecoverAfterKill9() throws {
        let usage = try exampleUsage()
        let tiers = usage.deletingLastPathComponent().appendingPathComponent("tiers.yaml")
        defer { try? FileManager.default.removeItem(at: usage.deletingLastPathComponent()) }

        let first = try TmuxSession("edit '\(usage.path)'")
        defer { first.close() }
        let opened = try waitForFrame(first, containing: "Operator  ")
        #expect(opened.contains("7,779/71,680") && opened.contains("permission set"))
        #expect(opened.contains("drafted"))
        #expect(try tier(of: "acm:DescribeAcmeDomainValidation", in: tiers) == "Read")

        try first.keys("2")
        // A permission set copies the tiers it inherits: Read shrinks, Operator holds the same.
        let moved = try first.waitFor("the Read meter to shrink") {
            $0.contains("7,744/71,680") && $0.contains("logged as:")
        }
        #expect(moved.contains("acm:DescribeAcmeDomainValidation into Operator"))
        try first.keys("e")
        try first.tmux(["send-keys", "-l", "asked by the data team"])  // "t" types, it does not switch themes
        try first.keys("Enter", "s")
        _ = try first.waitFor("the save") { $0.contains("saved ") }
        #expect(try tier(of: "acm:DescribeAcmeDomainValidation", in: tiers) == "Operator")
        let saved = try String(contentsOf: tiers, encoding: .utf8)
        #expect(saved.contains("{action: acm:DescribeAcmeDomainValidation, note: \"asked by the data team\"}"))

        // An unsaved change, then the terminal dies without warning.
        try first.keys("j", "3")
        _ = try first.waitFor("the second change") { $0.contains("acm:DescribeCertificate into Admin") }
        let pid = try #require(first.appPID)
        _ = try run("/bin/kill", ["-KILL", pid])
        #expect(try tier(of: "acm:DescribeCertificate", in: tiers) == "Read")

        let second = try TmuxSession("edit '\(usage.path)'")
        defer { second.close() }
        let offer = try waitForFrame(second, containing: "Unsaved changes found")
        #expect(offer.contains("differs in 1 placement"))
        try second.keys("r")
        let recovered = try second.waitFor("recovery") { $0.contains("recovered the unsaved changes") }
        #expect(recovered.contains("[ ][ ][A] DescribeCertificate"))
        #expect(recovered.contains("[ ][O][ ] DescribeAcmeDomainValidation"))
        try second.keys("q")
        _ = try second.waitFor("the question") { $0.contains("q again quits without saving") }
        try second.keys("q")
        #expect(try second.exitStatus() == "0")
    }

    /// `edit` on a fresh usage file of the example in tmux; closing it removes the folder too.
    struct Editor {
        let session: TmuxSession
        let folder: URL

        func close() {
            session.close()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func openEditor(_ options: String = "") throws -> Editor {
        let usage = try exampleUsage()
        return Editor(
            session: try TmuxSession("edit \(options) '\(usage.path)'"), folder: usage.deletingLastPathComponent())
    }

    @Test func tierSettingsRenameAndSessionsAreSaved() throws {
        let editor = try openEditor()
        defer { editor.close() }
        let (session, folder) = (editor.session, editor.folder)
        _ = try waitForFrame(session, containing: "Operator  ")
        try session.keys(
            "T", "j", "Enter", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        try session.tmux(["send-keys", "-l", "Data team"])  // "t" is text here, not the next theme
        try session.keys("Enter", "Right", "Right", "+", "+")
        let changed = try session.waitFor("the new session length") { $0.contains("Data team: sessions up to 3 h") }
        #expect(changed.contains(" Data team  ▕"))  // the meter follows the name
        // A key right behind ESC would be read as Alt with it: wait for Escape to take effect.
        try session.keys("Escape")
        _ = try session.waitFor("the settings to close") { !$0.contains("X delete") && $0.contains("logged as:") }
        try session.keys("s")
        _ = try session.waitFor("the save") { $0.contains("saved ") }
        let saved = try String(contentsOf: folder.appendingPathComponent("tiers.yaml"), encoding: .utf8)
        #expect(saved.contains("  - name: \"Data team\"\n    role: iamtiers-operator\n"))
        #expect(saved.contains("    max-session-hours: 3\n"))
    }

    @Test func capitalDComparesWithAnotherVersionAndPListsThePeople() throws {
        let usage = try exampleUsage()
        let older = usage.deletingLastPathComponent().appendingPathComponent("v0.yaml")
        #expect(try IAMTiersBinary.run("suggest", usage.path, "-o", older.path).status == 0)
        let text = try String(contentsOf: older, encoding: .utf8)
        try text.replacingOccurrences(of: "max-session-hours: 12", with: "max-session-hours: 8")
            .write(to: older, atomically: true, encoding: .utf8)
        let editor = Editor(
            session: try TmuxSession("edit --compare '\(older.path)' '\(usage.path)'"),
            folder: usage.deletingLastPathComponent())
        defer { editor.close() }
        _ = try waitForFrame(editor.session, containing: "Operator  ")
        try editor.session.keys("D")
        let diff = try editor.session.waitFor("the rollout diff") { $0.contains("v0.yaml → this session") }
        #expect(diff.contains("  sessions up to 8 h → 12 h"))
        #expect(diff.contains("No used action loses its tier below Admin."))
        try editor.session.keys("Escape")
        _ = try editor.session.waitFor("the diff to close") {
            !$0.contains("this session") && $0.contains("logged as:")
        }
        try editor.session.keys("P")
        let people = try editor.session.waitFor("the people") { $0.contains("People (6)") }
        #expect(people.contains("alice@corp.example: 3 sign-ins from 2026-10-05 to 2026-10-14, 1 source address"))
    }

    @Test func aWorkshopHidesPeopleAndWritesMinutes() throws {
        let editor = try openEditor("--workshop")
        defer { editor.close() }
        let (session, folder) = (editor.session, editor.folder)
        let screen = try waitForFrame(session, containing: "used by: person ")
        #expect(!screen.contains("@corp.example"))
        try session.keys("2", "M")
        _ = try session.waitFor("the minutes") { $0.contains("minutes written to ") }
        let written = try String(contentsOf: folder.appendingPathComponent("tiers-minutes.md"), encoding: .utf8)
        #expect(written.contains("| `acm:DescribeAcmeDomainValidation` | Read | Operator |  |"))
        #expect(written.contains("· 1 decision\n"))
    }

    @Test func eExportsThePoliciesOnScreen() throws {
        let editor = try openEditor()
        defer { editor.close() }
        _ = try waitForFrame(editor.session, containing: "Operator  ")
        try editor.session.keys("2", "E")
        let screen = try editor.session.waitFor("the export") { $0.contains(" to ") && $0.contains("/export") }
        #expect(screen.contains("wrote "))
        let export = editor.folder.appendingPathComponent("export")
        for file in ["main.tf", "template.yaml", "SUMMARY.md", "policies/iamtiers-operator-1.json"] {
            #expect(FileManager.default.fileExists(atPath: export.appendingPathComponent(file).path), "\(file)")
        }
        // The unsaved move is in the export: it is what the screen shows.
        let operatorPolicy = try String(
            contentsOf: export.appendingPathComponent("policies/iamtiers-operator-1.json"), encoding: .utf8)
        #expect(operatorPolicy.contains("acm:DescribeAcmeDomainValidation"))
    }

    @Test func aClickAndTheWheelSelectServices() throws {
        let editor = try openEditor()
        defer { editor.close() }
        let session = editor.session
        _ = try waitForFrame(session, containing: "acm: 3 actions")
        // X10 mouse reports, as a terminal sends them: ESC [ M, then 32 + button, 33 + column, 33 + row.
        func report(_ button: Int, x: Int, y: Int) -> String {
            "\u{1b}[M" + String(UnicodeScalar(UInt8(32 + button))) + String(UnicodeScalar(UInt8(33 + x)))
                + String(UnicodeScalar(UInt8(33 + y)))
        }
        try session.tmux(["send-keys", "-l", report(0, x: 5, y: 7)])  // a press on the third service
        _ = try session.waitFor("athena selected") { $0.contains("athena: 5 actions") }
        try session.tmux(["send-keys", "-l", report(65, x: 5, y: 20)])  // the wheel, down three
        _ = try session.waitFor("cloudformation selected") { $0.contains("─ cloudformation: ") }
    }

    /// TERM=xterm-256color inside tmux: tmux sends Home as `ESC [ 1 ~`, which that terminfo entry
    /// does not list; ncurses split it and other unknown sequences into keys, and their digits
    /// placed actions.
    @Test func altDigitsFunctionKeysAndHomePlaceNothingAndTheHintShows() throws {
        let usage = try exampleUsage()
        let editor = Editor(
            session: try TmuxSession("edit '\(usage.path)'", environment: "TERM=xterm-256color"),
            folder: usage.deletingLastPathComponent())
        defer { editor.close() }
        let session = editor.session
        _ = try waitForFrame(session, containing: "Operator  ")
        try session.keys("Home", "End", "F12", "M-2")
        try session.tmux(["send-keys", "-l", "\u{1b}[1;2P\u{1b}[25~"])  // F13 as xterm and rxvt send it
        try session.keys("M-1")
        let hinted = try session.waitFor("the hint") { $0.contains("Alt-1 is not a key here (press ? for keys)") }
        #expect(hinted.contains("8,393/71,680"))
        #expect(!hinted.contains("[modified]"))

        try session.keys("e")
        try session.tmux(["send-keys", "-l", "abc"])
        try session.keys("Home", "End", "F12", "M-1", "Left")
        try session.tmux(["send-keys", "-l", "d"])
        _ = try session.waitFor("the note") { $0.contains(" note: abcd") }
        try session.keys("Enter")
        let noted = try session.waitFor("the note kept") { $0.contains("noted: ") }
        #expect(noted.contains("8,393/71,680"))
    }

    @Test func aDumbTerminalIsRefusedWithStatus2AndTheDemoPrintsItsSummary() throws {
        let usage = try exampleUsage()
        defer { try? FileManager.default.removeItem(at: usage.deletingLastPathComponent()) }
        let edit = try TmuxSession("edit '\(usage.path)'", environment: "TERM=dumb")
        defer { edit.close() }
        #expect(try edit.exitStatus() == "2")
        let screen = try edit.screen()
        #expect(screen.contains("iamtiers: TERM=dumb cannot move the cursor, which the full-screen view needs"))
        #expect(!screen.contains("quit") && !screen.contains("Services"))
        #expect(
            !FileManager.default.fileExists(
                atPath: usage.deletingLastPathComponent().appendingPathComponent("tiers.yaml").path))

        let demo = try TmuxSession("demo", environment: "TERM=dumb")
        defer { demo.close() }
        #expect(try demo.exitStatus() == "0")
        let summary = try demo.screen()  // its end: the summary is longer than the window
        #expect(summary.contains("next: iamtiers analyze "))
        #expect(!summary.contains("quit"))
    }

    @Test func aLocaleThatIsNotUTF8GetsASCII() throws {
        let usage = try exampleUsage()
        let editor = Editor(
            session: try TmuxSession("edit '\(usage.path)'", environment: "LANG=C LC_ALL= LC_CTYPE="),
            folder: usage.deletingLastPathComponent())
        defer { editor.close() }
        let screen = try waitForFrame(editor.session, containing: "Operator  ")
        #expect(screen.contains("+- Services (40) ---"))
        #expect(!screen.contains("─"))
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)")
    }

    @Test func theDemoWorksOnACopyAndSaysWhereFromAnyFolder() throws {
        let elsewhere = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let session = try TmuxSession("demo", folder: elsewhere)
        defer { session.close() }
        let screen = try waitForFrame(session, containing: "Services (40)")
        #expect(screen.contains("[R][ ][ ] DescribeAcmeDomainValidation"))
        try session.keys("q")
        #expect(try session.exitStatus() == "0")
        let after = try session.screen()
        #expect(after.contains("the demo's files are in /"))
    }

    @Test func marksMoveAsOneStepAndUndoSaysWhat() throws {
        let editor = try openEditor()
        defer { editor.close() }
        let session = editor.session
        _ = try waitForFrame(session, containing: "Services (40)")
        try session.keys(":")
        try session.tmux(["send-keys", "-l", "glue"])
        try session.keys("Enter", "Tab", "Space", "Space", "Space")
        let marked = try session.waitFor("three marks") { $0.contains("3 actions marked") && $0.contains("3 marked") }
        #expect(marked.components(separatedBy: "*[").count == 4, "\(marked)")
        try session.keys("3")
        let moved = try session.waitFor("the bulk move") { $0.contains("3 marked actions into Admin") }
        #expect(moved.contains("[modified]") && !moved.contains("*["))
        try session.keys("u")
        _ = try session.waitFor("the undo") { $0.contains("undone: 3 marked actions into Admin") }
    }

    @Test func theCommandLineJumpsAndCOpensTheCheckPanel() throws {
        let editor = try openEditor()
        defer { editor.close() }
        let session = editor.session
        _ = try waitForFrame(session, containing: "Services (40)")
        try session.keys(":")
        try session.tmux(["send-keys", "-l", "ec2:DescribeSpotF"])
        try session.keys("Tab")
        _ = try session.waitFor("the completion") { $0.contains(":ec2:DescribeSpotFleetRequestHistory") }
        try session.keys("Enter")
        let jumped = try waitForFrame(session, containing: "─ ec2:DescribeSpotFleetRequestHistory ─")
        #expect(jumped.contains("findings (c)"))
        try session.keys("c")
        let panel = try session.waitFor("the check panel") { $0.contains("Check (") }
        #expect(panel.contains("Enter shows the action"))
        try session.keys("Escape")
        _ = try waitForFrame(session, containing: "─ ec2:DescribeSpotFleetRequestHistory ─")
        try session.keys("q")
        #expect(try session.exitStatus() == "0")
    }
}
