import Testing

@testable import IAMTiersCore

@Suite struct AccessLevelTests {
    @Test func firstTokenOfTheCatalogsCommaListIsTheLevel() {
        #expect(AccessLevel(catalogValue: "List") == .list)
        #expect(AccessLevel(catalogValue: "Read") == .read)
        #expect(AccessLevel(catalogValue: "Write") == .write)
        #expect(AccessLevel(catalogValue: "Tagging, Write") == .tagging)
        #expect(AccessLevel(catalogValue: "Permissions management, Write") == .permissionsManagement)
        #expect(AccessLevel(catalogValue: " permissions MANAGEMENT ") == .permissionsManagement)
    }

    @Test func unknownLevelsAreRejected() {
        #expect(AccessLevel(catalogValue: "") == nil)
        #expect(AccessLevel(catalogValue: "Admin") == nil)
        #expect(AccessLevel(catalogValue: "Write-ish, Read") == nil)
    }

    @Test func levelsAreOrderedByPower() {
        #expect(AccessLevel.list < .read)
        #expect(AccessLevel.read < .write)
        #expect(AccessLevel.write < .tagging)
        #expect(AccessLevel.tagging < .permissionsManagement)
    }

    @Test func riskFieldParsing() throws {
        let none = try #require(RiskAssessment(catalogField: Array("-".utf8)))
        #expect(none.assessed && none.flags.isEmpty)
        let unassessed = try #require(RiskAssessment(catalogField: Array("?".utf8)))
        #expect(!unassessed.assessed && unassessed.flags.isEmpty)
        let mixed = try #require(RiskAssessment(catalogField: Array("DPr".utf8)))
        #expect(mixed.datasetFlags == [.dataAccess, .privilegeEscalation])
        #expect(mixed.supplementFlags == [.resourceExposure])
        #expect(mixed.assessed)
        let supplementOnly = try #require(RiskAssessment(catalogField: Array("c?".utf8)))
        #expect(supplementOnly.flags == [.credentialsExposure] && !supplementOnly.assessed)
        #expect(RiskAssessment(catalogField: Array("X".utf8)) == nil)
    }
}
