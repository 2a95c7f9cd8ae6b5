import ArgumentParser
import Foundation
import IAMTiersUI
import NCursesBackend
import TUIKit

/// The event loop of every full-screen view: draw, wait for a key, let `handle` update the state,
/// let `afterEvent` perform effects (saving, autosaving); until `shouldQuit` or a signal.
/// Returns the final state and the exit status (0, or 128 + signal).
func runFullScreen<State>(
    _ initial: State, noColor: Bool,
    view: (State, Int, Int, ViewOptions) -> Grid,
    handle: (inout State, Key) -> Void,
    afterEvent: (inout State) -> Void = { _ in },
    shouldQuit: (State) -> Bool
) throws -> (state: State, status: Int32) {
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
    while !shouldQuit(state) && terminal.receivedSignal == nil {
        let size = terminal.size
        terminal.draw(view(state, size.width, size.height, options))
        if case .key(let key) = terminal.nextEvent(timeoutMilliseconds: 1000) {
            handle(&state, key)
            afterEvent(&state)
        }
    }
    terminal.shutdown()
    return (state, terminal.receivedSignal.map { 128 + $0 } ?? 0)
}

/// NO_COLOR (no-color.org) or --no-color.
func colorsOff(_ flag: Bool) -> Bool {
    flag || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
}
