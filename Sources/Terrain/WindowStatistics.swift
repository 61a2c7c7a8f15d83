import GeoRaster

/// Statistics of elevation over a square moving window (Study B's relief, surface incision and
/// elevation coefficient of variation), ignoring nodata; near edges the window is truncated.
///
/// - relief (terrain relief, "地形起伏度") = max − min;
/// - surface incision ("地表切割深度") = mean − min;
/// - elevation COV = σ / μ (population σ).
///
/// Sums come from summed-area tables in double precision and extrema from separable running passes,
/// so the cost is O(n · size) for extrema and O(n) for moments.
public struct WindowStatistics: Sendable {
    public let relief: Grid<Float>
    public let incision: Grid<Float>
    public let coefficientOfVariation: Grid<Float>

    /// - Parameter size: window side in cells, odd and ≥ 3.
    public init(_ dem: Grid<Float>, size: Int) throws {
        guard size >= 3, size % 2 == 1 else {
            throw TerrainError.invalidParameter(name: "window size", value: "\(size)", expected: "an odd number ≥ 3")
        }
        let rows = dem.rows, cols = dem.cols, r = size / 2
        let z = dem.values
        let valid = (0..<z.count).map { dem.isValid(at: $0) }

        // Summed-area tables of count, sum, sum of squares; (rows+1) × (cols+1).
        let stride = cols + 1
        var count = [Double](repeating: 0, count: (rows + 1) * stride)
        var sum = count, squares = count
        for row in 0..<rows {
            var c = 0.0, s = 0.0, q = 0.0
            for col in 0..<cols {
                let i = row * cols + col
                if valid[i] {
                    let v = Double(z[i])
                    c += 1; s += v; q += v * v
                }
                let t = (row + 1) * stride + col + 1
                count[t] = count[t - stride] + c
                sum[t] = sum[t - stride] + s
                squares[t] = squares[t - stride] + q
            }
        }
        // Running extrema: along rows, then along columns.
        var rowMin = [Float](repeating: .infinity, count: z.count), rowMax = [Float](repeating: -.infinity, count: z.count)
        for row in 0..<rows {
            for col in 0..<cols {
                var lo = Float.infinity, hi = -Float.infinity
                for q in Swift.max(0, col - r)...Swift.min(cols - 1, col + r) where valid[row * cols + q] {
                    lo = Swift.min(lo, z[row * cols + q])
                    hi = Swift.max(hi, z[row * cols + q])
                }
                rowMin[row * cols + col] = lo
                rowMax[row * cols + col] = hi
            }
        }
        var relief = [Float](repeating: terrainNodata, count: z.count)
        var incision = relief, cov = relief
        for row in 0..<rows {
            let top = Swift.max(0, row - r), bottom = Swift.min(rows - 1, row + r)
            for col in 0..<cols {
                let i = row * cols + col
                guard valid[i] else { continue }
                var lo = Float.infinity, hi = -Float.infinity
                for p in top...bottom {
                    lo = Swift.min(lo, rowMin[p * cols + col])
                    hi = Swift.max(hi, rowMax[p * cols + col])
                }
                let left = Swift.max(0, col - r), right = Swift.min(cols - 1, col + r)
                func box(_ t: [Double]) -> Double {
                    t[(bottom + 1) * stride + right + 1] - t[top * stride + right + 1]
                        - t[(bottom + 1) * stride + left] + t[top * stride + left]
                }
                let n = box(count), mean = box(sum) / n
                let variance = Swift.max(0, box(squares) / n - mean * mean)
                relief[i] = hi - lo
                incision[i] = Float(mean - Double(lo))
                cov[i] = mean != 0 ? Float(variance.squareRoot() / abs(mean)) : terrainNodata
            }
        }
        self.relief = Grid(like: dem, nodata: terrainNodata, values: relief)
        self.incision = Grid(like: dem, nodata: terrainNodata, values: incision)
        self.coefficientOfVariation = Grid(like: dem, nodata: terrainNodata, values: cov)
    }
}
