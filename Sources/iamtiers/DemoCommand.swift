import ArgumentParser
import Foundation
import IAMTiersCore
import IAMTiersUI
import NCursesBackend
import TUIKit

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run iamtiers on the bundled example.",
        discussion: """
            Until the analysis and curation screens land, the demo opens the bundled IAM action catalog \
            full-screen (arrows or j/k move, Tab switches panes, q quits). Without a terminal it prints \
            the first screen.
            """
    )

    @Flag(help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func run() throws {
        let catalog = try loadCatalog()
        let state = CatalogBrowserState(catalog: catalog)
        guard isatty(0) == 1 && isatty(1) == 1 else {
            print(view(state, width: 100, height: 24).textLines.joined(separator: "\n"))
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let status = try runFullScreen(state, noColor: noColor || !(environment["NO_COLOR"] ?? "").isEmpty)
        if status != 0 { throw ExitCode(status) }
    }
}

/// The event loop: draw, wait for a key, reduce; until quit or a signal (exit status 128 + signal).
func runFullScreen(_ initial: CatalogBrowserState, noColor: Bool) throws -> Int32 {
    let terminal: NCursesTerminal
    do {
        terminal = try NCursesTerminal(noColor: noColor, environment: ProcessInfo.processInfo.environment)
    } catch {
        throw ValidationError("\(error)")
    }
    let options = ViewOptions(
        theme: terminal.colorMode == .monochrome ? Theme.standard.monochrome() : .standard,
        box: terminal.isUTF8 ? .unicode : .ascii)
    var state = initial
    while !state.shouldQuit && terminal.receivedSignal == nil {
        let size = terminal.size
        terminal.draw(view(state, width: size.width, height: size.height, options: options))
        if case .key(let key) = terminal.nextEvent(timeoutMilliseconds: 1000),
            let action = CatalogBrowserAction(key: key)
        {
            reduce(&state, action)
        }
    }
    terminal.shutdown()
    return terminal.receivedSignal.map { 128 + $0 } ?? 0
}
