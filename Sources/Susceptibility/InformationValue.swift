import CLAPACKE
import Foundation

/// A conditioning factor classed for the information-value model: the class of every cell (−1 where
/// nodata) and the number of classes.
public struct ClassedFactor: Sendable {
    public let name: String
    public let classes: [Int]
    public let classCount: Int

    /// How continuous values are classed.
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Exact natural breaks (``NaturalBreaks``).
        case naturalBreaks = "natural-breaks"
        /// Equal-count classes: the upper bound of class j is the value of rank ⌈n·j/k⌉ among the sorted values.
        case quantiles
    }

    /// Continuous values classed by `method` into k classes, or, with `categorical`, by their distinct
    /// values in increasing order. NaN marks nodata.
    public init(name: String, values: [Double], classes k: Int = 5, method: Method = .naturalBreaks,
                categorical: Bool = false) throws {
        self.name = name
        let valid = values.filter { !$0.isNaN }
        if !categorical && method == .quantiles {
            guard k >= 2 else { throw ClassificationError.invalidClassCount(k) }
            let sorted = valid.sorted()
            guard Set(sorted).count >= k else { throw ClassificationError.tooFewValues(count: Set(sorted).count, classes: k) }
            let bounds = (1..<k).map { j in sorted[max(0, Int((Double(sorted.count * j) / Double(k)).rounded(.up)) - 1)] }
            classes = values.map { v in v.isNaN ? -1 : (bounds.firstIndex { v <= $0 } ?? k - 1) }
            classCount = k
        } else if categorical {
            let levels = Array(Set(valid)).sorted()
            let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
            classes = values.map { $0.isNaN ? -1 : index[$0]! }
            classCount = levels.count
        } else {
            let breaks = try NaturalBreaks(valid, classes: k)
            classes = values.map { $0.isNaN ? -1 : breaks.classIndex(of: $0) }
            classCount = k
        }
    }
}

/// The information-value model (METHODS.md B1; Yin & Yan 1988):
///
///     I_ij = ln( (N_ij / N) / (S_ij / S) )
///
/// for class j of factor i, N landslide cells and S cells in all (both over cells valid in every
/// factor); a cell's total information is the sum over factors of its classes' I. A class with cells
/// but no landslide would have I = −∞; it gets N_ij = ½ instead (stated, since the studies are silent).
public struct InformationValueModel: Sendable {
    public let factorNames: [String]
    /// I per factor and class.
    public let values: [[Double]]
    /// Total information per cell (NaN where any factor is nodata).
    public let total: [Double]
    /// S_ij and N_ij: cells and landslide cells per factor and class (Study B's Table 1 columns).
    public let cellCounts: [[Int]]
    public let landslideCounts: [[Int]]

    public init(factors: [ClassedFactor], landslideCells: [Int]) {
        let n = factors.first?.classes.count ?? 0
        let valid = (0..<n).map { c in factors.allSatisfy { $0.classes[c] >= 0 } }
        let slides = landslideCells.filter { valid[$0] }
        let totalCells = Double(valid.filter { $0 }.count), totalSlides = Double(slides.count)
        var values: [[Double]] = []
        var cellCounts: [[Int]] = [], landslideCounts: [[Int]] = []
        for f in factors {
            var cells = [Double](repeating: 0, count: f.classCount), hits = cells
            for c in 0..<n where valid[c] { cells[f.classes[c]] += 1 }
            for c in slides { hits[f.classes[c]] += 1 }
            cellCounts.append(cells.map { Int($0) }); landslideCounts.append(hits.map { Int($0) })
            values.append((0..<f.classCount).map { j in
                cells[j] == 0 ? 0 : log((max(hits[j], 0.5) / totalSlides) / (cells[j] / totalCells))
            })
        }
        self.values = values
        self.cellCounts = cellCounts
        self.landslideCounts = landslideCounts
        factorNames = factors.map(\.name)
        total = (0..<n).map { c in
            valid[c] ? zip(factors, values).reduce(0) { $0 + $1.1[$1.0.classes[c]] } : .nan
        }
    }
}

/// Factor weights from a principal component analysis of the standardised factors (METHODS.md B1:
/// Study B keeps factors whose weight is at least 0.045). The studies do not define the weight; here
/// it is each factor's share of Σₖ λₖ |vᵢₖ| over all components (eigenvalue λₖ, loading vᵢₖ), so the
/// weights sum to 1. Eigen-decomposition by LAPACK `dsyev`.
public struct PCAWeights: Sendable, Codable {
    public let names: [String]
    public let weights: [Double]
    public let eigenvalues: [Double]
    public let threshold: Double
    /// The factors kept (weight ≥ threshold).
    public var kept: [String] { zip(names, weights).filter { $0.1 >= threshold }.map(\.0) }

    /// - Parameter columns: one array per factor over the same cells (NaN = nodata; such cells are skipped).
    public init(names: [String], columns: [[Double]], threshold: Double = 0.045) {
        let p = columns.count
        let rows = (0..<(columns.first?.count ?? 0)).filter { r in columns.allSatisfy { !$0[r].isNaN } }
        let n = Double(max(rows.count, 2))
        let means = columns.map { c in rows.reduce(0) { $0 + c[$1] } / n }
        let sds = columns.enumerated().map { i, c in (rows.reduce(0) { $0 + (c[$1] - means[i]) * (c[$1] - means[i]) } / (n - 1)).squareRoot() }
        var correlation = [Double](repeating: 0, count: p * p)
        for a in 0..<p {
            for b in a..<p {
                var s = 0.0
                for r in rows { s += (columns[a][r] - means[a]) / sds[a] * (columns[b][r] - means[b]) / sds[b] }
                correlation[a * p + b] = s / (n - 1)
                correlation[b * p + a] = correlation[a * p + b]
            }
        }
        var eigenvalues = [Double](repeating: 0, count: p)
        _ = LAPACKE_dsyev(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(p), &correlation,
                          Int32(p), &eigenvalues)
        // Column k of the row-major result is eigenvector k.
        var raw = [Double](repeating: 0, count: p)
        for i in 0..<p { for k in 0..<p { raw[i] += max(eigenvalues[k], 0) * abs(correlation[i * p + k]) } }
        let sum = raw.reduce(0, +)
        self.names = names
        weights = raw.map { sum > 0 ? $0 / sum : 0 }
        self.eigenvalues = eigenvalues.reversed()
        self.threshold = threshold
    }
}
