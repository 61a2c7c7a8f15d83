extension Grid {
    /// A mask on this grid: 1 where a cell's centre lies inside any of the polygons, else 0.
    ///
    /// Scan-line fill with the even–odd rule per polygon (so holes are holes), the union over
    /// polygons, and the cell-centre rule of `gdal_rasterize` without `-at`. Polygons are reprojected
    /// to the grid's CRS first when both CRSs are known. Cost: O(rows · edges + cells).
    public func rasterMask(of polygons: PolygonSet) throws -> Grid<UInt8> {
        var mask = [UInt8](repeating: 0, count: count)
        for cells in try cellsInside(polygons) {
            for c in cells { mask[c] = 1 }
        }
        return Grid<UInt8>(like: self, nodata: nil, values: mask)
    }

    /// For each polygon, the row-major indices (ascending) of the cells whose centre lies inside it —
    /// valid or not — by the rule of ``rasterMask(of:)``. Polygons are reprojected to the grid's CRS
    /// first when both CRSs are known.
    public func cellsInside(_ polygons: PolygonSet) throws -> [[Int]] {
        precondition(geoTransform.isAxisAligned, "rasterizing needs an axis-aligned grid")
        let local = try crs.map { try polygons.reprojected(to: $0) } ?? polygons
        return local.polygons.map(cellsInside)
    }

    /// The cells whose centre lies inside `polygon` (already in the grid's CRS), ascending.
    func cellsInside(_ polygon: MapPolygon) -> [Int] {
        let t = geoTransform
        var cells: [Int] = []
        var crossings: [Double] = []
        for row in 0..<rows {
            let yCentre = t.originY + (Double(row) + 0.5) * t.pixelHeight
            crossings.removeAll(keepingCapacity: true)
            for ring in polygon.rings where ring.count >= 2 {
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[(i + 1) % ring.count]
                    if (a.y > yCentre) != (b.y > yCentre) {
                        let x = a.x + (yCentre - a.y) * (b.x - a.x) / (b.y - a.y)
                        crossings.append((x - t.originX) / t.pixelWidth)  // fractional column
                    }
                }
            }
            crossings.sort()
            var k = 0
            while k + 1 < crossings.count {
                // Cells whose centre c + 0.5 lies in [lo, hi).
                let first = max(0, Int((crossings[k] - 0.5).rounded(.up)))
                let last = min(cols - 1, Int((crossings[k + 1] - 0.5).rounded(.up)) - 1)
                if first <= last {
                    for col in first...last { cells.append(row * cols + col) }
                }
                k += 2
            }
        }
        return cells
    }
}
