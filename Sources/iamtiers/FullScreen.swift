import ArgumentParser
import Foundation
import IAMTiersUI
import NCursesBackend
import TUIKit

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
