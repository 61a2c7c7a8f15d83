import CBLAS
import Foundation
import WorkerThreads

/// The element types networks compute in: `Float` for training and maps (BLAS sgemm), `Double` for
/// gradient checks against finite differences (dgemm).
public protocol NetScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// C = alpha · op(A) · op(B) + beta · C, row-major (cblas_?gemm).
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
}

extension Float: NetScalar {
    @inlinable public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                       a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                       beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: NetScalar {
    @inlinable public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                                       a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                                       beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
}

/// BLAS runs single-threaded: the networks parallelise over the samples of a batch themselves, in a
/// fixed split, so that results do not depend on the number of threads.
public enum BLASThreads {
    nonisolated(unsafe) private static var configured = false
    public static func useOneThread() {
        guard !configured else { return }
        configured = true
        openblas_set_num_threads(1)
    }
}

/// Runs `body` over `count` items in `chunks` fixed pieces (at most), concurrently. The split depends
/// only on `count` and `chunks`, never on the machine, so per-chunk partial sums combine identically.
/// The chunks run on ``WorkerThreads`` (`--threads N` / `LANDSLIDE_THREADS`; with 1, one after another
/// on the calling thread): the same split on any number, so the same sums.
func forEachChunk(_ count: Int, chunks: Int, _ body: (Int, Range<Int>) -> Void) {
    let k = max(1, min(chunks, count))
    if k == 1 { body(0, 0..<count); return }
    WorkerThreads.forEach(k) { i in body(i, (count * i / k)..<(count * (i + 1) / k)) }
}
