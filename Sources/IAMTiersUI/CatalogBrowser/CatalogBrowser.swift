import IAMTiersCore
import TUIKit

/// The catalog browser: services on the left, their actions on the right, the selected action's
/// facts below. State changes only through `reduce`; `view` draws the state into a grid.
public struct CatalogBrowserState: Sendable {
    public enum Pane: Sendable, Hashable { case services, actions }

    public let catalog: Catalog
    public let services: [CatalogService]
    public var selectedService = 0
    public var selectedAction = 0
    public var focus = Pane.services
    public var shouldQuit = false
    /// The theme drawn, of `themeCount`: `t` takes the next.
    public var theme = 0
    public var themeCount = 1

    public init(catalog: Catalog) {
        self.catalog = catalog
        services = catalog.services
    }

    public var actionsOfSelectedService: [CatalogAction] {
        services.indices.contains(selectedService) ? catalog.actions(inService: services[selectedService].prefix) : []
    }
}

public enum CatalogBrowserAction: Sendable, Hashable {
    case up, down, pageUp, pageDown, first, last
    case switchPane, focusServices, focusActions
    case nextTheme
    case quit
}

extension CatalogBrowserAction {
    /// The key bindings: arrows and vi keys move, Tab switches panes, q or Ctrl-C quits.
    public init?(key: Key) {
        switch key {
        case .up, .character("k"): self = .up
        case .down, .character("j"): self = .down
        case .pageUp, .control("b"): self = .pageUp
        case .pageDown, .control("f"), .character(" "): self = .pageDown
        case .home, .character("g"): self = .first
        case .end, .character("G"): self = .last
        case .tab, .backTab: self = .switchPane
        case .left, .character("h"): self = .focusServices
        case .right, .character("l"), .enter: self = .focusActions
        case .character("t"): self = .nextTheme
        case .character("q"), .control("c"): self = .quit
        default: return nil
        }
    }
}

/// Rows moved by page up/down; the view shows at least this many.
let pageSize = 10

public func reduce(_ state: inout CatalogBrowserState, _ action: CatalogBrowserAction) {
    let count = state.focus == .services ? state.services.count : state.actionsOfSelectedService.count
    func move(by delta: Int) {
        guard count > 0 else { return }
        if state.focus == .services {
            state.selectedService = min(max(0, state.selectedService + delta), count - 1)
            state.selectedAction = 0
        } else {
            state.selectedAction = min(max(0, state.selectedAction + delta), count - 1)
        }
    }
    switch action {
    case .up: move(by: -1)
    case .down: move(by: 1)
    case .pageUp: move(by: -pageSize)
    case .pageDown: move(by: pageSize)
    case .first: move(by: -count)
    case .last: move(by: count)
    case .switchPane: state.focus = state.focus == .services ? .actions : .services
    case .focusServices: state.focus = .services
    case .focusActions: state.focus = .actions
    case .nextTheme: state.theme = (state.theme + 1) % max(1, state.themeCount)
    case .quit: state.shouldQuit = true
    }
}
