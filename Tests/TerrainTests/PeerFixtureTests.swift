import Foundation
import GeoRaster
import Testing
@testable import Terrain

/// Depression filling equals richdem's (Barnes's reference Priority-Flood) cell for cell, on the
/// formula-defined DEMs of Tests/Fixtures/make_terrain_fixtures.py — rough terrain, valleys, and
/// valleys with nodata holes.
@Suite struct PeerFixtureTests {
    struct Case: Decodable {
        let name: String
        let rows: Int
        let cols: Int
        let nodata: Float
        let dem: [Float]
        let filled: [Float]
        let cellsRaised: Int
    }

    struct Fixture: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/richdem_fill.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url)).cases
    }()

    @Test(arguments: cases.map(\.name))
    func fillEqualsRichDEM(name: String) throws {
        let c = try #require(Self.cases.first { $0.name == name })
        let dem = Grid(rows: c.rows, cols: c.cols,
                       geoTransform: GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: -1),
                       nodata: c.nodata, values: c.dem)
        let filled = PriorityFlood.fill(dem)
        let differing = zip(filled.values, c.filled).filter { $0 != $1 }.count
        #expect(differing == 0)
        #expect(zip(filled.values, c.dem).filter { $0 > $1 }.count == c.cellsRaised)
        #expect(c.cellsRaised > 0, "the fixture exercises filling")
    }
}
