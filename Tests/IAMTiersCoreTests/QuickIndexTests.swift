import Testing

@testable import IAMTiersCore

@Suite struct QuickIndexTests {
    /// A key whose hash the test chooses, to make keys share slots and hash tags.
    struct ChosenHash: QuickHashable {
        var id: Int
        var quickHash: UInt64
    }

    @Test func numbersKeysInFirstSeenOrderAndKeepsTheirValues() {
        var index = QuickIndex<ChosenHash, Int>()
        // Every key has the same hash: each lookup must compare keys, across several growths.
        let keys = (0..<500).map { ChosenHash(id: $0, quickHash: 42) }
        for key in keys { #expect(index.insert(key, value: key.id * 10) == (key.id, true)) }
        for key in keys.reversed() {
            #expect(index.insert(key, value: -1) == (key.id, false))
            index[key.id] += 1
        }
        #expect(index.count == 500)
        #expect(index.entries.map(\.0.id) == Array(0..<500))
        #expect(index.entries.map(\.1) == keys.map { $0.id * 10 + 1 })
    }

    @Test func tellsKeysApartWhoseSlotsCollideButWhoseHashesDiffer() {
        var index = QuickIndex<ChosenHash, Void>()
        // Same low bits (same slot), different upper halves (different tags).
        let keys = (0..<200).map { ChosenHash(id: $0, quickHash: UInt64($0) << 32 | 7) }
        for key in keys { #expect(index.insert(key).index == key.id) }
        for key in keys { #expect(index.insert(key) == (key.id, false)) }
        #expect(index.insert(ChosenHash(id: 1000, quickHash: 7)) == (200, true))
    }
}
