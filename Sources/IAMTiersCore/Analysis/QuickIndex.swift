/// Dense indices for keys, in the order they were first added: open addressing over the keys'
/// quick hash. The hot tables of the analysis (call groups, request facts, pairs) find keys this way.
struct QuickIndex<Key: QuickHashable> {
    private var slots = [Int32](repeating: -1, count: 64)
    private(set) var keys: [Key] = []

    var count: Int { keys.count }

    /// The key's index; a new key gets the next one.
    mutating func insert(_ key: Key) -> (index: Int, inserted: Bool) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.quickHash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if keys[index] == key { return (index, false) }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(key)
        if keys.count * 2 > slots.count { grow() }
        return (keys.count - 1, true)
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

extension QuickIndex: Sendable where Key: Sendable {}
