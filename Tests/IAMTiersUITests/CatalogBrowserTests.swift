import Foundation
import IAMTiersCore
import TUIKit
import TestSupport
import Testing

@testable import IAMTiersUI

let catalog: Catalog = {
    do { return try Catalog.bundled(environment: [:]) } catch { fatalError("bundled catalog: \(error)") }
}()

func snapshot(_ grid: Grid, _ name: String) -> String? {
    let file = Repository.root.appendingPathComponent("Tests/IAMTiersUITests/__Snapshots__/\(name).txt")
    return goldenMismatch(grid.styledSnapshot(), file: file)
}

@Suite struct CatalogBrowserReducerTests {
    @Test func movingInTheServicesPaneSelectsAServiceAndResetsTheAction() {
        var state = CatalogBrowserState(catalog: catalog)
        reduce(&state, .switchPane)
        reduce(&state, .down)
        #expect(state.selectedAction == 1)
        reduce(&state, .switchPane)
        reduce(&state, .down)
        #expect(state.selectedService == 1 && state.selectedAction == 0)
        #expect(state.focus == .services)
    }

    @Test func movementStopsAtTheEnds() {
        var state = CatalogBrowserState(catalog: catalog)
        reduce(&state, .up)
        #expect(state.selectedService == 0)
        reduce(&state, .last)
        #expect(state.selectedService == catalog.serviceCount - 1)
        reduce(&state, .pageDown)
        #expect(state.selectedService == catalog.serviceCount - 1)
        reduce(&state, .first)
        reduce(&state, .pageDown)
        #expect(state.selectedService == 10)
    }

    @Test func keysMapToActions() {
        #expect(CatalogBrowserAction(key: .character("j")) == .down)
        #expect(CatalogBrowserAction(key: .down) == .down)
        #expect(CatalogBrowserAction(key: .tab) == .switchPane)
        #expect(CatalogBrowserAction(key: .control("c")) == .quit)
        #expect(CatalogBrowserAction(key: .character("x")) == nil)
    }

    @Test func quitEndsTheLoop() {
        var state = CatalogBrowserState(catalog: catalog)
        reduce(&state, .quit)
        #expect(state.shouldQuit)
    }
}

@Suite struct CatalogBrowserViewTests {
    func state(service: String, actionIndex: Int) -> CatalogBrowserState {
        var state = CatalogBrowserState(catalog: catalog)
        state.selectedService = state.services.firstIndex { $0.prefix == service } ?? 0
        state.selectedAction = actionIndex
        state.focus = .actions
        return state
    }

    @Test func firstScreen() {
        #expect(snapshot(view(CatalogBrowserState(catalog: catalog), width: 100, height: 24), "first-screen") == nil)
    }

    @Test func anS3ActionWithRiskAndResourceTypes() throws {
        let s3 = catalog.actions(inService: "s3")
        let index = try #require(s3.firstIndex { $0.name == "GetObject" })
        #expect(snapshot(view(state(service: "s3", actionIndex: index), width: 100, height: 24), "s3-getobject") == nil)
    }

    @Test func monochromeAndASCII() {
        let options = ViewOptions(theme: Theme.standard.monochrome(), box: .ascii)
        let grid = view(state(service: "iam", actionIndex: 3), width: 80, height: 20, options: options)
        #expect(snapshot(grid, "iam-monochrome-ascii") == nil)
    }

    @Test func tinyTerminalsDoNotCrash() {
        for (width, height) in [(0, 0), (1, 1), (10, 3), (30, 8)] {
            let grid = view(state(service: "s3", actionIndex: 5), width: width, height: height)
            #expect(grid.width == width && grid.height == height)
        }
        #expect(snapshot(view(state(service: "s3", actionIndex: 5), width: 30, height: 8), "tiny-30x8") == nil)
    }
}
