import Foundation
import Testing
@testable import Randomness

/// The generator reproduces the reference xoshiro256** stream seeded through SplitMix64
/// (Tests/Fixtures/make_random_fixtures.py transcribes the authors' C code).
@Suite struct SeededGeneratorTests {
    struct Case: Decodable {
        let seed: UInt64
        let outputs: [String]
    }

    struct Fixture: Decodable {
        let splitmix64Seed0: [String]
        let xoshiro256starstar: [Case]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/xoshiro.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// SplitMix64 from seed 0 begins e220a8397b1dcdaf, 6e789e6aa1b965f4, … (its published test vector).
    @Test func splitMixSeedZeroVector() {
        #expect(Self.fixture.splitmix64Seed0.first == String(UInt64(0xE220_A839_7B1D_CDAF)))
        #expect(Self.fixture.splitmix64Seed0[1] == String(UInt64(0x6E78_9E6A_A1B9_65F4)))
    }

    @Test(arguments: fixture.xoshiro256starstar.map(\.seed))
    func xoshiroMatchesReference(seed: UInt64) throws {
        let expected = try #require(Self.fixture.xoshiro256starstar.first { $0.seed == seed }).outputs
        var rng = SeededGenerator(seed: seed)
        #expect((0..<expected.count).map { _ in String(rng.next()) } == expected)
    }

    @Test func unitDeviatesAreInRangeAndSplitsDiffer() {
        var rng = SeededGenerator(seed: 7)
        let u = (0..<10_000).map { _ in rng.nextUnit() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        // The mean of 10,000 uniforms has SD 0.0029; 0.02 is ~7 SD.
        #expect(abs(u.reduce(0, +) / 10_000 - 0.5) < 0.02)
        var a = SeededGenerator(seed: 7).split(1), b = SeededGenerator(seed: 7).split(2)
        #expect(a.next() != b.next())
        #expect(SeededGenerator.hashUnit(3, 5) == SeededGenerator.hashUnit(3, 5))
    }
}
