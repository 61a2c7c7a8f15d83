import CLAPACKE
import Foundation

/// Problems with a correlation matrix, naming the offending entry.
public enum CorrelationError: Error, Equatable, Sendable, CustomStringConvertible {
    case notSquare(rows: Int, cols: Int)
    case diagonalNotOne(index: Int, value: Double)
    case notSymmetric(i: Int, j: Int, rij: Double, rji: Double)
    case outOfRange(i: Int, j: Int, value: Double)
    /// Not positive definite: the smallest eigenvalue, and the pair with the largest |ρ| (the usual culprit).
    case notPositiveDefinite(smallestEigenvalue: Double, i: Int, j: Int)
    case tooLarge(size: Int)

    public var description: String {
        switch self {
        case let .notSquare(r, c): return "correlation matrix is \(r) × \(c); expected square"
        case let .diagonalNotOne(i, v): return "correlation matrix: diagonal entry \(i) is \(v); expected 1"
        case let .notSymmetric(i, j, a, b): return "correlation matrix: R[\(i)][\(j)] = \(a) but R[\(j)][\(i)] = \(b); expected symmetric"
        case let .outOfRange(i, j, v): return "correlation matrix: R[\(i)][\(j)] = \(v); expected −1 ≤ ρ ≤ 1"
        case let .notPositiveDefinite(e, i, j):
            return "correlation matrix is not positive definite (smallest eigenvalue \(e)); "
                + "check the pair (\(i), \(j)) and the consistency of the coefficients"
        case let .tooLarge(n): return "\(n) random variables; at most 8 are supported"
        }
    }
}

/// A validated correlation matrix (symmetric, unit diagonal, positive definite) of at most 8
/// variables, with its Cholesky factor R = L·Lᵀ (LAPACK `dpotrf`).
public struct CorrelationMatrix: Sendable, Equatable {
    public let size: Int
    /// Row-major entries.
    public let entries: [Double]
    /// Row-major lower-triangular Cholesky factor.
    public let cholesky: [Double]

    public static func identity(_ n: Int) -> CorrelationMatrix {
        precondition(n >= 0 && n <= 8, "at most 8 variables")
        let unit = (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1.0 : 0.0 }
        return CorrelationMatrix(size: n, entries: unit, cholesky: unit)
    }

    private init(size: Int, entries: [Double], cholesky: [Double]) {
        self.size = size
        self.entries = entries
        self.cholesky = cholesky
    }

    public init(_ rows: [[Double]]) throws {
        let n = rows.count
        guard n <= 8 else { throw CorrelationError.tooLarge(size: n) }
        for row in rows where row.count != n { throw CorrelationError.notSquare(rows: n, cols: row.count) }
        for i in 0..<n {
            guard abs(rows[i][i] - 1) < 1e-12 else { throw CorrelationError.diagonalNotOne(index: i, value: rows[i][i]) }
            for j in 0..<n where j != i {
                guard abs(rows[i][j]) <= 1 else { throw CorrelationError.outOfRange(i: i, j: j, value: rows[i][j]) }
                guard abs(rows[i][j] - rows[j][i]) < 1e-12 else {
                    throw CorrelationError.notSymmetric(i: i, j: j, rij: rows[i][j], rji: rows[j][i])
                }
            }
        }
        size = n
        entries = rows.flatMap { $0 }
        var factor = entries
        let info = n == 0 ? 0 : LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &factor, Int32(n))
        guard info == 0 else {
            var copy = entries
            var eigenvalues = [Double](repeating: 0, count: n)
            _ = LAPACKE_dsyev(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "L")), Int32(n), &copy,
                              Int32(n), &eigenvalues)
            var worst = (0, 1, 0.0)
            for i in 0..<n { for j in (i + 1)..<n where abs(rows[i][j]) > worst.2 { worst = (i, j, abs(rows[i][j])) } }
            throw CorrelationError.notPositiveDefinite(smallestEigenvalue: eigenvalues.min() ?? 0, i: worst.0, j: worst.1)
        }
        for i in 0..<n { for j in (i + 1)..<n { factor[i * n + j] = 0 } }
        cholesky = factor
    }

    public subscript(i: Int, j: Int) -> Double { entries[i * size + j] }

    /// True when every off-diagonal entry is 0.
    public var isIdentity: Bool { (0..<size).allSatisfy { i in (0..<size).allSatisfy { j in i == j || entries[i * size + j] == 0 } } }
}
