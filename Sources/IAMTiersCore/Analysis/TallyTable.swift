/// Call groups (or request facts) and their tallies, as events stream in: open addressing over
/// the quick hash of the group's string ids.
struct TallyTable<Key: QuickHashable> {
    private var slots = [Int32](repeating: -1, count: 1024)
    private(set) var keys: [Key] = []
    private(set) var tallies: [EventTotals.Tally] = []

    var count: Int { keys.count }

    var entries: Zip2Sequence<[Key], [EventTotals.Tally]> { zip(keys, tallies) }

    mutating func add(_ key: Key, count: Int, first: Int64, last: Int64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.quickHash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if keys[index] == key {
                tallies[index].add(count: count, first: first, last: last)
                return
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        var tally = EventTotals.Tally()
        tally.add(count: count, first: first, last: last)
        tallies.append(tally)
        if keys.count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.quickHash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
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
