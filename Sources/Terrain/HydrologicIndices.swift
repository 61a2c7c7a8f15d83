import Foundation
import GeoRaster

/// Indices from flow accumulation and slope (Moore, Grayson & Ladson 1991; Beven & Kirkby 1979).
public enum HydrologicIndices {
    /// Slopes below this tangent are raised to it in TWI and SPI so that flat cells stay finite
    /// (tan β = 0.001, about 0.057°).
    public static let minimumTanSlope = 0.001

    /// Specific catchment area a (m²/m = m): contributing area (cells × cell area) per unit contour
    /// width, the width taken as the cell width.
    public static func specificCatchmentArea(_ cells: Grid<Int32>) -> Grid<Float> {
        let dx = abs(cells.geoTransform.pixelWidth), dy = abs(cells.geoTransform.pixelHeight)
        return Grid(like: cells, nodata: terrainNodata,
                    values: cells.values.map { $0 < 0 ? terrainNodata : Float(Double($0) * dx * dy / dx) })
    }

    /// log₁₀ of the contributing area (m²): cells draining through × cell area (the `log10_carea`
    /// predictor of Muenchow et al. 2012, there from SAGA's multiple-flow-direction area).
    public static func log10CatchmentArea(_ cells: Grid<Int32>) -> Grid<Float> {
        let area = abs(cells.geoTransform.pixelWidth * cells.geoTransform.pixelHeight)
        return Grid(like: cells, nodata: terrainNodata,
                    values: cells.values.map { $0 < 0 ? terrainNodata : Float(log10(Double($0) * area)) })
    }

    /// Topographic wetness index TWI = ln(a / tan β) (Beven & Kirkby 1979).
    public static func wetnessIndex(specificCatchmentArea a: Grid<Float>, slopeDegrees: Grid<Float>) -> Grid<Float> {
        combine(a, slopeDegrees) { a, tanB in Float(log(a / tanB)) }
    }

    /// Stream power index SPI = a · tan β (Moore et al. 1991).
    public static func streamPowerIndex(specificCatchmentArea a: Grid<Float>, slopeDegrees: Grid<Float>) -> Grid<Float> {
        combine(a, slopeDegrees) { a, tanB in Float(a * tanB) }
    }

    private static func combine(_ a: Grid<Float>, _ slope: Grid<Float>, _ f: (Double, Double) -> Float) -> Grid<Float> {
        precondition(a.rows == slope.rows && a.cols == slope.cols, "grids must be aligned")
        var out = [Float](repeating: terrainNodata, count: a.count)
        for i in 0..<a.count where a.isValid(at: i) && slope.isValid(at: i) {
            let tanB = Swift.max(tan(Double(slope.values[i]) * .pi / 180), minimumTanSlope)
            out[i] = f(Double(a.values[i]), tanB)
        }
        return Grid(like: a, nodata: terrainNodata, values: out)
    }

    /// Stream cells: 1 where at least `thresholdCells` cells drain through, 0 elsewhere, 255 nodata.
    public static func streams(_ cells: Grid<Int32>, thresholdCells: Int) -> Grid<UInt8> {
        Grid(like: cells, nodata: 255, values: cells.values.map { $0 < 0 ? 255 : ($0 >= thresholdCells ? 1 : 0) })
    }
}

/// Exact Euclidean distance transform by the lower envelope of parabolas (Felzenszwalb &
/// Huttenlocher 2012, "Distance transforms of sampled functions", Theory of Computing 8:415–428),
/// separable: columns then rows, with the cell height and width as the sample spacings, so distances
/// are exact in map units on rectangular cells. O(n).
public enum DistanceTransform {
    /// Distance (map units) from each cell centre to the nearest centre of a feature cell
    /// (`features[i] == 1`). Output nodata where `mask` is invalid; +∞ everywhere if no feature exists.
    public static func euclidean(to features: Grid<UInt8>, mask: Grid<Float>? = nil) -> Grid<Float> {
        let rows = features.rows, cols = features.cols
        let dx = abs(features.geoTransform.pixelWidth), dy = abs(features.geoTransform.pixelHeight)
        var f = features.values.map { $0 == 1 ? 0.0 : Double.infinity }
        // Columns.
        var column = [Double](repeating: 0, count: rows)
        for col in 0..<cols {
            for row in 0..<rows { column[row] = f[row * cols + col] }
            let d = lowerEnvelope(column, spacing: dy)
            for row in 0..<rows { f[row * cols + col] = d[row] }
        }
        // Rows.
        for row in 0..<rows {
            let d = lowerEnvelope(Array(f[(row * cols)..<(row * cols + cols)]), spacing: dx)
            for col in 0..<cols { f[row * cols + col] = d[col] }
        }
        var out = f.map { Float($0.squareRoot()) }
        if let mask {
            for i in 0..<out.count where !mask.isValid(at: i) { out[i] = terrainNodata }
        }
        return Grid(like: features, nodata: terrainNodata, values: out)
    }

    /// 1-D squared distance transform of `f` sampled at q · spacing: min over p of (q−p)²·s² + f(p).
    static func lowerEnvelope(_ f: [Double], spacing s: Double) -> [Double] {
        let n = f.count
        var d = [Double](repeating: .infinity, count: n)
        var v = [Int](repeating: 0, count: n)          // parabola vertices
        var z = [Double](repeating: 0, count: n + 1)   // boundaries between parabolas
        var k = -1
        for q in 0..<n where f[q].isFinite {
            let xq = Double(q) * s
            while k >= 0 {
                let xv = Double(v[k]) * s
                let boundary = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv))
                if boundary <= z[k] { k -= 1 } else {
                    k += 1
                    v[k] = q
                    z[k] = boundary
                    z[k + 1] = .infinity
                    break
                }
            }
            if k < 0 {
                k = 0
                v[0] = q
                z[0] = -.infinity
                z[1] = .infinity
            }
        }
        guard k >= 0 else { return d }
        var j = 0
        for q in 0..<n {
            let xq = Double(q) * s
            while z[j + 1] < xq { j += 1 }
            let dxv = xq - Double(v[j]) * s
            d[q] = dxv * dxv + f[v[j]]
        }
        return d
    }
}

/// Soil thickness by the Z-model (METHODS.md A1; Cui et al. 2024 after Saulnier et al. 1997):
///
///     h_i = h_max − (Z_i − Z_min) / (Z_max − Z_min) · (h_max − h_min)
///
/// thickest at the lowest cell, thinnest at the highest; Z_min and Z_max over the valid cells.
public enum SoilDepthZModel {
    public static func depth(_ dem: Grid<Float>, minMeters: Double, maxMeters: Double) throws -> Grid<Float> {
        guard minMeters > 0, maxMeters > minMeters else {
            throw TerrainError.invalidParameter(name: "soil depth range", value: "\(minMeters)…\(maxMeters) m",
                                                expected: "0 < h_min < h_max")
        }
        guard let range = dem.validRange else { return Grid(like: dem, nodata: terrainNodata, values: dem.values) }
        let zMin = Double(range.lowerBound), span = Double(range.upperBound) - zMin
        var out = [Float](repeating: terrainNodata, count: dem.count)
        for i in 0..<dem.count where dem.isValid(at: i) {
            let t = span > 0 ? (Double(dem.values[i]) - zMin) / span : 0
            out[i] = Float(maxMeters - t * (maxMeters - minMeters))
        }
        return Grid(like: dem, nodata: terrainNodata, values: out)
    }
}
