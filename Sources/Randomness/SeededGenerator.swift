import Foundation

/// A seeded, platform-independent random number generator: xoshiro256** (Blackman & Vigna 2018),
/// its state initialised from the seed by SplitMix64, as its authors recommend.
///
/// Every stochastic function of the harness takes one of these (or a seed to make one), so a run is
/// a pure function of its configuration and seed. Streams for parallel work are split off with
/// ``split(_:)``, which depends only on the seed and the stream number, never on thread timing.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal deviate (Box–Muller, one of the pair).
    public mutating func nextNormal() -> Double {
        var u = nextUnit()
        while u == 0 { u = nextUnit() }
        let v = nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A uniform double in [0, 1) determined by (seed, key) alone: SplitMix64's finaliser applied to
    /// their mix. For values indexed by position (e.g. noise lattices) without storing them.
    public static func hashUnit(_ seed: UInt64, _ key: UInt64) -> Double {
        var z = seed ^ (key &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53
    }

    /// An independent generator for stream `stream` derived from this one's seed.
    public func split(_ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed ^ (0xD1B5_4A32_D192_ED03 &* (stream &+ 1)))
    }
}
