import Foundation
@testable import NeuralNet
import Randomness
import Testing

/// The dense map's 2-D FFT against the discrete Fourier transform summed term by term (in Double),
/// and the separation of two real signals transformed together.
@Suite struct FFTTests {
    /// Z[ky, kx] = Σ_y Σ_x z[y, x] e^{∓2πi(ky·y + kx·x)/n}.
    static func dft(_ re: [Double], _ im: [Double], n: Int, inverse: Bool) -> (re: [Double], im: [Double]) {
        var outRe = [Double](repeating: 0, count: n * n), outIm = outRe
        let sign = inverse ? 1.0 : -1.0
        for ky in 0..<n { for kx in 0..<n {
            var sr = 0.0, si = 0.0
            for y in 0..<n { for x in 0..<n {
                let a = sign * 2 * Double.pi * Double(ky * y + kx * x) / Double(n)
                sr += re[y * n + x] * cos(a) - im[y * n + x] * sin(a)
                si += re[y * n + x] * sin(a) + im[y * n + x] * cos(a)
            } }
            outRe[ky * n + kx] = sr; outIm[ky * n + kx] = si
        } }
        return (outRe, outIm)
    }

    @Test(arguments: [(8, false), (8, true), (16, false), (32, true)])
    func transformEqualsTheSum(n: Int, inverse: Bool) {
        var g = SeededGenerator(seed: UInt64(n))
        let re = (0..<(n * n)).map { _ in g.nextNormal() }, im = (0..<(n * n)).map { _ in g.nextNormal() }
        var fr = re.map(Float.init), fi = im.map(Float.init)
        FFT2D(n: n).transform(re: &fr, im: &fi, inverse: inverse)
        let (er, ei) = Self.dft(re, im, n: n, inverse: inverse)
        let worst = (0..<(n * n)).map { max(abs(Double(fr[$0]) - er[$0]), abs(Double(fi[$0]) - ei[$0])) }.max()!
        #expect(worst <= 1e-5 * Double(n * n), "max |FFT − DFT| = \(worst)")
    }

    @Test func pruningKeepsWhatIsAskedFor() {
        let n = 16
        var g = SeededGenerator(seed: 3)
        // Input zero beyond column 5: the pruned first pass gives the full transform.
        let re = (0..<(n * n)).map { ($0 % n) < 5 ? Float(g.nextNormal()) : 0 }, im = (0..<(n * n)).map { ($0 % n) < 5 ? Float(g.nextNormal()) : 0 }
        var ar = re, ai = im, br = re, bi = im
        FFT2D(n: n).transform(re: &ar, im: &ai, inverse: false)
        FFT2D(n: n).transform(re: &br, im: &bi, inverse: false, inputColumns: 5)
        #expect(ar == br && ai == bi)
        // Only the first 7 rows of an inverse: those rows as in the full inverse.
        var cr = re, ci = im, dr = re, di = im
        FFT2D(n: n).transform(re: &cr, im: &ci, inverse: true)
        FFT2D(n: n).transform(re: &dr, im: &di, inverse: true, outputRows: 7)
        #expect(Array(cr[0..<(7 * n)]) == Array(dr[0..<(7 * n)]) && Array(ci[0..<(7 * n)]) == Array(di[0..<(7 * n)]))
    }

    @Test func twoRealSignalsSeparate() {
        let n = 8
        var g = SeededGenerator(seed: 4)
        let a = (0..<(n * n)).map { _ in g.nextNormal() }, b = (0..<(n * n)).map { _ in g.nextNormal() }
        var zr = a.map(Float.init), zi = b.map(Float.init)
        let fft = FFT2D(n: n)
        fft.transform(re: &zr, im: &zi, inverse: false)
        let (ar, ai) = Self.dft(a, [Double](repeating: 0, count: n * n), n: n, inverse: false)
        let (br, bi) = Self.dft(b, [Double](repeating: 0, count: n * n), n: n, inverse: false)
        var worst = 0.0
        zr.withUnsafeBufferPointer { rp in zi.withUnsafeBufferPointer { ip in
            for ky in 0..<n { for kx in 0..<n {
                let z = fft.separate(re: rp.baseAddress!, im: ip.baseAddress!, ky: ky, kx: kx), k = ky * n + kx
                worst = max(worst, abs(Double(z.aRe) - ar[k]), abs(Double(z.aIm) - ai[k]), abs(Double(z.bRe) - br[k]),
                            abs(Double(z.bIm) - bi[k]))
            } }
        } }
        #expect(worst <= 1e-4, "max |separated − DFT of each| = \(worst)")
    }
}
