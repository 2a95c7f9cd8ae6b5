import Foundation
import IAMTiersCore
import TestSupport

extension Repository {
    static let fixtures = root.appendingPathComponent("Tests/IAMTiersCoreTests/Fixtures")
}

/// The bundled catalog, loaded once for all tests.
let bundledCatalog: Catalog = {
    do { return try Catalog.bundled(environment: [:]) } catch { fatalError("bundled catalog: \(error)") }
}()
