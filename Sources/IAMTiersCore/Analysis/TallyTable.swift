/// Call groups (or request facts) and their tallies, as events stream in.
struct TallyTable<Key: QuickHashable> {
    private var index = QuickIndex<Key, EventTotals.Tally>()

    var count: Int { index.count }

    var entries: [(Key, EventTotals.Tally)] { index.entries }

    mutating func add(_ key: Key, count: Int, first: Int64, last: Int64) {
        let position = index.insert(key, value: EventTotals.Tally()).index
        index[position].add(count: count, first: first, last: last)
    }
}

extension TallyTable: Sendable where Key: Sendable {}

extension EventTotals.CallIDs: QuickHashable {
    var quickHash: UInt64 { QuickHash.finish(mixed(into: QuickHash.start(0))) }

    func mixed(into hash: UInt64) -> UInt64 {
        func pair(_ low: Int32, _ high: Int32) -> UInt64 {
            UInt64(UInt32(bitPattern: low)) | UInt64(UInt32(bitPattern: high)) << 32
        }
        var hash = QuickHash.mix(hash, pair(principal, session))
        hash = QuickHash.mix(hash, pair(eventSource, eventName))
        return QuickHash.mix(hash, UInt64(principalKind.rawValue) | UInt64(flags) << 8)
    }
}

extension EventTotals.FactIDs: QuickHashable {
    var quickHash: UInt64 {
        QuickHash.finish(
            QuickHash.mix(
                call.mixed(into: QuickHash.start(1)), UInt64(kind.rawValue) | UInt64(UInt32(bitPattern: value)) << 8))
    }
}
