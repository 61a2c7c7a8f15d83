import CLAPACKE

/// Small dense linear algebra on LAPACK, row-major.
public enum LinearAlgebra {
    /// Solves A x = b for symmetric positive-definite A (n × n) by Cholesky (dposv). Nil if A is not
    /// positive definite.
    public static func solveSPD(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        var a = a, b = b
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), 1, &a, Int32(n), &b, 1)
        return info == 0 ? b : nil
    }

    /// The lower Cholesky factor L of an SPD matrix (A = L Lᵀ), or nil.
    public static func cholesky(_ a: [Double], n: Int) -> [Double]? {
        var l = a
        guard LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &l, Int32(n)) == 0 else { return nil }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i * n + j] = 0 } }
        return l
    }

    /// Solves L y = b (forward substitution) for lower-triangular L.
    public static func forward(_ l: [Double], _ b: [Double], n: Int) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        return y
    }

    /// Solves Lᵀ x = y (back substitution) for lower-triangular L.
    public static func backward(_ l: [Double], _ y: [Double], n: Int) -> [Double] {
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
