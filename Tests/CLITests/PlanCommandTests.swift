import Foundation
import TestSupport
import Testing

/// `iamtiers plan` on the crafted usage of the diff tests and its v2 tiers.
@Suite struct PlanCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/CLITests/Fixtures/diff")

    func plan(_ arguments: String...) throws -> (status: Int32, text: String) {
        let result = try IAMTiersBinary.run(
            [
                "plan", fixtures.appendingPathComponent("v2.yaml").path,
                fixtures.appendingPathComponent("usage.json").path,
            ]
                + arguments)
        return (result.status, result.stdout.replacingOccurrences(of: fixtures.path + "/", with: ""))
    }

    @Test func theChecklistMatchesItsGoldenFile() throws {
        let result = try plan("--start", "2026-12-01")
        #expect(result.status == 0)
        #expect(
            goldenMismatch(
                result.text, file: Repository.root.appendingPathComponent("Tests/CLITests/__Golden__/plan.md")) == nil)
        // Dated steps: the friendly group on the first day, everyone a week later, deletion after 30 quiet days.
        for heading in [
            "## 2026-12-01: the friendly group first", "## 2026-12-08: everyone",
            "## 2026-12-15: the old role leaves daily use", "## 2027-01-14: delete the old role",
        ] {
            #expect(result.text.contains(heading))
        }
    }

    @Test func namedFriendsGoFirstEvenWhenTheUsageDoesNotKnowThem() throws {
        let text = try plan("--start", "2026-12-01", "--friendly", "bob@corp.example, zed@corp.example").text
        #expect(text.contains("Named for the first week:\n- [ ] bob@corp.example: Operator (`iamtiers-operator`)"))
        #expect(text.contains("- [ ] zed@corp.example: not in the usage"))
        #expect(try plan("--start", "tomorrow").status != 0)
        #expect(try plan("--start", "2026-02-30").status != 0)  // not read as 2 March
    }
}
