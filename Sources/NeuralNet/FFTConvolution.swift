import CBLAS
import Foundation

/// The 2-D discrete Fourier transform of n × n blocks held as two planes (real parts, imaginary
/// parts), radix-2 (Cooley & Tukey 1965). Each 1-D pass runs the butterflies of all n columns at once
/// — whole rows combined with one twiddle, contiguous and vectorised — and a transpose between the
/// two passes turns the row transforms into column transforms. Tables live in manually allocated
/// memory, so the loops run without bounds checks or reference counting.
final class FFT2D: @unchecked Sendable {
    let n: Int
    private let cosTable: UnsafeMutablePointer<Float>, sinTable: UnsafeMutablePointer<Float>
    private let reversed: UnsafeMutablePointer<Int>

    init(n: Int) {
        precondition(n >= 2 && n & (n - 1) == 0, "FFT size must be a power of two")
        self.n = n
        cosTable = .allocate(capacity: n / 2); sinTable = .allocate(capacity: n / 2); reversed = .allocate(capacity: n)
        for k in 0..<(n / 2) {
            cosTable[k] = Float(cos(2 * Double.pi * Double(k) / Double(n)))
            sinTable[k] = Float(sin(2 * Double.pi * Double(k) / Double(n)))
        }
        for i in 0..<n {
            var r = 0, x = i
            for _ in 0..<n.trailingZeroBitCount { r = (r << 1) | (x & 1); x >>= 1 }
            reversed[i] = r
        }
    }

    deinit { cosTable.deallocate(); sinTable.deallocate(); reversed.deallocate() }

    /// In place: Z[ky, kx] = Σ_y Σ_x z[y, x] e^{∓2πi(ky·y + kx·x)/n}, minus sign forward; the inverse
    /// without the 1/n² factor. `re` and `im` are n × n row-major.
    ///
    /// Pruned forms: `inputColumns` < n says columns from there on are zero (a kernel smaller than the
    /// block), so the first pass skips them; `outputRows` < n computes only the result's first rows
    /// (the rest is left undefined), as overlap-save keeps only those.
    func transform(re: UnsafeMutablePointer<Float>, im: UnsafeMutablePointer<Float>, inverse: Bool,
                   inputColumns: Int? = nil, outputRows: Int? = nil) {
        alongColumns(re, im, inverse: inverse, lanes: inputColumns ?? n)
        transpose(re); transpose(im)
        alongColumns(re, im, inverse: inverse, lanes: outputRows ?? n)
        transpose(re); transpose(im)
    }

    /// The 1-D transform of every column (along the row index), all columns together; only the first
    /// `lanes` columns are transformed.
    private func alongColumns(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, inverse: Bool,
                              lanes: Int) {
        let n = n
        for i in 0..<n {
            let j = reversed[i]
            guard j > i else { continue }
            for q in 0..<lanes {
                let r = re[i * n + q]; re[i * n + q] = re[j * n + q]; re[j * n + q] = r
                let m = im[i * n + q]; im[i * n + q] = im[j * n + q]; im[j * n + q] = m
            }
        }
        let sign: Float = inverse ? 1 : -1
        var size = 2
        while size <= n {
            let half = size / 2, step = n / size
            var start = 0
            while start < n {
                for k in 0..<half {
                    let wr = cosTable[k * step], wi = sign * sinTable[k * step]
                    let ar = re + (start + k) * n, ai = im + (start + k) * n
                    let br = re + (start + k + half) * n, bi = im + (start + k + half) * n
                    for q in 0..<lanes {
                        let tr = wr * br[q] - wi * bi[q], ti = wr * bi[q] + wi * br[q]
                        br[q] = ar[q] - tr; bi[q] = ai[q] - ti
                        ar[q] += tr; ai[q] += ti
                    }
                }
                start += size
            }
            size *= 2
        }
    }

    private func transpose(_ a: UnsafeMutablePointer<Float>) {
        for i in 0..<n { for j in (i + 1)..<n { let t = a[i * n + j]; a[i * n + j] = a[j * n + i]; a[j * n + i] = t } }
    }

    /// Spectra of two real n × n signals transformed together as z = a + i·b: at bin k = (ky, kx),
    /// A_k = (Z_k + conj Z_−k) / 2 and B_k = (Z_k − conj Z_−k) / 2i.
    @inline(__always)
    func separate(re: UnsafePointer<Float>, im: UnsafePointer<Float>, ky: Int, kx: Int)
        -> (aRe: Float, aIm: Float, bRe: Float, bIm: Float) {
        let k = ky * n + kx, m = ((n - ky) & (n - 1)) * n + ((n - kx) & (n - 1))
        let a = re[k], b = im[k], c = re[m], d = im[m]
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
    let fft: FFT2D
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
        let fft = FFT2D(n: n)
        self.fft = fft
        let bins = n * halfColumns, halfColumns = halfColumns
        var spectra = [Float](repeating: 0, count: 2 * bins * h * f)
        var buffer = [Float](repeating: 0, count: 2 * n * n)
        // Two channels' kernels per complex transform (real and imaginary parts), separated afterwards.
        weights.withUnsafeBufferPointer { wp in spectra.withUnsafeMutableBufferPointer { sp in buffer.withUnsafeMutableBufferPointer { bp in
            let w = wp.baseAddress!, out = sp.baseAddress!, re = bp.baseAddress!, im = re + n * n
            for o in 0..<h {
                for c in stride(from: 0, to: f, by: 2) {
                    let pair = c + 1 < f
                    re.update(repeating: 0, count: 2 * n * n)
                    for dy in 0..<s { for dx in 0..<s {
                        re[dy * n + dx] = w[o * f * s * s + (c * s + dy) * s + dx]
                        if pair { im[dy * n + dx] = w[o * f * s * s + ((c + 1) * s + dy) * s + dx] }
                    } }
                    fft.transform(re: re, im: im, inverse: false, inputColumns: s)
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let bin = ky * halfColumns + kx, dst = 2 * ((bin * h + o) * f + c)
                        let z = fft.separate(re: re, im: im, ky: ky, kx: kx)
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
            let fb = fp.baseAddress!, xb = xp.baseAddress!, re = bp.baseAddress!, im = re + n * n
            for by in 0..<blocksY { for bx in 0..<blocksX {
                let blk = by * blocksX + bx, y0 = by * block, x0 = bx * block
                let blockRows = min(n, rows - y0), blockCols = min(n, cols - x0)
                for c in stride(from: 0, to: f, by: 2) {
                    let pair = c + 1 < f
                    re.update(repeating: 0, count: 2 * n * n)
                    for i in 0..<blockRows {
                        let src = fb + (c * rows + y0 + i) * cols + x0
                        (re + i * n).update(from: src, count: blockCols)
                        if pair { (im + i * n).update(from: src + rows * cols, count: blockCols) }
                    }
                    fft.transform(re: re, im: im, inverse: false, inputColumns: blockCols)
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let bin = ky * halfColumns + kx, dst = 2 * ((bin * f + c) * nb + blk)
                        let z = fft.separate(re: re, im: im, ky: ky, kx: kx)
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
            let yb = yp.baseAddress!, ob = op.baseAddress!, re = bp.baseAddress!, im = re + n * n
            for by in 0..<blocksY { for bx in 0..<blocksX {
                let blk = by * blocksX + bx, y0 = by * block, x0 = bx * block
                let keepRows = min(block, outRows - y0), keepCols = min(block, outCols - x0)
                for o in stride(from: 0, to: h, by: 2) {
                    let pair = o + 1 < h
                    for ky in 0..<n { for kx in 0..<halfColumns {
                        let src = 2 * (((ky * halfColumns + kx) * h + o) * nb + blk)
                        let pr = yb[src], pi = yb[src + 1]
                        let qr = pair ? yb[src + 2 * nb] : 0, qi = pair ? yb[src + 2 * nb + 1] : 0
                        let k = ky * n + kx
                        re[k] = pr - qi; im[k] = pi + qr                           // Y_o + i·Y_o+1
                        if kx > 0 && kx < n / 2 {                                    // bin −k: conjugates
                            let m = ((n - ky) & (n - 1)) * n + (n - kx)
                            re[m] = pr + qi; im[m] = qr - pi
                        }
                    } }
                    fft.transform(re: re, im: im, inverse: true, outputRows: keepRows)
                    for i in 0..<keepRows {
                        let dst = ob + (o * outRows + y0 + i) * outCols + x0
                        for j in 0..<keepCols { dst[j] = re[i * n + j] * scale }
                        if pair {
                            let dst2 = dst + outRows * outCols
                            for j in 0..<keepCols { dst2[j] = im[i * n + j] * scale }
                        }
                    }
                }
            } }
        } } }
        return out
    }
}
