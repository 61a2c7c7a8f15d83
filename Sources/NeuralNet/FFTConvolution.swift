import CBLAS
import Foundation

/// Radix-2 complex FFT on interleaved (re, im) Float data, in place (Cooley & Tukey 1965), and the
/// 2-D transform of an n × n block as n row transforms then n column transforms. The tables live in
/// manually allocated memory so the butterflies run without bounds checks or reference counting.
final class FFT: @unchecked Sendable {
    let n: Int
    let levels: Int
    private let cosTable: UnsafeMutablePointer<Float>, sinTable: UnsafeMutablePointer<Float>
    private let reversed: UnsafeMutablePointer<Int>

    init(n: Int) {
        precondition(n >= 2 && n & (n - 1) == 0, "FFT size must be a power of two")
        self.n = n
        levels = n.trailingZeroBitCount
        cosTable = .allocate(capacity: n / 2); sinTable = .allocate(capacity: n / 2); reversed = .allocate(capacity: n)
        for k in 0..<(n / 2) {
            cosTable[k] = Float(cos(2 * Double.pi * Double(k) / Double(n)))
            sinTable[k] = Float(sin(2 * Double.pi * Double(k) / Double(n)))
        }
        for i in 0..<n {
            var r = 0, x = i
            for _ in 0..<levels { r = (r << 1) | (x & 1); x >>= 1 }
            reversed[i] = r
        }
    }

    deinit { cosTable.deallocate(); sinTable.deallocate(); reversed.deallocate() }

    /// Transforms n complex values at `data` with element stride `stride` (in complex numbers).
    /// Forward: X_k = Σ x_j e^{−2πijk/n}; inverse without the 1/n factor.
    func transform(_ data: UnsafeMutablePointer<Float>, stride: Int, inverse: Bool) {
        for i in 0..<n {
            let j = reversed[i]
            if j > i {
                let a = 2 * i * stride, b = 2 * j * stride
                let re = data[a], im = data[a + 1]
                data[a] = data[b]; data[a + 1] = data[b + 1]
                data[b] = re; data[b + 1] = im
            }
        }
        var size = 2
        let sign: Float = inverse ? 1 : -1
        while size <= n {
            let half = size / 2, step = n / size
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = cosTable[k * step], wi = sign * sinTable[k * step]
                    let a = 2 * (start + k) * stride, b = 2 * (start + k + half) * stride
                    let tr = wr * data[b] - wi * data[b + 1], ti = wr * data[b + 1] + wi * data[b]
                    data[b] = data[a] - tr; data[b + 1] = data[a + 1] - ti
                    data[a] += tr; data[a + 1] += ti
                }
                start += size
            }
            size *= 2
        }
    }

    /// 2-D transform of an n × n block stored row-major (complex interleaved).
    func transform2D(_ data: UnsafeMutablePointer<Float>, inverse: Bool) {
        for r in 0..<n { transform(data + 2 * r * n, stride: 1, inverse: inverse) }
        for c in 0..<n { transform(data + 2 * c, stride: n, inverse: inverse) }
    }

    /// Spectra of two real n × n signals transformed together as z = a + i·b (block `z`, after
    /// `transform2D`): A_k = (Z_k + conj Z_−k) / 2 and B_k = (Z_k − conj Z_−k) / 2i, for bin (ky, kx).
    @inline(__always)
    func separate(_ z: UnsafePointer<Float>, ky: Int, kx: Int) -> (aRe: Float, aIm: Float, bRe: Float, bIm: Float) {
        let k = 2 * (ky * n + kx), m = 2 * (((n - ky) & (n - 1)) * n + ((n - kx) & (n - 1)))
        let a = z[k], b = z[k + 1], c = z[m], d = z[m + 1]
        return (0.5 * (a + c), 0.5 * (b - d), 0.5 * (b + d), 0.5 * (c - a))
    }
}

/// A "valid" cross-correlation with a large kernel — the dense head's s × s window over f channels
/// into h outputs — by FFT and overlap-save (Mathieu, Henaff & LeCun 2014):
///   out[o, y, x] = Σ_c Σ_{dy,dx} W[o, c, dy, dx] · F[c, y + dy, x + dx]
/// in blocks of (n − s + 1)² outputs, where the spectra multiply as one complex GEMM per frequency
/// (cgemm over all blocks of a tile). Real inputs make the spectrum Hermitian, so only frequencies
/// kx ≤ n/2 are multiplied. Per output: ≈ (n/2 + 1)·n·h·f·8 / (n − s + 1)² flops instead of 2·h·f·s².
struct FFTCorrelation {
    let fft: FFT
    let n: Int, s: Int, f: Int, h: Int
    let block: Int
    let halfColumns: Int
    /// Conjugated kernel spectra, per frequency bin (ky, kx ≤ n/2): [bins][h][f] complex.
    let spectra: [Float]

    init(weights: [Float], outputs h: Int, channels f: Int, kernel s: Int) {
        var n = 8
        while n < 2 * s + 8 { n *= 2 }       // 32 for s = 9: 24 × 24 outputs per block
        self.n = n; self.s = s; self.f = f; self.h = h
        block = n - s + 1
        halfColumns = n / 2 + 1
        let fft = FFT(n: n)
        self.fft = fft
        let bins = n * halfColumns, halfColumns = halfColumns
        var spectra = [Float](repeating: 0, count: 2 * bins * h * f)
        var buffer = [Float](repeating: 0, count: 2 * n * n)
        // Two channels' kernels per complex transform (real and imaginary parts), separated afterwards.
        weights.withUnsafeBufferPointer { wp in spectra.withUnsafeMutableBufferPointer { sp in buffer.withUnsafeMutableBufferPointer { bp in
            let w = wp.baseAddress!, out = sp.baseAddress!, b = bp.baseAddress!
            for o in 0..<h {
                for c in stride(from: 0, to: f, by: 2) {
                    let pair = c + 1 < f
                    b.update(repeating: 0, count: 2 * n * n)
                    for dy in 0..<s { for dx in 0..<s {
                        b[2 * (dy * n + dx)] = w[o * f * s * s + (c * s + dy) * s + dx]
                        if pair { b[2 * (dy * n + dx) + 1] = w[o * f * s * s + ((c + 1) * s + dy) * s + dx] }
                    } }
                    fft.transform2D(b, inverse: false)
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let bin = ky * halfColumns + kx, dst = 2 * ((bin * h + o) * f + c)
                        let z = fft.separate(b, ky: ky, kx: kx)
                        out[dst] = z.aRe; out[dst + 1] = -z.aIm          // conjugate: correlation
                        if pair { out[dst + 2] = z.bRe; out[dst + 3] = -z.bIm }
                    } }
                }
            }
        } } }
        self.spectra = spectra
    }

    /// Correlates feature maps [f, rows, cols] (row-major) and returns [h, outRows, outCols] for
    /// outRows = rows − s + 1, outCols = cols − s + 1. Real signals go two to a complex transform:
    /// channel pairs forward (split by symmetry afterwards), output pairs inverse (as Y_o + i·Y_o+1,
    /// whose transform has y_o as real and y_o+1 as imaginary part).
    func apply(_ features: [Float], rows: Int, cols: Int) -> [Float] {
        let outRows = rows - s + 1, outCols = cols - s + 1
        let blocksY = (outRows + block - 1) / block, blocksX = (outCols + block - 1) / block
        let nb = blocksY * blocksX, bins = n * halfColumns
        let n = n, f = f, h = h, block = block, halfColumns = halfColumns, fft = fft
        // Spectra of every channel of every block: [bins][f][nb] complex.
        var x = [Float](repeating: 0, count: 2 * bins * f * nb)
        var buffer = [Float](repeating: 0, count: 2 * n * n)
        features.withUnsafeBufferPointer { fp in x.withUnsafeMutableBufferPointer { xp in buffer.withUnsafeMutableBufferPointer { bp in
            let fb = fp.baseAddress!, xb = xp.baseAddress!, b = bp.baseAddress!
            for by in 0..<blocksY { for bx in 0..<blocksX {
                let blk = by * blocksX + bx, y0 = by * block, x0 = bx * block
                let blockRows = min(n, rows - y0), blockCols = min(n, cols - x0)
                for c in stride(from: 0, to: f, by: 2) {
                    let pair = c + 1 < f
                    b.update(repeating: 0, count: 2 * n * n)
                    for i in 0..<blockRows {
                        let src = fb + (c * rows + y0 + i) * cols + x0, row = b + 2 * i * n
                        if pair {
                            let src2 = src + rows * cols
                            for j in 0..<blockCols { row[2 * j] = src[j]; row[2 * j + 1] = src2[j] }
                        } else {
                            for j in 0..<blockCols { row[2 * j] = src[j] }
                        }
                    }
                    fft.transform2D(b, inverse: false)
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let bin = ky * halfColumns + kx, dst = 2 * ((bin * f + c) * nb + blk)
                        let z = fft.separate(b, ky: ky, kx: kx)
                        xb[dst] = z.aRe; xb[dst + 1] = z.aIm
                        if pair { xb[dst + 2 * nb] = z.bRe; xb[dst + 2 * nb + 1] = z.bIm }
                    } }
                }
            } }
        } } }
        // Per frequency: Y_bin [h × nb] = K_bin [h × f] · X_bin [f × nb].
        var y = [Float](repeating: 0, count: 2 * bins * h * nb)
        var one: (Float, Float) = (1, 0), zero: (Float, Float) = (0, 0)
        spectra.withUnsafeBufferPointer { kp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            for bin in 0..<bins {
                cblas_cgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(h), blasint(nb), blasint(f), &one,
                            kp.baseAddress! + 2 * bin * h * f, blasint(f), xp.baseAddress! + 2 * bin * f * nb, blasint(nb),
                            &zero, yp.baseAddress! + 2 * bin * h * nb, blasint(nb))
            }
        } } }
        // Inverse transform of each (output pair, block); the spectrum's other half by Hermitian symmetry.
        var out = [Float](repeating: 0, count: h * outRows * outCols)
        let scale = 1 / Float(n * n)
        y.withUnsafeBufferPointer { yp in out.withUnsafeMutableBufferPointer { op in buffer.withUnsafeMutableBufferPointer { bp in
            let yb = yp.baseAddress!, ob = op.baseAddress!, b = bp.baseAddress!
            for by in 0..<blocksY { for bx in 0..<blocksX {
                let blk = by * blocksX + bx, y0 = by * block, x0 = bx * block
                let keepRows = min(block, outRows - y0), keepCols = min(block, outCols - x0)
                for o in stride(from: 0, to: h, by: 2) {
                    let pair = o + 1 < h
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let src = 2 * (((ky * halfColumns + kx) * h + o) * nb + blk)
                        let pr = yb[src], pi = yb[src + 1]
                        let qr = pair ? yb[src + 2 * nb] : 0, qi = pair ? yb[src + 2 * nb + 1] : 0
                        let k = 2 * (ky * n + kx)
                        b[k] = pr - qi; b[k + 1] = pi + qr                       // Y_o + i·Y_o+1
                        if kx > 0 && kx < n / 2 {                                    // bin −k: conjugates
                            let m = 2 * (((n - ky) & (n - 1)) * n + (n - kx))
                            b[m] = pr + qi; b[m + 1] = qr - pi
                        }
                    } }
                    fft.transform2D(b, inverse: true)
                    for i in 0..<keepRows {
                        let dst = ob + (o * outRows + y0 + i) * outCols + x0, row = b + 2 * i * n
                        for j in 0..<keepCols { dst[j] = row[2 * j] * scale }
                        if pair {
                            let dst2 = dst + outRows * outCols
                            for j in 0..<keepCols { dst2[j] = row[2 * j + 1] * scale }
                        }
                    }
                }
            } }
        } } }
        return out
    }
}
