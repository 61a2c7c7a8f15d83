import Foundation

/// A marginal distribution of one random variable.
public enum Marginal: Sendable, Equatable {
    /// N(mean, sd²).
    case normal(mean: Double, sd: Double)
    /// ln X ~ N(λ, ζ²) with ζ² = ln(1 + (sd/mean)²), λ = ln mean − ζ²/2: parameterised by X's own mean and sd.
    case lognormal(mean: Double, sd: Double)
    /// U(lower, upper).
    case uniform(lower: Double, upper: Double)
    /// N(mu, sigma²) truncated to [lower, upper] (mu and sigma are the parent normal's).
    case truncatedNormal(mu: Double, sigma: Double, lower: Double, upper: Double)
    /// A fixed value (COV 0): not part of the random vector.
    case fixed(Double)

    /// The uniform distribution with a given mean and standard deviation: mean ∓ √3·sd.
    public static func uniform(mean: Double, sd: Double) -> Marginal {
        .uniform(lower: mean - 3.0.squareRoot() * sd, upper: mean + 3.0.squareRoot() * sd)
    }

    public var isRandom: Bool {
        if case .fixed = self { return false }
        return true
    }

    /// ζ and λ of a lognormal.
    @inline(__always) static func lognormalParameters(mean: Double, sd: Double) -> (zeta: Double, lambda: Double) {
        let v = sd / mean
        let zeta2 = log1p(v * v)
        return (zeta2.squareRoot(), log(mean) - zeta2 / 2)
    }

    public var mean: Double {
        switch self {
        case let .normal(m, _), let .lognormal(m, _): return m
        case let .uniform(a, b): return (a + b) / 2
        case let .truncatedNormal(mu, s, a, b):
            let (alpha, beta) = ((a - mu) / s, (b - mu) / s)
            let z = StandardNormal.cdf(beta) - StandardNormal.cdf(alpha)
            return mu + s * (StandardNormal.pdf(alpha) - StandardNormal.pdf(beta)) / z
        case let .fixed(v): return v
        }
    }

    public var standardDeviation: Double {
        switch self {
        case let .normal(_, s), let .lognormal(_, s): return s
        case let .uniform(a, b): return (b - a) / 12.0.squareRoot()
        case let .truncatedNormal(mu, s, a, b):
            let (alpha, beta) = ((a - mu) / s, (b - mu) / s)
            let z = StandardNormal.cdf(beta) - StandardNormal.cdf(alpha)
            let pa = StandardNormal.pdf(alpha), pb = StandardNormal.pdf(beta)
            let ta = alpha.isFinite ? alpha * pa : 0, tb = beta.isFinite ? beta * pb : 0
            let t1 = (ta - tb) / z, t2 = (pa - pb) / z
            return s * (1 + t1 - t2 * t2).squareRoot()
        case .fixed: return 0
        }
    }

    /// Median (the image of z = 0).
    public var median: Double { quantile(0.5) }

    public func pdf(_ x: Double) -> Double {
        switch self {
        case let .normal(m, s): return StandardNormal.pdf((x - m) / s) / s
        case let .lognormal(m, s):
            guard x > 0 else { return 0 }
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return StandardNormal.pdf((log(x) - lambda) / zeta) / (x * zeta)
        case let .uniform(a, b): return x >= a && x <= b ? 1 / (b - a) : 0
        case let .truncatedNormal(mu, s, a, b):
            guard x >= a && x <= b else { return 0 }
            let z = StandardNormal.cdf((b - mu) / s) - StandardNormal.cdf((a - mu) / s)
            return StandardNormal.pdf((x - mu) / s) / (s * z)
        case .fixed: return 0
        }
    }

    public func cdf(_ x: Double) -> Double {
        switch self {
        case let .normal(m, s): return StandardNormal.cdf((x - m) / s)
        case let .lognormal(m, s):
            guard x > 0 else { return 0 }
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return StandardNormal.cdf((log(x) - lambda) / zeta)
        case let .uniform(a, b): return min(1, max(0, (x - a) / (b - a)))
        case let .truncatedNormal(mu, s, a, b):
            if x <= a { return 0 }
            if x >= b { return 1 }
            let fa = StandardNormal.cdf((a - mu) / s), fb = StandardNormal.cdf((b - mu) / s)
            return (StandardNormal.cdf((x - mu) / s) - fa) / (fb - fa)
        case let .fixed(v): return x < v ? 0 : 1
        }
    }

    public func quantile(_ p: Double) -> Double {
        switch self {
        case let .normal(m, s): return m + s * StandardNormal.quantile(p)
        case let .lognormal(m, s):
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return exp(lambda + zeta * StandardNormal.quantile(p))
        case let .uniform(a, b): return a + (b - a) * p
        case let .truncatedNormal(mu, s, a, b):
            let fa = StandardNormal.cdf((a - mu) / s), fb = StandardNormal.cdf((b - mu) / s)
            return mu + s * StandardNormal.quantile(fa + p * (fb - fa))
        case let .fixed(v): return v
        }
    }

    /// x = F⁻¹(Φ(z)): the value at standard-normal coordinate z.
    @inline(__always) public func value(atStandardNormal z: Double) -> Double {
        switch self {
        case let .normal(m, s): return m + s * z
        case let .lognormal(m, s):
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return exp(lambda + zeta * z)
        case let .fixed(v): return v
        default: return quantile(StandardNormal.cdf(z))
        }
    }

    /// z = Φ⁻¹(F(x)): the standard-normal coordinate of x.
    @inline(__always) public func standardNormal(at x: Double) -> Double {
        switch self {
        case let .normal(m, s): return (x - m) / s
        case let .lognormal(m, s):
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return (log(x) - lambda) / zeta
        case .fixed: return 0
        default: return StandardNormal.quantile(cdf(x))
        }
    }

    /// The Rackwitz–Fiessler (1978) equivalent normal at x: the normal with the same CDF and PDF there,
    ///
    ///     σᴺ = φ(Φ⁻¹(F(x))) / f(x),   μᴺ = x − σᴺ Φ⁻¹(F(x)).
    ///
    /// Closed forms for the normal (itself) and the lognormal (σᴺ = xζ, μᴺ = x(1 − ln x + λ)).
    @inline(__always) public func equivalentNormal(at x: Double) -> (mean: Double, sd: Double) {
        switch self {
        case let .normal(m, s): return (m, s)
        case let .lognormal(m, s):
            let (zeta, lambda) = Self.lognormalParameters(mean: m, sd: s)
            return (x * (1 - log(x) + lambda), x * zeta)
        case let .fixed(v): return (v, 0)
        default:
            let z = standardNormal(at: x)
            let sd = StandardNormal.pdf(z) / pdf(x)
            return (x - sd * z, sd)
        }
    }
}
