import Foundation
import GeoRaster
import Testing
@testable import Terrain

/// Terrain operators on surfaces whose answers are known in closed form.
@Suite struct AnalyticTerrainTests {
    /// z(x, y) on a grid of `cell`-metre cells, row 0 north, x east from 0, y north from 0.
    static func surface(rows: Int, cols: Int, cell: Double, _ z: (Double, Double) -> Double) -> Grid<Float> {
        var values = [Float]()
        for row in 0..<rows {
            for col in 0..<cols {
                values.append(Float(z((Double(col) + 0.5) * cell, (Double(rows - row) - 0.5) * cell)))
            }
        }
        return Grid(rows: rows, cols: cols,
                    geoTransform: GeoTransform(originX: 0, pixelWidth: cell, originY: Double(rows) * cell, pixelHeight: -cell),
                    nodata: -9999, values: values)
    }

    /// On a plane z = 100 + p·x + q·y, Horn's slope is atan √(p² + q²) and the aspect is the azimuth of
    /// −∇z, exactly (Horn's stencil is exact for planes).
    @Test(arguments: [(0.3, 0.0, 270.0), (-0.3, 0.0, 90.0), (0.0, 0.5, 180.0), (0.0, -0.5, 0.0), (0.2, 0.2, 225.0), (-0.4, 0.4, 135.0)])
    func planeSlopeAndAspect(p: Double, q: Double, azimuth: Double) {
        let dem = Self.surface(rows: 7, cols: 9, cell: 10) { x, y in 100 + p * x + q * y }
        let slope = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .nodata)
        let aspect = dem.apply(HornAspect(cellWidth: 10, cellHeight: 10), edges: .nodata)
        let expectedSlope = atan((p * p + q * q).squareRoot()) * 180 / .pi
        #expect(abs(Double(slope[3, 4]) - expectedSlope) < 1e-3)
        let da = abs(Double(aspect[3, 4]) - azimuth)
        #expect(min(da, 360 - da) < 1e-3)
        #expect(slope[0, 0] == terrainNodata, "border cells are nodata in gdaldem's mode")
        let extrapolated = dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        #expect(abs(Double(extrapolated[0, 0]) - expectedSlope) < 1e-3, "linear extrapolation is exact on a plane")
    }

    /// On the bowl z = k(x² + y²) the Zevenbergen–Thorne quadratic is exact: D = E = k, F = 0, so profile
    /// curvature is −2k and plan curvature 2k wherever the gradient is non-zero.
    @Test func bowlCurvatures() {
        let k = 0.01
        let dem = Self.surface(rows: 11, cols: 11, cell: 5) { x, y in k * ((x - 27.5) * (x - 27.5) + (y - 27.5) * (y - 27.5)) }
        let profile = dem.apply(Curvature(.profile, cellSize: 5), edges: .nodata)
        let plan = dem.apply(Curvature(.plan, cellSize: 5), edges: .nodata)
        for (row, col) in [(2, 3), (5, 8), (8, 8), (4, 5)] {
            #expect(abs(Double(profile[row, col]) + 2 * k) < 1e-6)
            #expect(abs(Double(plan[row, col]) - 2 * k) < 1e-6)
        }
        #expect(profile[5, 5] == 0, "flat at the centre")
    }

    /// On a plane descending east with slope s, every cell drains east, so a cell in column c drains
    /// c + 1 cells: a = (c + 1)·L and TWI = ln((c + 1)·L / s), SPI = (c + 1)·L·s.
    @Test func wetnessAndStreamPowerOnAPlane() throws {
        let s = 0.25, cell = 10.0
        let dem = Self.surface(rows: 5, cols: 8, cell: cell) { x, _ in 500 - s * x }
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let cells = routing.accumulationCells()
        let a = HydrologicIndices.specificCatchmentArea(cells)
        let slope = dem.apply(HornSlope(cellWidth: cell, cellHeight: cell), edges: .extrapolate)
        let twi = HydrologicIndices.wetnessIndex(specificCatchmentArea: a, slopeDegrees: slope)
        let spi = HydrologicIndices.streamPowerIndex(specificCatchmentArea: a, slopeDegrees: slope)
        for col in 0..<8 {
            let sca = Double(col + 1) * cell
            #expect(abs(Double(a[2, col]) - sca) < 1e-9)
            #expect(abs(Double(twi[2, col]) - log(sca / s)) < 1e-4)
            #expect(abs(Double(spi[2, col]) - sca * s) < 1e-3)
        }
        let log10Area = HydrologicIndices.log10CatchmentArea(cells)
        #expect(abs(Double(log10Area[2, 3]) - log10(4 * cell * cell)) < 1e-6)
    }

    /// Z-model: the lowest cell gets h_max, the highest h_min, linearly between (METHODS.md A1).
    @Test func zModelSoilDepth() throws {
        let dem = grid([[1416, 1777], [2138, nil]])
        let h = try SoilDepthZModel.depth(dem, minMeters: 0.1, maxMeters: 3.0)
        #expect(abs(Double(h[0, 0]) - 3.0) < 1e-6)
        #expect(abs(Double(h[1, 0]) - 0.1) < 1e-6)
        #expect(abs(Double(h[0, 1]) - (3.0 - (1777.0 - 1416) / (2138 - 1416) * 2.9)) < 1e-5)
        #expect(h[1, 1] == terrainNodata)
        #expect(throws: TerrainError.self) { try SoilDepthZModel.depth(dem, minMeters: 2, maxMeters: 1) }
    }
}

/// Operators checked against brute force on seeded random grids.
@Suite struct BruteForceTerrainTests {
    struct LCG {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// The Felzenszwalb–Huttenlocher transform equals the minimum over all features of the Euclidean
    /// distance, on rectangular (2 m × 3 m) cells.
    @Test(arguments: [1, 2, 3, 4, 5])
    func distanceTransformIsExact(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let rows = 17, cols = 23, dx = 2.0, dy = 3.0
        let features = (0..<(rows * cols)).map { _ in rng.next() < 0.03 ? UInt8(1) : 0 }
        let grid = Grid(rows: rows, cols: cols,
                        geoTransform: GeoTransform(originX: 0, pixelWidth: dx, originY: 0, pixelHeight: -dy),
                        values: features)
        let d = DistanceTransform.euclidean(to: grid)
        let points = features.indices.filter { features[$0] == 1 }
        for i in 0..<(rows * cols) {
            let (r, c) = (i / cols, i % cols)
            let brute = points.map { p -> Double in
                let ddx = Double(p % cols - c) * dx, ddy = Double(p / cols - r) * dy
                return (ddx * ddx + ddy * ddy).squareRoot()
            }.min() ?? .infinity
            #expect(abs(Double(d.values[i]) - brute) < 1e-4 || (brute.isInfinite && d.values[i].isInfinite))
        }
    }

    /// Relief, incision and COV equal their definitions over the truncated window, ignoring nodata.
    @Test func windowStatisticsMatchBruteForce() throws {
        var rng = LCG(state: 99)
        let rows = 12, cols = 15, size = 5
        var dem = grid(Array(repeating: Array(repeating: Float?(0), count: cols), count: rows))
        for i in 0..<dem.count { dem.values[i] = rng.next() < 0.1 ? -9999 : Float(1000 + 200 * rng.next()) }
        let stats = try WindowStatistics(dem, size: size)
        for row in 0..<rows {
            for col in 0..<cols where dem.isValid(row: row, col: col) {
                var window: [Double] = []
                for r in max(0, row - 2)...min(rows - 1, row + 2) {
                    for c in max(0, col - 2)...min(cols - 1, col + 2) where dem.isValid(row: r, col: c) {
                        window.append(Double(dem[r, c]))
                    }
                }
                let mean = window.reduce(0, +) / Double(window.count)
                let sd = (window.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window.count)).squareRoot()
                #expect(abs(Double(stats.relief[row, col]) - (window.max()! - window.min()!)) < 1e-3)
                #expect(abs(Double(stats.incision[row, col]) - (mean - window.min()!)) < 1e-3)
                #expect(abs(Double(stats.coefficientOfVariation[row, col]) - sd / mean) < 1e-6)
            }
        }
        #expect(throws: TerrainError.self) { try WindowStatistics(dem, size: 4) }
    }

    /// Priority-Flood's result is the lowest surface without interior sinks: it never lowers a cell,
    /// leaves edge cells alone, and every cell has a non-ascending path to an edge (checked by a
    /// flood from the edges that only climbs or stays level).
    @Test(arguments: [11, 12, 13])
    func fillHasNoInteriorSinks(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let rows = 30, cols = 40
        var dem = grid(Array(repeating: Array(repeating: Float?(0), count: cols), count: rows))
        for i in 0..<dem.count { dem.values[i] = rng.next() < 0.02 ? -9999 : Float((10 * rng.next()).rounded()) }
        let filled = PriorityFlood.fill(dem)
        var reached = Set<Int>()
        var stack: [Int] = []
        for row in 0..<rows {
            for col in 0..<cols where dem.isValid(row: row, col: col) {
                let i = row * cols + col
                #expect(filled.values[i] >= dem.values[i])
                if isEdgeCell(row, col, rows: rows, cols: cols, valid: { dem.isValid(at: $0) }) {
                    #expect(filled.values[i] == dem.values[i])
                    reached.insert(i)
                    stack.append(i)
                }
            }
        }
        while let c = stack.popLast() {
            for k in 0..<8 {
                let r = c / cols + D8.rowOffsets[k], q = c % cols + D8.colOffsets[k]
                guard r >= 0, r < rows, q >= 0, q < cols else { continue }
                let n = r * cols + q
                if dem.isValid(at: n), !reached.contains(n), filled.values[n] >= filled.values[c] {
                    reached.insert(n)
                    stack.append(n)
                }
            }
        }
        #expect(reached.count == dem.validCount)
        // Minimality: lowering any raised cell by any amount would create a sink, i.e. each raised cell
        // has a neighbour at its filled level or below that is itself on an edge path.
        for i in 0..<dem.count where dem.isValid(at: i) && filled.values[i] > dem.values[i] {
            let (r0, c0) = (i / cols, i % cols)
            var hasLevelNeighbour = false
            for k in 0..<8 {
                let r = r0 + D8.rowOffsets[k], q = c0 + D8.colOffsets[k]
                guard r >= 0, r < rows, q >= 0, q < cols, dem.isValid(at: r * cols + q) else { continue }
                if filled.values[r * cols + q] <= filled.values[i] { hasLevelNeighbour = true }
            }
            #expect(hasLevelNeighbour)
        }
    }
}
