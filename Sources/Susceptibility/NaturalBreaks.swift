import Foundation

/// Errors of classification.
public enum ClassificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooFewValues(count: Int, classes: Int)
    case invalidClassCount(Int)
    case nonFinite(index: Int)

    public var description: String {
        switch self {
        case let .tooFewValues(n, k): return "\(n) distinct values cannot make \(k) classes; expected at least \(k)"
        case let .invalidClassCount(k): return "\(k) classes; expected 2 or more"
        case let .nonFinite(i): return "value \(i + 1) is not a finite number"
        }
    }
}

/// The exact natural-breaks classification: the partition of sorted values into k contiguous classes
/// that minimises the total within-class sum of squared deviations (Fisher 1958; "Jenks natural
/// breaks"), by the dynamic programme of Ckmeans.1d.dp (Wang & Song 2011, The R Journal 3(2):29–33)
/// with divide-and-conquer over the monotone optimal split points (Song & Zhong 2020), O(k·n·log n)
/// after sorting. No sampling: every value counts.
public struct NaturalBreaks: Sendable, Equatable {
    /// The upper bound (largest value) of each class but the last: k − 1 inner breaks.
    public let innerBreaks: [Double]
    /// min, the inner breaks, max: k + 1 bounds (jenkspy's and mapclassify's `breaks` layout with min first).
    public let bounds: [Double]
    /// Number of values in each class.
    public let counts: [Int]
    /// Total within-class sum of squares.
    public let withinSumOfSquares: Double

    public init<C: Collection>(_ values: C, classes k: Int) throws where C.Element == Double {
        guard k >= 2 else { throw ClassificationError.invalidClassCount(k) }
        var x = Array(values)
        for (i, v) in x.enumerated() where !v.isFinite { throw ClassificationError.nonFinite(index: i) }
        x.sort()
        let n = x.count
        var distinct = n > 0 ? 1 : 0
        for i in 1..<max(1, n) where x[i] != x[i - 1] { distinct += 1 }
        guard distinct >= k else { throw ClassificationError.tooFewValues(count: distinct, classes: k) }

        // Prefix sums of shifted values (shifting by the median keeps the sums well conditioned).
        let shift = x[n / 2]
        var s1 = [Double](repeating: 0, count: n + 1), s2 = s1
        for i in 0..<n {
            let v = x[i] - shift
            s1[i + 1] = s1[i] + v
            s2[i + 1] = s2[i] + v * v
        }
        /// Sum of squared deviations of x[j...i] (inclusive, 0-based).
        @inline(__always) func ssq(_ j: Int, _ i: Int) -> Double {
            let m = Double(i - j + 1)
            let s = s1[i + 1] - s1[j]
            return max(0, (s2[i + 1] - s2[j]) - s * s / m)
        }
        // cost[q][i]: best cost of x[0...i] in q + 1 classes; split[q][i]: first index of the last class.
        var cost = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: k)
        var split = [[Int]](repeating: [Int](repeating: 0, count: n), count: k)
        for i in 0..<n { cost[0][i] = ssq(0, i) }
        for q in 1..<k {
            let previous = cost[q - 1]
            var row = cost[q], rowSplit = split[q]
            // Divide and conquer over i ∈ [lo, hi] with the optimal j in [jLo, jHi] (monotone in i).
            func solve(_ lo: Int, _ hi: Int, _ jLo: Int, _ jHi: Int) {
                if lo > hi { return }
                let mid = (lo + hi) / 2
                var best = Double.infinity, bestJ = max(jLo, q)
                let upper = min(jHi, mid)
                if max(jLo, q) <= upper {
                    for j in max(jLo, q)...upper {
                        let c = previous[j - 1] + ssq(j, mid)
                        if c < best { best = c; bestJ = j }
                    }
                }
                row[mid] = best
                rowSplit[mid] = bestJ
                solve(lo, mid - 1, jLo, bestJ)
                solve(mid + 1, hi, bestJ, jHi)
            }
            solve(q, n - 1, q, n - 1)
            cost[q] = row
            split[q] = rowSplit
        }
        // Backtrack the class starts.
        var starts = [Int](repeating: 0, count: k)
        var end = n - 1
        for q in stride(from: k - 1, through: 1, by: -1) {
            starts[q] = split[q][end]
            end = starts[q] - 1
        }
        innerBreaks = (1..<k).map { x[starts[$0] - 1] }
        bounds = [x[0]] + innerBreaks + [x[n - 1]]
        counts = (0..<k).map { q in (q + 1 < k ? starts[q + 1] : n) - starts[q] }
        withinSumOfSquares = cost[k - 1][n - 1]
    }

    /// The class (0-based) of a value: the first class whose upper bound is ≥ it.
    @inline(__always) public func classIndex(of value: Double) -> Int {
        var c = 0
        while c < innerBreaks.count && value > innerBreaks[c] { c += 1 }
        return c
    }
}
