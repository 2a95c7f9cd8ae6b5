/// Dense indices for keys, in the order they were first added, each with a value: open addressing
/// over the keys' quick hash. The hot tables of the analysis (call groups, request facts, pairs)
/// find keys this way. On the hostile corpus half the events start a new call group, so tables
/// outgrow the caches: each slot keeps 32 bits of its key's hash, so probing past other keys reads
/// no entry, and an entry keeps its key and value together, so a hit costs two cache misses.
struct QuickIndex<Key: QuickHashable, Value> {
    /// 0 for an empty slot, else the hash's upper half above the entry's index + 1.
    private var slots = [UInt64](repeating: 0, count: 64)
    private(set) var entries: [(Key, Value)] = []

    var count: Int { entries.count }

    /// The key's index; a new key gets the next one, with `value`.
    mutating func insert(_ key: Key, value: @autoclosure () -> Value) -> (index: Int, inserted: Bool) {
        let hash = key.quickHash
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            if stored & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(truncatingIfNeeded: stored & 0xFFFF_FFFF) - 1
                if entries[index].0 == key { return (index, false) }
            }
            slot = (slot + 1) & mask
        }
        entries.append((key, value()))
        slots[slot] = tag | UInt64(entries.count)
        if entries.count * 2 > slots.count { grow() }
        return (entries.count - 1, true)
    }

    subscript(index: Int) -> Value {
        get { entries[index].1 }
        _modify { yield &entries[index].1 }
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            let hash = entry.0.quickHash
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
    }
}

extension QuickIndex where Value == Void {
    mutating func insert(_ key: Key) -> (index: Int, inserted: Bool) { insert(key, value: ()) }
}

extension QuickIndex: Sendable where Key: Sendable, Value: Sendable {}
