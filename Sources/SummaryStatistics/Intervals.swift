import Foundation

/// A metric over replicates: its values, mean, sample SD and the 95 % interval of the mean
/// (mean ± t(0.975, n − 1) · SD / √n). With one value the interval is that value, and SD is NaN.
///
/// A replicate without a value (NaN: an AUC on a test without both classes, a sampler without enough
/// candidates) keeps its place in `values`; the statistics are over the others, and `n` counts them.
public struct Replicated: Codable, Sendable, Equatable {
    public var mean: Double
    public var sd: Double
    public var ci95: [Double]
    public var n: Int
    public var values: [Double]

    public init(_ values: [Double]) {
        self.values = values
        let present = values.filter { !$0.isNaN }
        n = present.count
        mean = n > 0 ? Summary.mean(present) : .nan
        sd = Summary.standardDeviation(present)
        if n > 1 {
            let half = Summary.studentTQuantile(0.975, degreesOfFreedom: Double(n - 1)) * sd / Double(n).squareRoot()
            ci95 = [mean - half, mean + half]
        } else {
            ci95 = [mean, mean]
        }
    }
}

extension Replicated {
    /// Whether a value read by `JSONSerialization` is a JSON `true` or `false` (an NSNumber whose class
    /// is the Boolean one): such a value is a setting, never a number to average.
    public static func isJSONBoolean(_ x: Any) -> Bool { String(describing: type(of: x)).contains("Boolean") }

    /// A number as read by `JSONSerialization`, or as results files write non-finite ones ("nan", "inf",
    /// "-inf"); nil for anything else, `true` and `false` included (which bridge to 1 and 0).
    public static func jsonNumber(_ x: Any) -> Double? {
        if isJSONBoolean(x) { return nil }
        if let n = x as? NSNumber { return n.doubleValue }
        switch x as? String {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default: return nil
        }
    }

    /// A replicated entry as read by `JSONSerialization` ({"mean", "sd", "ci95", "n", "values"}, with
    /// non-finite numbers as "nan", "inf", "-inf"), or a plain number as one value; nil otherwise.
    public init?(jsonObject v: Any?) {
        let number = Self.jsonNumber
        if let d = v as? [String: Any], let values = d["values"] as? [Any] {
            let xs = values.compactMap(number)
            guard xs.count == values.count else { return nil }
            self.init(xs)
        } else if let v, let x = number(v) {
            self.init([x])
        } else {
            return nil
        }
    }
}

extension Summary {
    /// P(T ≤ t) for Student's t with ν degrees of freedom: 1 − ½ I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0
    /// (I the regularised incomplete beta function), by symmetry below 0.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = 0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of Student's t with ν degrees of freedom (bisection on the CDF to 1e-12).
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1 && nu > 0, "p in (0, 1), ν > 0")
        if p < 0.5 { return -studentTQuantile(1 - p, degreesOfFreedom: nu) }
        var lo = 0.0, hi = 1.0
        while studentTCDF(hi, degreesOfFreedom: nu) < p { hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * max(1, hi) {
            let mid = (lo + hi) / 2
            if studentTCDF(mid, degreesOfFreedom: nu) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b), by the continued fraction of Numerical Recipes (§6.4) with Lentz's method, using the
    /// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.
    public static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= d * c
            let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * f / a
    }

    /// The 95 % interval of a Pearson correlation r from n pairs by Fisher's z: tanh(atanh r ± 1.959964/√(n − 3)).
    public static func fisherInterval(r: Double, n: Int) -> [Double] {
        guard n > 3, abs(r) < 1 else { return [Double.nan, .nan] }
        let z = atanh(r), half = 1.959964 / Double(n - 3).squareRoot()
        return [tanh(z - half), tanh(z + half)]
    }

    /// Replicates the spread `sd` would need for the 95 % interval of a mean `mean` to exclude 0:
    /// the least n with t(0.975, n − 1) · sd / √n < |mean|; nil when the mean is 0 or SD is not finite.
    public static func replicatesNeeded(mean: Double, sd: Double, limit: Int = 100_000) -> Int? {
        guard mean != 0, sd.isFinite else { return nil }
        if sd == 0 { return 2 }
        var n = 2
        while n <= limit {
            if studentTQuantile(0.975, degreesOfFreedom: Double(n - 1)) * sd / Double(n).squareRoot() < abs(mean) { return n }
            n = n < 64 ? n + 1 : Int(Double(n) * 1.1)
        }
        return nil
    }
}
