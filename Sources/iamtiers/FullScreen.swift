import ArgumentParser
import Foundation
import IAMTiersUI
import NCursesBackend
import TUIKit

/// Ends the command with status 2 and one line on stderr when the terminal cannot show the full
/// screen (TERM=dumb, an unknown TERM): the environment, not the command line, is what does not fit.
func refuseUnusableTerminal() throws {
    guard let problem = NCursesTerminal.fullScreenProblem(environment: ProcessInfo.processInfo.environment) else {
        return
    }
    printError("iamtiers: \(problem)")
    throw ExitCode(2)
}

/// The event loop of every full-screen view: draw in the theme the state names, wait for a key,
/// let `handle` (or `mouse`) update the state; until `shouldQuit` or a signal.
/// Returns the final state and the exit status (0, or 128 + signal).
func runFullScreen<State>(
    _ initial: State, noColor: Bool, themes: [Theme],
    view: (State, Int, Int, ViewOptions) -> Grid,
    handle: (inout State, Key) -> Void,
    mouse: ((inout State, MouseEvent, _ width: Int, _ height: Int) -> Void)? = nil,
    resize: (inout State, _ width: Int, _ height: Int) -> Void = { _, _, _ in },
    idle: (inout State) -> Void = { _ in }, hasIdleWork: (State) -> Bool = { _ in false },
    theme: (State) -> Int,
    shouldQuit: (State) -> Bool
) throws -> (state: State, status: Int32) {
    let terminal: NCursesTerminal
    do {
        terminal = try NCursesTerminal(
            noColor: noColor, environment: ProcessInfo.processInfo.environment, mouse: mouse != nil)
    } catch {
        printError("iamtiers: \(error)")  // as refuseUnusableTerminal: the environment does not fit
        throw ExitCode(2)
    }
    // Without colours every theme is shown by its attributes only.
    func options(_ index: Int) -> ViewOptions {
        let theme = themes[index % themes.count]
        return ViewOptions(
            theme: terminal.colorMode == .monochrome ? theme.monochrome() : theme,
            box: terminal.isUTF8 ? .unicode : .ascii)
    }
    var state = initial
    var reportedSize: (width: Int, height: Int)?
    while !shouldQuit(state) && terminal.receivedSignal == nil {
        let size = terminal.size
        if reportedSize.map({ $0 != size }) ?? true {
            resize(&state, size.width, size.height)
            reportedSize = size
        }
        terminal.draw(view(state, size.width, size.height, options(theme(state))))
        // Idle work waits for a pause of a tenth of a second between keys.
        switch terminal.nextEvent(timeoutMilliseconds: hasIdleWork(state) ? 100 : 1000) {
        case .key(.mouse(let event)): mouse?(&state, event, size.width, size.height)
        case .key(let key): handle(&state, key)
        case nil: idle(&state)
        case .resize: break
        }
    }
    terminal.shutdown()
    return (state, terminal.receivedSignal.map { 128 + $0 } ?? 0)
}
