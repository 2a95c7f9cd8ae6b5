/// The hash of the analysis' hot tables: a multiply and a rotate a word, where Swift's Hasher
/// (SipHash) would cost more than the rest of counting an event.
enum QuickHash {
    /// Seeded per run, so that names crafted to collide cannot make every lookup probe the whole table.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    static func start(_ length: UInt64) -> UInt64 { seed ^ length }

    static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        return (mixed << 31) | (mixed >> 33)
    }

    static func finish(_ hash: UInt64) -> UInt64 { hash ^ (hash >> 29) }
}

protocol QuickHashable: Equatable {
    var quickHash: UInt64 { get }
}
