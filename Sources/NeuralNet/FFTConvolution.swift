import CBLAS
import Foundation

/// Radix-2 complex FFT on interleaved (re, im) Float data, in place (Cooley & Tukey 1965), and the
/// 2-D transform of an n × n block as n row transforms then n column transforms.
struct FFT {
    let n: Int
    let levels: Int
    let cosTable: [Float], sinTable: [Float]
    let reversed: [Int]

    init(n: Int) {
        precondition(n >= 2 && n & (n - 1) == 0, "FFT size must be a power of two")
        self.n = n
        levels = n.trailingZeroBitCount
        cosTable = (0..<(n / 2)).map { Float(cos(2 * Double.pi * Double($0) / Double(n))) }
        sinTable = (0..<(n / 2)).map { Float(sin(2 * Double.pi * Double($0) / Double(n))) }
        reversed = (0..<n).map { i in
            var r = 0, x = i
            for _ in 0..<n.trailingZeroBitCount { r = (r << 1) | (x & 1); x >>= 1 }
            return r
        }
    }

    /// Transforms n complex values at `data` with element stride `stride` (in complex numbers).
    /// Forward: X_k = Σ x_j e^{−2πijk/n}; inverse without the 1/n factor.
    func transform(_ data: UnsafeMutablePointer<Float>, stride: Int, inverse: Bool) {
        for i in 0..<n {
            let j = reversed[i]
            if j > i {
                let a = 2 * i * stride, b = 2 * j * stride
                swap(&data[a], &data[b]); swap(&data[a + 1], &data[b + 1])
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
        let bins = n * halfColumns
        var spectra = [Float](repeating: 0, count: 2 * bins * h * f)
        var buffer = [Float](repeating: 0, count: 2 * n * n)
        for o in 0..<h { for c in 0..<f {
            buffer.withUnsafeMutableBufferPointer { b in
                b.update(repeating: 0)
                for dy in 0..<s { for dx in 0..<s { b[2 * (dy * n + dx)] = weights[o * f * s * s + (c * s + dy) * s + dx] } }
                fft.transform2D(b.baseAddress!, inverse: false)
            }
            for ky in 0..<n { for kx in 0..<halfColumns {
                let bin = ky * halfColumns + kx, src = 2 * (ky * n + kx), dst = 2 * ((bin * h + o) * f + c)
                spectra[dst] = buffer[src]; spectra[dst + 1] = -buffer[src + 1]   // conjugate: correlation
            } }
        } }
        self.spectra = spectra
    }

    /// Correlates feature maps [f, rows, cols] (row-major) and returns [h, outRows, outCols] for
    /// outRows = rows − s + 1, outCols = cols − s + 1.
    func apply(_ features: [Float], rows: Int, cols: Int) -> [Float] {
        let outRows = rows - s + 1, outCols = cols - s + 1
        let blocksY = (outRows + block - 1) / block, blocksX = (outCols + block - 1) / block
        let nb = blocksY * blocksX, bins = n * halfColumns
        // Spectra of every channel of every block: [bins][f][nb] complex.
        var x = [Float](repeating: 0, count: 2 * bins * f * nb)
        var buffer = [Float](repeating: 0, count: 2 * n * n)
        features.withUnsafeBufferPointer { fp in
            for by in 0..<blocksY { for bx in 0..<blocksX {
                let b = by * blocksX + bx, y0 = by * block, x0 = bx * block
                for c in 0..<f {
                    buffer.withUnsafeMutableBufferPointer { bp in
                        bp.update(repeating: 0)
                        for i in 0..<min(n, rows - y0) {
                            let src = fp.baseAddress! + (c * rows + y0 + i) * cols + x0
                            for j in 0..<min(n, cols - x0) { bp[2 * (i * n + j)] = src[j] }
                        }
                        fft.transform2D(bp.baseAddress!, inverse: false)
                    }
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let bin = ky * halfColumns + kx, src = 2 * (ky * n + kx), dst = 2 * ((bin * f + c) * nb + b)
                        x[dst] = buffer[src]; x[dst + 1] = buffer[src + 1]
                    } }
                }
            } }
        }
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
        // Inverse transform each (output, block), rebuilding the other half of the spectrum by symmetry.
        var out = [Float](repeating: 0, count: h * outRows * outCols)
        let scale = 1 / Float(n * n)
        for o in 0..<h { for by in 0..<blocksY { for bx in 0..<blocksX {
            let b = by * blocksX + bx
            buffer.withUnsafeMutableBufferPointer { bp in
                for ky in 0..<n { for kx in 0..<halfColumns {
                    let src = 2 * (((ky * halfColumns + kx) * h + o) * nb + b)
                    bp[2 * (ky * n + kx)] = y[src]; bp[2 * (ky * n + kx) + 1] = y[src + 1]
                } }
                for ky in 0..<n { for kx in halfColumns..<n {
                    let my = (n - ky) % n, mx = n - kx
                    bp[2 * (ky * n + kx)] = bp[2 * (my * n + mx)]; bp[2 * (ky * n + kx) + 1] = -bp[2 * (my * n + mx) + 1]
                } }
                fft.transform2D(bp.baseAddress!, inverse: true)
                let y0 = by * block, x0 = bx * block
                for i in 0..<min(block, outRows - y0) {
                    let dst = (o * outRows + y0 + i) * outCols + x0
                    for j in 0..<min(block, outCols - x0) { out[dst + j] = bp[2 * (i * n + j)] * scale }
                }
            }
        } } }
        return out
    }
}
