/// Cell-by-cell agreement of two aligned rasters over the cells valid in both.
public struct RasterComparison: Codable, Sendable, Equatable {
    /// Cells valid in both.
    public var cells: Int
    /// Cells valid in exactly one of the two (nodata masks differ there).
    public var validInOneOnly: Int
    public var maxAbsDifference: Double
    public var meanAbsDifference: Double
    public var medianAbsDifference: Double
    public var rmse: Double
    /// Pearson correlation (nan when either side is constant).
    public var pearson: Double
    /// Cells whose absolute difference exceeds `tolerance`, when one was given.
    public var tolerance: Double?
    public var cellsOverTolerance: Int?

    /// - Parameters:
    ///   - angularDegrees: differences taken on the circle (e.g. aspect: 359° vs 1° differ by 2°).
    ///   - include: restricts the comparison to row-major indices for which it returns true.
    public init<A: RasterScalar, B: RasterScalar>(_ a: Grid<A>, _ b: Grid<B>, tolerance: Double? = nil,
                                                  angularDegrees: Bool = false,
                                                  include: (Int) -> Bool = { _ in true }) {
        precondition(a.rows == b.rows && a.cols == b.cols, "grids must have the same shape")
        var diffs: [Double] = []
        var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        var oneOnly = 0
        for i in 0..<a.count where include(i) {
            let va = a.isValid(at: i), vb = b.isValid(at: i)
            if va != vb { oneOnly += 1 }
            guard va && vb else { continue }
            let x = a.values[i].rasterValue, y = b.values[i].rasterValue
            var d = abs(x - y)
            if angularDegrees { d = Swift.min(d.truncatingRemainder(dividingBy: 360), 360 - d.truncatingRemainder(dividingBy: 360)) }
            diffs.append(d)
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y
        }
        let n = Double(diffs.count)
        cells = diffs.count
        validInOneOnly = oneOnly
        maxAbsDifference = diffs.max() ?? 0
        meanAbsDifference = n > 0 ? diffs.reduce(0, +) / n : 0
        let sorted = diffs.sorted()
        medianAbsDifference = sorted.isEmpty ? 0
            : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        rmse = n > 0 ? (diffs.reduce(0) { $0 + $1 * $1 } / n).squareRoot() : 0
        let cov = sab / n - (sa / n) * (sb / n)
        let varA = saa / n - (sa / n) * (sa / n), varB = sbb / n - (sb / n) * (sb / n)
        pearson = varA > 0 && varB > 0 ? cov / (varA * varB).squareRoot() : .nan
        self.tolerance = tolerance
        cellsOverTolerance = tolerance.map { t in diffs.filter { $0 > t }.count }
    }
}
