import Foundation
import GeoRaster
import Testing
import TestSupport
@testable import Terrain

/// The terrain pipeline on the real Loja DEM: network invariants, and gdaldem (the peer) cell for cell.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct LojaTerrainTests {
    static let dem: Grid<Float> = try! RasterIO.read(TestPaths.loja("dem.tif"), as: Float.self)

    /// After filling: no sinks, no cycles, every valid cell reaches an outlet, and accumulation at the
    /// outlets sums to the valid cell count (158,326).
    @Test func networkInvariants() throws {
        let filled = PriorityFlood.fill(Self.dem)
        let d8 = FlowDirections(filled)
        #expect(d8.sinks == 0)
        let routing = try FlowRouting(d8)  // throws on a cycle
        #expect(routing.order.count == 158_326)
        let cells = routing.accumulationCells()
        var atOutlets = 0
        for i in 0..<cells.count where d8.codes.values[i] == D8.outlet { atOutlets += Int(cells.values[i]) }
        #expect(atOutlets == 158_326)
        // Every valid cell's path ends at an edge cell (an outlet), within n steps.
        var position = [Int: Int]()
        for (k, i) in routing.order.enumerated() { position[Int(i)] = k }
        for i in 0..<cells.count where Self.dem.isValid(at: i) {
            if let r = d8.receiver(of: i) {
                #expect(position[r]! > position[i]!, "each cell comes before its receiver")
                #expect(filled.values[r] <= filled.values[i], "never flows uphill")
            } else {
                let row = i / cells.cols, col = i % cells.cols
                #expect(isEdgeCell(row, col, rows: cells.rows, cols: cells.cols, valid: { Self.dem.isValid(at: $0) }))
            }
        }
    }

    /// Same seed, one or two threads: parallel stages give identical results.
    @Test func deterministicAcrossRuns() {
        let a = Self.dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        let b = Self.dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .extrapolate)
        #expect(a.values == b.values)
        #expect(FlowDirections(Self.dem).codes.values == FlowDirections(Self.dem).codes.values)
    }

    /// Slope, aspect, TPI and roughness equal `gdaldem`'s on every cell whose 3 × 3 window is valid,
    /// to 1e-3 (the tolerance), with identical nodata masks in gdaldem's edge mode.
    @Test(arguments: [("slope", false), ("aspect", true), ("TPI", false), ("roughness", false)])
    func agreesWithGdaldem(mode: String, angular: Bool) throws {
        let dir = try TemporaryDirectory()
        let peerPath = dir.path("\(mode).tif")
        let result = try runProcess("gdaldem", [mode, TestPaths.loja("dem.tif"), peerPath, "-q"])
        try #require(result.status == 0, "gdaldem: \(result.stderr)")
        let peer = try RasterIO.read(peerPath, as: Float.self)
        let ours: Grid<Float>
        switch mode {
        case "slope": ours = Self.dem.apply(HornSlope(cellWidth: 10, cellHeight: 10), edges: .nodata)
        case "aspect": ours = Self.dem.apply(HornAspect(cellWidth: 10, cellHeight: 10), edges: .nodata)
        case "TPI": ours = Self.dem.apply(TopographicPositionIndex(), edges: .nodata)
        default: ours = Self.dem.apply(Roughness(), edges: .nodata)
        }
        let comparison = RasterComparison(ours, peer, tolerance: 1e-3, angularDegrees: angular)
        #expect(comparison.cells > 156_000)
        #expect(comparison.cellsOverTolerance == 0, "max |Δ| = \(comparison.maxAbsDifference)")
        #expect(comparison.validInOneOnly == 0, "same nodata cells as gdaldem")
    }
}
