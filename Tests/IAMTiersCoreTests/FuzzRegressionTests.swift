import Foundation
import TestSupport
import Testing

@testable import IAMTiersCore

/// Inputs the fuzzers of Tests/Fuzz found (Scripts/fuzz), each kept as a test of what it broke.
@Suite struct FuzzRegressionTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/IAMTiersCoreTests/Fixtures/fuzz")

    /// `usage` target: a sign-in in the year 0026 loaded, was written back as `26-10-14T…`, and the
    /// saved file no longer loaded.
    @Test func aUsageFileThatLoadsSavesAndLoadsTheSame() throws {
        let usage = try Usage.load(fixtures.appendingPathComponent("usage-roundtrip.json").path)
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("iamtiers-fuzz-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: saved) }
        try usage.jsonData().write(to: saved)
        #expect(try Usage.load(saved.path) == usage)
    }

    @Test func aTiersFileThatLoadsSavesAndLoadsTheSame() throws {
        let path = fixtures.appendingPathComponent("tiers-roundtrip.yaml").path
        let loaded = try TiersFile.load(path, catalog: bundledCatalog)
        let saved = TiersFile.text(of: loaded.tiers)
        let again = try TiersFile.parse(saved, path: "saved.yaml", catalog: bundledCatalog)
        #expect(again.tiers == loaded.tiers, "\(saved)")
        for (before, after) in zip(loaded.tiers.tiers, again.tiers.tiers) where before != after {
            #expect(before.actions == after.actions)
            #expect(before.name == after.name && before.roleName == after.roleName)
            #expect(before.description == after.description)
        }
        #expect(again.tiers.openItems == loaded.tiers.openItems)
        #expect(again.tiers.source == loaded.tiers.source)
    }

    @Test func timesOutsideFourDigitYearsAreNotTimes() {
        #expect(EventTime("0026-10-14T18:00:00Z")?.description == "0026-10-14T18:00:00Z")
        #expect(EventTime("9999-12-31T23:00:00-05:00") == nil)
        #expect(EventTime("0001-01-01T00:00:00Z")?.description == "0001-01-01T00:00:00Z")
        #expect(EventTime("0000-12-31T23:00:00Z") == nil)
    }
}
