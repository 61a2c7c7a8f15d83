import GeoRaster
import Testing
@testable import Terrain

/// A hand-made grid of 1 m cells (row 0 north); `nil` is nodata.
func grid(_ rows: [[Float?]]) -> Grid<Float> {
    let values = rows.flatMap { $0.map { $0 ?? -9999 } }
    return Grid(rows: rows.count, cols: rows[0].count,
                geoTransform: GeoTransform(originX: 0, pixelWidth: 1, originY: Double(rows.count), pixelHeight: -1),
                nodata: -9999, values: values)
}

/// ESRI D8 codes written out by hand, keyed by (row offset, column offset).
let esri: [String: UInt8] = ["0,1": 1, "1,1": 2, "1,0": 4, "1,-1": 8, "0,-1": 16, "-1,-1": 32, "-1,0": 64, "-1,1": 128]

/// RichDEM-style golden grids for filling, D8 and accumulation, each expectation worked out by hand.
@Suite struct GoldenGridTests {
    @Test(arguments: Array(esri.keys))
    func eachOfTheEightDirections(offset: String) throws {
        let parts = offset.split(separator: ",").map { Int($0)! }
        var rows: [[Float?]] = Array(repeating: Array(repeating: 9, count: 3), count: 3)
        rows[1][1] = 5
        rows[1 + parts[0]][1 + parts[1]] = 1
        let dem = grid(rows)
        #expect(PriorityFlood.fill(dem).values == dem.values, "nothing to fill")
        let d8 = FlowDirections(PriorityFlood.fill(dem))
        #expect(d8.codes[1, 1] == esri[offset])
    }

    /// Steepest descent divides the drop by the distance: E drops 3 over 1, SE drops 4 over √2 (2.83),
    /// so E wins; with SE dropping 5 (3.54) SE wins.
    @Test func diagonalDistanceIsRootTwo() {
        let east = FlowDirections(grid([[20, 20, 20], [20, 10, 7], [20, 20, 6]]))
        #expect(east.codes[1, 1] == 1)
        let southeast = FlowDirections(grid([[20, 20, 20], [20, 10, 7], [20, 20, 5]]))
        #expect(southeast.codes[1, 1] == 2)
    }

    /// A tilted plane descending east: every cell drains east; the east column is the outlet row.
    @Test func gridEdgeOutlets() throws {
        let dem = grid([[4, 3, 2, 1], [4, 3, 2, 1], [4, 3, 2, 1]])
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        #expect(routing.directions.codes.values == [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0])
        #expect(routing.directions.outlets == 3)
        #expect(routing.accumulationCells().values == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
    }

    /// A pit at 1 inside a rim of 8 with the only spill at (3, 4) = 7: filling raises the pit to 8 and
    /// nothing else; the 3 × 3 flat of 8 then drains through (3, 3) → (3, 4), which collects all 25 cells.
    @Test func pitIsFilledToItsSpillLevel() throws {
        let dem = grid([
            [9, 9, 9, 9, 9],
            [9, 8, 8, 8, 9],
            [9, 8, 1, 8, 9],
            [9, 8, 8, 8, 7],
            [9, 9, 9, 9, 9],
        ])
        let filled = PriorityFlood.fill(dem)
        var expected = dem.values
        expected[2 * 5 + 2] = 8
        #expect(filled.values == expected)
        let routing = try FlowRouting(FlowDirections(filled))
        let d8 = routing.directions
        #expect(d8.sinks == 0)
        #expect(d8.outlets == 1 && d8.codes[3, 4] == D8.outlet)
        #expect(d8.codes[3, 3] == 1, "(3,3) drops east to the spill")
        #expect(d8.codes[2, 3] == 2, "(2,3) drops south-east to the spill")
        #expect(d8.flatCellsResolved == 7, "the other 7 cells of the level 3 × 3 are routed across the flat")
        #expect(routing.accumulationCells()[3, 4] == 25)
    }

    /// A plateau of 5 with one exit (4, 2) = 4: the six cells of rows 1–2 have no lower neighbour and
    /// are routed across the flat; every cell drains to the single outlet.
    @Test func flatIsRoutedTowardLowerTerrain() throws {
        let dem = grid([
            [9, 9, 9, 9, 9],
            [9, 5, 5, 5, 9],
            [9, 5, 5, 5, 9],
            [9, 5, 5, 5, 9],
            [9, 9, 4, 9, 9],
        ])
        let routing = try FlowRouting(FlowDirections(PriorityFlood.fill(dem)))
        let d8 = routing.directions
        #expect(d8.flatCellsResolved == 6)
        #expect(d8.sinks == 0 && d8.outlets == 1)
        #expect(d8.codes[3, 1] == 2 && d8.codes[3, 2] == 4 && d8.codes[3, 3] == 8, "row 3 drops to the exit")
        // Row 2 reaches row 3 in one step, row 1 in two: the flat gradient points toward the exit.
        for col in 1...3 {
            let fromRow2 = d8.receiver(of: 2 * 5 + col)!
            #expect(fromRow2 / 5 == 3)
            let fromRow1 = d8.receiver(of: 1 * 5 + col)!
            #expect(fromRow1 / 5 == 2)
        }
        #expect(routing.accumulationCells()[4, 2] == 25)
    }

    /// A nodata hole ringed by 6 inside a border of 9: the ring cells touch nodata, have no lower
    /// neighbour, and so are 8 outlets; nothing is filled; the 24 valid cells all reach them.
    @Test func nodataHoleMakesOutlets() throws {
        let dem = grid([
            [9, 9, 9, 9, 9],
            [9, 6, 6, 6, 9],
            [9, 6, nil, 6, 9],
            [9, 6, 6, 6, 9],
            [9, 9, 9, 9, 9],
        ])
        let filled = PriorityFlood.fill(dem)
        #expect(filled.values == dem.values)
        let routing = try FlowRouting(FlowDirections(filled))
        let d8 = routing.directions
        #expect(d8.outlets == 8 && d8.sinks == 0)
        #expect(d8.codes[2, 2] == D8.nodata)
        let cells = routing.accumulationCells()
        #expect(cells[2, 2] == -1)
        var atOutlets: Int32 = 0
        for i in 0..<25 where d8.codes.values[i] == D8.outlet { atOutlets += cells.values[i] }
        #expect(atOutlets == 24)
        #expect(d8.codes[0, 0] == 2, "the corner drains south-east into the ring")
    }

    /// Two nested depressions: the inner pit (1) and its basin (4) fill to the basin's spill (5).
    @Test func nestedDepressions() {
        let dem = grid([
            [9, 9, 9, 9, 9, 9],
            [9, 4, 4, 4, 4, 9],
            [9, 4, 1, 4, 4, 5],
            [9, 4, 4, 4, 4, 9],
            [9, 9, 9, 9, 9, 9],
        ])
        let filled = PriorityFlood.fill(dem)
        let expected: [Float] = [
            9, 9, 9, 9, 9, 9,
            9, 5, 5, 5, 5, 9,
            9, 5, 5, 5, 5, 5,
            9, 5, 5, 5, 5, 9,
            9, 9, 9, 9, 9, 9,
        ]
        #expect(filled.values == expected)
    }

    @Test func unfilledPitIsASinkAndCountsAsOne() throws {
        let d8 = FlowDirections(grid([[9, 9, 9], [9, 1, 9], [9, 9, 9]]))
        #expect(d8.sinks == 1)
        #expect(d8.codes[1, 1] == 0)
    }

    @Test func cycleIsReported() throws {
        // Hand-made directions E then W between two cells: a two-cell cycle.
        var d8 = FlowDirections(grid([[5, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 5]]))
        var codes = d8.codes
        codes[1, 1] = 1
        codes[1, 2] = 16
        d8 = FlowDirections(replacing: d8, codes: codes)
        #expect(throws: TerrainError.flowCycle(cells: 2)) { try FlowRouting(d8) }
    }
}
