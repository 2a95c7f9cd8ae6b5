import Foundation

/// Interns byte strings as small integers without allocating on a hit: the hot loop of the analysis
/// sees the same few hundred role ARNs, session names and event names millions of times. All bytes
/// live in one flat buffer, so a lookup is a hash, a probe and a memcmp.
struct ByteStringTable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = [0]
    private var storage: [UInt8] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
    }

    var count: Int { hashes.count }

    /// The bytes of every interned string, in id order.
    var values: [ArraySlice<UInt8>] { (0..<count).map { storage[starts[$0]..<starts[$0 + 1]] } }

    func bytes(of id: Int32) -> ArraySlice<UInt8> { storage[starts[Int(id)]..<starts[Int(id) + 1]] }

    mutating func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let existing = Int(slots[slot])
            if existing < 0 { break }
            if hashes[existing] == hash && equals(existing, bytes) { return Int32(existing) }
            slot = (slot + 1) & mask
        }
        let id = Int32(hashes.count)
        slots[slot] = id
        hashes.append(hash)
        storage.append(contentsOf: bytes)
        starts.append(storage.count)
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        let length = starts[id + 1] - start
        guard length == bytes.count else { return false }
        guard length > 0, let other = bytes.baseAddress else { return true }
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, length) == 0 }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// Eight bytes at a time, mixed with a multiply and a rotate; the tail byte by byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = QuickHash.start(UInt64(bytes.count))
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = QuickHash.mix(hash, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(base[offset])) &* 0x0000_0100_0000_01B3
            offset += 1
        }
        return QuickHash.finish(hash)
    }
}
