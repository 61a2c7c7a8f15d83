extension Grid {
    /// A mask on this grid: 1 where a cell's centre lies inside any of the polygons, else 0.
    ///
    /// Scan-line fill with the even–odd rule per polygon (so holes are holes), the union over
    /// polygons, and the cell-centre rule of `gdal_rasterize` without `-at`. Polygons are reprojected
    /// to the grid's CRS first when both CRSs are known. Cost: O(rows · edges + cells).
    public func rasterMask(of polygons: PolygonSet) throws -> Grid<UInt8> {
        precondition(geoTransform.isAxisAligned, "rasterizing needs an axis-aligned grid")
        let local = try crs.map { try polygons.reprojected(to: $0) } ?? polygons
        var mask = [UInt8](repeating: 0, count: count)
        let t = geoTransform
        var crossings: [Double] = []
        for polygon in local.polygons {
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
                        for col in first...last { mask[row * cols + col] = 1 }
                    }
                    k += 2
                }
            }
        }
        return Grid<UInt8>(like: self, nodata: nil, values: mask)
    }
}
