/// What to do with points that fall outside the grid or on a nodata cell.
public enum OffGridPolicy: String, Sendable, CaseIterable {
    /// Any such point is an error.
    case error
    /// Such points are dropped and counted.
    case drop
}

/// Points located on a grid: which cell each kept point falls in, and what was dropped.
public struct PointsOnGrid: Sendable, Equatable {
    /// Row-major cell index of each kept point.
    public var cellIndices: [Int]
    /// Index into the original point set of each kept point.
    public var pointIndices: [Int]
    /// Points outside the grid's extent.
    public var outside: Int
    /// Points inside the extent but on a nodata cell.
    public var onNodata: Int
    /// All points considered.
    public var total: Int

    /// Points kept (on valid cells).
    public var inside: Int { cellIndices.count }

    public init(cellIndices: [Int], pointIndices: [Int], outside: Int, onNodata: Int, total: Int) {
        self.cellIndices = cellIndices
        self.pointIndices = pointIndices
        self.outside = outside
        self.onNodata = onNodata
        self.total = total
    }
}

extension Grid {
    /// Finds the cell under each point (reprojecting the points to the grid's CRS first when both are
    /// known and differ). Points without a CRS are taken to be in the grid's CRS.
    ///
    /// - Throws: ``GeoRasterError/pointsNotOnGrid(source:outside:onNodata:total:)`` under `.error` when
    ///   any point is off the grid or on nodata, and ``GeoRasterError/noPointsOnGrid(source:total:grid:)``
    ///   under either policy when no point is on a valid cell.
    public func locate(_ points: PointSet, policy: OffGridPolicy, gridName: String = "the grid") throws -> PointsOnGrid {
        let local = try crs.map { try points.reprojected(to: $0) } ?? points
        var result = PointsOnGrid(cellIndices: [], pointIndices: [], outside: 0, onNodata: 0, total: points.count)
        for (i, p) in local.points.enumerated() {
            guard let (row, col) = cell(containingX: p.x, y: p.y) else {
                result.outside += 1
                continue
            }
            let index = self.index(row: row, col: col)
            guard isValid(at: index) else {
                result.onNodata += 1
                continue
            }
            result.cellIndices.append(index)
            result.pointIndices.append(i)
        }
        if result.inside == 0 && result.total > 0 {
            throw GeoRasterError.noPointsOnGrid(source: points.source, total: points.count, grid: gridName)
        }
        if policy == .error && (result.outside > 0 || result.onNodata > 0) {
            throw GeoRasterError.pointsNotOnGrid(source: points.source, outside: result.outside,
                                                 onNodata: result.onNodata, total: result.total)
        }
        return result
    }

    /// The grid's values under the points located by ``locate(_:policy:gridName:)``.
    public func sample(_ located: PointsOnGrid) -> [Element] { located.cellIndices.map { values[$0] } }
}
