import Foundation
@testable import ExperimentKit
import GeoRaster
import Stages
import StudyCore
import Susceptibility
import Testing
import TestSupport
import Twin

/// Issue G6: a landslide inventory of polygons. Every cell whose centre lies inside is a landslide cell;
/// `inventory.polygon_cells` picks the samples; no negative falls on a landslide cell.
@Suite struct PolygonInventoryTests {
    /// A GeoJSON FeatureCollection of polygons (rings as [[x, y]]) in EPSG:`epsg`.
    static func geoJSON(_ polygons: [[[Double]]], epsg: Int = 32717) -> String {
        let features = polygons.map { ring in
            let coordinates = (ring + [ring[0]]).map { "[\($0[0]), \($0[1])]" }.joined(separator: ", ")
            return #"{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[\#(coordinates)]]}}"#
        }
        return #"{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::\#(epsg)"}}, "#
            + #""features": [\#(features.joined(separator: ", "))]}"#
    }

    /// A 10 × 10 grid of 10 m cells, origin (0, 100), elevation rising to the east (col) and north.
    static func grid() throws -> Grid<Float> {
        var values = [Float](repeating: 0, count: 100)
        for i in 0..<100 { values[i] = Float(10 * (9 - i / 10) + i % 10) }
        let transform = GeoTransform(originX: 0, pixelWidth: 10, originY: 100, pixelHeight: -10)
        let crs = try CRS("EPSG:32717")
        return Grid<Float>(rows: 10, cols: 10, geoTransform: transform, crs: crs, nodata: -9999, values: values)
    }

    /// A square of 3 × 3 cell centres (rows 2–4, cols 2–4), and a crescent (a "C" open to the east)
    /// whose area centroid lies in its opening, outside it.
    static let square: [[Double]] = [[20, 80], [50, 80], [50, 50], [20, 50]]
    static let crescent: [[Double]] = [[60, 100], [100, 100], [100, 90], [70, 90], [70, 70], [100, 70], [100, 60], [60, 60]]

    static func locate(_ mode: PolygonCells) throws -> PolygonInventory {
        let dir = try TemporaryDirectory()
        let path = try dir.write(geoJSON([square, crescent]), to: "scarps.geojson")
        #expect(try VectorIO.holdsPolygons(path))
        return try PolygonInventory.locate(try VectorIO.readPolygons(path), on: try grid(), mode: mode, policy: .drop,
                                           gridName: "the grid")
    }

    @Test func everyCellWhoseCentreLiesInsideIsALandslideCell() throws {
        let inventory = try Self.locate(.all)
        func cell(_ row: Int, _ col: Int) -> Int { row * 10 + col }
        #expect(inventory.cells[0] == [cell(2, 2), cell(2, 3), cell(2, 4), cell(3, 2), cell(3, 3), cell(3, 4),
                                       cell(4, 2), cell(4, 3), cell(4, 4)])
        // The crescent: the top arm (row 0, cols 6–9), the back (col 6, rows 1–2) and the bottom arm (row 3, cols 6–9).
        #expect(inventory.cells[1] == [cell(0, 6), cell(0, 7), cell(0, 8), cell(0, 9), cell(1, 6), cell(2, 6),
                                       cell(3, 6), cell(3, 7), cell(3, 8), cell(3, 9)])
        #expect(inventory.footprint == (inventory.cells[0] + inventory.cells[1]).sorted())
        #expect(inventory.samples == inventory.cells[0] + inventory.cells[1])
        #expect(inventory.centroidOutside == 1 && inventory.offGrid == 0 && inventory.subCell == 0)
    }

    @Test func centroidAndHighestGiveOneSamplePerPolygon() throws {
        let centroid = try Self.locate(.centroid)
        // The square's centroid (35, 65) is in cell (3, 3); the crescent's lies in its opening, so its sample
        // is the crescent's cell nearest to it, on its back (col 6).
        #expect(centroid.samples.count == 2 && centroid.samples[0] == 33)
        #expect(centroid.cells[1].contains(centroid.samples[1]) && centroid.samples[1] % 10 == 6)
        let highest = try Self.locate(.highest)
        // Elevation rises to the north-east: the square's highest cell is (2, 4), the crescent's (0, 9).
        #expect(highest.samples == [24, 9])
    }

    /// On a twin whose inventory is polygons (3 × 3-cell scarps around its landslides), no negative of any
    /// sampler falls on a landslide cell, and `landslide info` counts the polygons and their cells.
    @Test(arguments: [SamplerKind.random, .buffer, .slope])
    func noNegativeFallsInsideAPolygon(_ sampler: SamplerKind) throws {
        let dir = try TemporaryDirectory()
        _ = try Twin.generate(TwinTests.smallOptions(), directory: dir.path("twin"))
        let base = try StudyConfig.load(dir.path("twin/twin.yaml"))
        let points = try VectorIO.readPoints(base.inventory.path, options: try base.inventory.readOptions())
        let dem = try StudyInputs.readDEM(base.demPath)
        let cell = abs(dem.geoTransform.pixelWidth)
        let squares = points.points.map { p in
            [[p.x - 1.5 * cell, p.y + 1.5 * cell], [p.x + 1.5 * cell, p.y + 1.5 * cell],
             [p.x + 1.5 * cell, p.y - 1.5 * cell], [p.x - 1.5 * cell, p.y - 1.5 * cell]]
        }
        try dir.write(Self.geoJSON(squares, epsg: try #require(dem.crs?.epsg)), to: "twin/scarps.geojson")
        var yaml = try String(contentsOfFile: dir.path("twin/twin.yaml"), encoding: .utf8)
        // One sample per polygon (its centroid's cell): the other cells of a polygon are landslide cells that
        // no sample marks, which only the footprint keeps negatives off.
        yaml = yaml.replacingOccurrences(of: "path: landslides.csv", with: "path: scarps.geojson\n  polygon_cells: centroid")
        try dir.write(yaml, to: "twin/polygons.yaml")
        let context = try StudyContext(try StudyConfig.load(dir.path("twin/polygons.yaml")))
        let polygons = try #require(context.inputs.polygonInventory)
        #expect(polygons.cells.count == points.count)
        let footprint = Set(context.inputs.landslideFootprint)
        #expect(footprint.count > 4 * points.count, "\(footprint.count) landslide cells from \(points.count) polygons")
        #expect(context.inputs.inventoryOnGrid.cellIndices.count == points.count)
        var options = SampleRun.Options()
        options.sampler = sampler
        // Ten negatives per landslide: about 600 draws, so that a sampler blind to the polygons' other cells
        // (≈ 2 % of the grid) would put some on them.
        options.common.ratio = 10
        options.common.minimumSpacingMeters = 0
        options.maximumSlopeDegrees = 20
        options.bufferMeters = 50
        let summary = try SampleRun.run(context, options: options, outputPath: dir.path("samples.csv"))
        #expect(summary.negatives > 0)
        let rows = try String(contentsOfFile: dir.path("samples.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        let negatives = rows.map { $0.split(separator: ",").compactMap { Double($0) } }.filter { $0[2] == 0 }
        let onLandslide = negatives.filter { p in
            dem.cell(containingX: p[0], y: p[1]).map { footprint.contains(dem.index(row: $0.row, col: $0.col)) } ?? false
        }
        #expect(onLandslide.isEmpty, "\(sampler.rawValue): \(onLandslide.count) negatives on landslide cells")
        let info = try StudyInfo.gather(context)
        #expect(info.inventory.polygons?.polygons == points.count && info.inventory.polygons?.footprintCells == footprint.count)
    }

    /// `landslide twin --polygons`: the twin's inventory is its scarps (landslides.geojson), every one on
    /// the grid, each covering a few cells, and the config reads them as polygons.
    @Test func twinWritesScarpPolygons() throws {
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions()
        o.polygons = true
        let summary = try Twin.generate(o, directory: dir.path("twin"))
        #expect(summary.files.contains("landslides.geojson"))
        let context = try StudyContext(try StudyConfig.load(dir.path("twin/twin.yaml")))
        let polygons = try #require(context.inputs.polygonInventory)
        #expect(polygons.cells.count == o.landslides && polygons.offGrid == 0)
        // Ellipses of 1.2–3 by 0.7–1.5 cells cover about π·a·b ≈ 2.6–14 cells each.
        let perPolygon = Double(polygons.cells.map(\.count).reduce(0, +)) / Double(o.landslides)
        #expect((2...14).contains(perPolygon), "\(perPolygon) cells per scarp")
        #expect(context.inputs.inventoryOnGrid.cellIndices == polygons.samples)
    }

    /// The experiments' common test keeps off every landslide cell: the study's non-landslide evaluation
    /// points on a polygon are left out (and said), and without evaluation points the random test negatives
    /// avoid the polygons, which the results say too.
    @Test func commonTestNegativesKeepOffPolygonsAndSayWhatTheyAre() throws {
        let dir = try TemporaryDirectory()
        var o = TwinTests.smallOptions()
        o.polygons = true
        _ = try Twin.generate(o, directory: dir.path("twin"))
        let context = try StudyContext(try StudyConfig.load(dir.path("twin/twin.yaml")))
        let setup = try ExperimentSetup(context, seed: 3, factors: ["slope"])
        let footprint = Set(setup.footprint)
        #expect(!setup.commonNegatives.contains { footprint.contains($0) })
        let ev = try #require(context.inputs.evaluation)
        let onPolygons = zip(ev.onGrid.cellIndices, ev.labels).filter { $0.1 == 0 && setup.valid[$0.0] && footprint.contains($0.0) }.count
        #expect(setup.commonTestStatements.isEmpty == (onPolygons == 0))
        if onPolygons > 0 { #expect(setup.commonTestStatements[0].hasPrefix("\(onPolygons) of the study's")) }

        // The same study without evaluation points.
        var yaml = try String(contentsOfFile: dir.path("twin/twin.yaml"), encoding: .utf8)
        let start = try #require(yaml.range(of: "evaluation_points:"))
        let end = try #require(yaml.range(of: "soil_depth:", range: start.upperBound..<yaml.endIndex))
        yaml.removeSubrange(start.lowerBound..<end.lowerBound)
        try dir.write(yaml, to: "twin/no-points.yaml")
        let bare = try StudyContext(try StudyConfig.load(dir.path("twin/no-points.yaml")))
        #expect(bare.inputs.evaluation == nil)
        let random = try ExperimentSetup(bare, seed: 3, factors: ["slope"])
        #expect(random.commonNegatives.count == 1000 && !random.commonNegatives.contains { footprint.contains($0) })
        #expect(random.commonTestStatements.first?.contains("no evaluation points") == true)
    }
}
