import Foundation
import Testing

@testable import IAMTiersCore

/// `diff --format markdown` for a pull-request comment: a large change fits the budget, most
/// important first, with what was left out counted and the whole report named.
@Suite struct MarkdownBudgetTests {
    /// 3,000 reads in Read, then half of them moved to Operator and 500 more added: a 200 KB diff.
    func largeChange() -> RolloutDiff {
        let reads = bundledCatalog.services.flatMap { bundledCatalog.actions(inService: $0.prefix, level: .list) }
        let source = TierSet.Source(usage: nil, catalogDate: "2026-08-21", generator: "test")
        func ladder(read: ArraySlice<CatalogAction>, operator moved: ArraySlice<CatalogAction>) -> TierSet {
            TierSet(
                source: source,
                tiers: [
                    Tier(name: "Read", roleName: "read", actions: read.map { Assignment(action: $0.fullName) }),
                    Tier(
                        name: "Operator", roleName: "operator", actions: moved.map { Assignment(action: $0.fullName) }),
                    Tier(name: "Admin", roleName: "admin", attachedPolicies: [Tier.administratorAccess]),
                ])
        }
        let old = ladder(read: reads.prefix(3_000), operator: [])
        let new = ladder(read: reads[1_500..<3_500], operator: reads.prefix(1_500))
        return RolloutDiff(old: old, new: new, oldLabel: "v1", newLabel: "v2", catalog: bundledCatalog, usage: nil)
    }

    @Test func aLargeChangeFitsTheBudgetWithTheSummaryFirstAndTheCutCounted() {
        let diff = largeChange()
        let whole = diff.markdown()
        #expect(whole.utf8.count > 150_000)
        let comment = diff.markdown(budget: RolloutDiff.markdownBudget, fullReport: "diff.md")
        #expect(comment.utf8.count <= RolloutDiff.markdownBudget)
        #expect(comment.utf8.count > RolloutDiff.markdownBudget - 5_000)  // the room is used
        // The headline and the table come whole, at the top, as in the full report.
        let top = whole.components(separatedBy: "\n<details>")[0]
        #expect(comment.hasPrefix(top))
        // Every folded section opened is closed.
        #expect(
            comment.components(separatedBy: "<details").count == comment.components(separatedBy: "</details>").count)
        // What was left out, counted; the lines kept plus those counted are all the changes.
        let last = comment.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("**Cut to fit a comment of 60,000 characters**: left out "), "\(last)")
        #expect(last.hasSuffix("; the whole diff is in `diff.md`."), "\(last)")
        let changeLines = { (text: String) in
            text.split(separator: "\n").filter { $0.hasPrefix("- ") && $0.contains(" · ") }.count
        }
        let leftOut = last.matches(of: /([0-9,]+) changes? of/).map {
            Int($0.1.replacingOccurrences(of: ",", with: ""))!
        }
        #expect(changeLines(comment) + leftOut.reduce(0, +) == changeLines(whole))
    }

    @Test func aSmallChangeIsNotCut() {
        let reads = bundledCatalog.services.flatMap { bundledCatalog.actions(inService: $0.prefix, level: .list) }
        let source = TierSet.Source(usage: nil, catalogDate: "2026-08-21", generator: "test")
        let old = TierSet(
            source: source,
            tiers: [Tier(name: "Read", roleName: "read", actions: [Assignment(action: reads[0].fullName)])])
        var new = old
        new.tiers[0].actions.append(Assignment(action: reads[1].fullName))
        let diff = RolloutDiff(old: old, new: new, oldLabel: "a", newLabel: "b", catalog: bundledCatalog, usage: nil)
        #expect(diff.markdown(budget: RolloutDiff.markdownBudget, fullReport: nil) == diff.markdown())
    }
}
