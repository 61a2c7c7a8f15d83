import Foundation
import GeoRaster
import Randomness

/// Deterministic fractal terrain for benchmarks and synthetic studies.
public enum SyntheticSurface {
    /// Fractional Brownian motion by octaves of smoothed value noise: octave o has lattice spacing
    /// `baseCells / 2^o` and amplitude `persistence^o`; the sum is scaled to [minElevation, maxElevation].
    /// A gentle regional tilt (`tilt` of the range, falling north → south) gives the surface a drainage
    /// direction. The same seed gives the same surface on any machine.
    public static func fractal(rows: Int, cols: Int, cellSize: Double, seed: UInt64, baseCells: Double = 256,
                               octaves: Int = 8, persistence: Double = 0.5, minElevation: Double = 1416,
                               maxElevation: Double = 2138, tilt: Double = 0.3,
                               origin: (x: Double, y: Double) = (500_000, 4_000_000), crs: CRS? = nil) -> Grid<Float> {
        var z = [Float](repeating: 0, count: rows * cols)  // accumulated in place: one Float32 grid of memory
        var amplitude = 1.0, spacing = baseCells
        for octave in 0..<octaves {
            // Lattice values come from hashing (seed, octave, lattice point): no lattice in memory.
            let octaveSeed = SeededGenerator(seed: seed).split(UInt64(octave)).seed
            @inline(__always) func lattice(_ y: Int, _ x: Int) -> Double {
                SeededGenerator.hashUnit(octaveSeed, UInt64(y) << 32 | UInt64(x)) * 2 - 1
            }
            let a = amplitude, step = spacing
            z.withSharedBuffer { out in
                parallelChunks(rows) { range in
                    for row in range {
                        let fy = Double(row) / step, y0 = Int(fy), ty = smooth(fy - Double(y0))
                        for col in 0..<cols {
                            let fx = Double(col) / step, x0 = Int(fx), tx = smooth(fx - Double(x0))
                            let v00 = lattice(y0, x0), v01 = lattice(y0, x0 + 1)
                            let v10 = lattice(y0 + 1, x0), v11 = lattice(y0 + 1, x0 + 1)
                            let top = v00 + (v01 - v00) * tx, bottom = v10 + (v11 - v10) * tx
                            out[row * cols + col] += Float(a * (top + (bottom - top) * ty))
                        }
                    }
                }
            }
            amplitude *= persistence
            spacing = max(1, spacing / 2)
        }
        for row in 0..<rows {
            let fall = Float(2 * tilt * Double(row) / Double(max(1, rows - 1)))
            for col in 0..<cols { z[row * cols + col] -= fall }
        }
        let lo = Double(z.min() ?? 0), hi = Double(z.max() ?? 1)
        let scale = hi > lo ? (maxElevation - minElevation) / (hi - lo) : 0
        for i in z.indices { z[i] = Float(minElevation + (Double(z[i]) - lo) * scale) }
        return Grid(rows: rows, cols: cols,
                    geoTransform: GeoTransform(originX: origin.x, pixelWidth: cellSize, originY: origin.y, pixelHeight: -cellSize),
                    crs: crs, nodata: -9999, values: z)
    }

    @inline(__always) private static func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
}
