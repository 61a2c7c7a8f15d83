import Foundation
import GeoRaster

/// A landslide inventory of polygons (scarps or bodies) on the DEM's grid (issue G6): every valid cell
/// whose centre lies inside a polygon is a landslide cell — the footprint, on which no negative, buffer
/// or test negative may fall — and `inventory.polygon_cells` chooses which of them are the samples.
///
/// Multipolygon features count part by part. A polygon smaller than a cell, with no cell centre inside,
/// is the cell under its centroid when that cell is valid.
public struct PolygonInventory: Sendable {
    /// The polygons in the DEM's CRS.
    public let polygons: PolygonSet
    /// Per polygon, its valid cells (ascending); empty for a polygon off the grid or on nodata.
    public let cells: [[Int]]
    /// The sample cells, and the polygon each came from.
    public let samples: [Int]
    public let sampleSource: [Int]
    /// Every landslide cell: the union of the polygons' cells, ascending.
    public let footprint: [Int]
    /// Polygons with no valid cell (outside the grid, or on nodata only).
    public let offGrid: Int
    /// Polygons smaller than a cell, taken as the cell under their centroid.
    public let subCell: Int
    /// Polygons whose area centroid lies outside them (its cell is not one of theirs).
    public let centroidOutside: Int

    /// Locates `polygons` on `dem` and picks the samples by `mode`.
    ///
    /// - Throws: under `.error` when any polygon has no valid cell; under either policy when none has.
    public static func locate(_ polygons: PolygonSet, on dem: Grid<Float>, mode: PolygonCells, policy: OffGridPolicy,
                              gridName: String) throws -> PolygonInventory {
        let local = try dem.crs.map { try polygons.reprojected(to: $0) } ?? polygons
        var cells = try dem.cellsInside(local).map { $0.filter { dem.isValid(at: $0) } }
        var subCell = 0, centroidOutside = 0
        var centroidCells: [Int?] = []
        for (k, polygon) in local.polygons.enumerated() {
            let c = polygon.centroid
            let under = dem.cell(containingX: c.x, y: c.y).map { dem.index(row: $0.row, col: $0.col) }
            centroidCells.append(under)
            if cells[k].isEmpty, let under, dem.isValid(at: under) {
                cells[k] = [under]
                subCell += 1
            } else if let under, !cells[k].isEmpty, !cells[k].contains(under) {
                centroidOutside += 1
            }
        }
        let offGrid = cells.filter(\.isEmpty).count
        if offGrid == cells.count {
            throw GeoRasterError.invalidVector(path: polygons.source,
                                               reason: "no polygon covers a valid cell of \(gridName); check the CRS")
        }
        if policy == .error && offGrid > 0 {
            throw GeoRasterError.invalidVector(path: polygons.source,
                                               reason: "\(offGrid) of \(cells.count) polygons cover no valid cell of \(gridName) (off_grid: error; drop keeps the rest)")
        }
        var samples: [Int] = [], source: [Int] = []
        for (k, polygonCells) in cells.enumerated() where !polygonCells.isEmpty {
            let chosen: [Int]
            switch mode {
            case .all:
                chosen = polygonCells
            case .highest:
                // The highest cell; ties go to the first in row-major order.
                chosen = [polygonCells.max { dem.values[$0] < dem.values[$1] || (dem.values[$0] == dem.values[$1] && $0 > $1) }!]
            case .centroid:
                if let under = centroidCells[k], polygonCells.contains(under) {
                    chosen = [under]
                } else {
                    // The polygon's cell whose centre is nearest the centroid (a crescent's centroid lies outside it).
                    let c = local.polygons[k].centroid
                    func distance(_ i: Int) -> Double {
                        let p = dem.geoTransform.cellCenter(row: i / dem.cols, col: i % dem.cols)
                        return (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y)
                    }
                    chosen = [polygonCells.min { (distance($0), $0) < (distance($1), $1) }!]
                }
            }
            samples += chosen
            source += Array(repeating: k, count: chosen.count)
        }
        let footprint = Array(Set(cells.joined())).sorted()
        return PolygonInventory(polygons: local, cells: cells, samples: samples, sampleSource: source, footprint: footprint,
                                offGrid: offGrid, subCell: subCell, centroidOutside: centroidOutside)
    }

    /// The samples as points at their cells' centres (the polygon's number, from 1, in column `polygon`).
    public func samplePoints(on dem: Grid<Float>) -> PointSet {
        let points = samples.map { i in
            let p = dem.geoTransform.cellCenter(row: i / dem.cols, col: i % dem.cols)
            return MapPoint(x: p.x, y: p.y)
        }
        return PointSet(points: points, crs: dem.crs, attributes: ["polygon": sampleSource.map { String($0 + 1) }],
                        source: polygons.source)
    }
}
