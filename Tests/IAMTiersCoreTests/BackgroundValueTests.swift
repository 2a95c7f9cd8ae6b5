import Testing

@testable import IAMTiersCore

@Suite struct BackgroundValueTests {
    struct Refused: Error, Equatable {}

    @Test func givesWhatWasMadeToEveryCaller() throws {
        let made = BackgroundValue { (1...1000).reduce(0, +) }
        #expect(try made.value() == 500_500)
        #expect(try made.value() == 500_500)
    }

    @Test func rethrowsWhatMakingThrew() {
        let made = BackgroundValue { () throws -> Int in throw Refused() }
        #expect(throws: Refused()) { try made.value() }
        #expect(throws: Refused()) { try made.value() }
    }
}
