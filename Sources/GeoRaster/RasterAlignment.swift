/// Checks that rasters share one grid: the same size, geotransform and CRS.
public enum RasterAlignment {
    /// Throws ``GeoRasterError/misaligned(first:second:reason:)`` naming both files and the first
    /// difference found. Origins and cell sizes may differ by `cellTolerance` of a cell (float noise).
    public static func check(_ other: RasterInfo, against reference: RasterInfo,
                             cellTolerance: Double = 1e-6) throws {
        if let reason = difference(other, reference, cellTolerance: cellTolerance) {
            throw GeoRasterError.misaligned(first: reference.path, second: other.path, reason: reason)
        }
    }

    /// The first difference between two grids' headers, in words; `nil` when they are aligned.
    public static func difference(_ a: RasterInfo, _ b: RasterInfo, cellTolerance: Double = 1e-6) -> String? {
        if a.rows != b.rows || a.cols != b.cols {
            return "size \(a.cols) × \(a.rows) vs \(b.cols) × \(b.rows) (columns × rows)"
        }
        let ta = a.geoTransform, tb = b.geoTransform
        let cell = max(abs(tb.pixelWidth), abs(tb.pixelHeight))
        if abs(ta.pixelWidth - tb.pixelWidth) > cellTolerance * cell
            || abs(ta.pixelHeight - tb.pixelHeight) > cellTolerance * cell {
            return "cell size \(ta.pixelWidth) × \(ta.pixelHeight) vs \(tb.pixelWidth) × \(tb.pixelHeight)"
        }
        if !ta.isAligned(with: tb, cellTolerance: cellTolerance) {
            return "origin (\(ta.originX), \(ta.originY)) vs (\(tb.originX), \(tb.originY))"
        }
        if !crsMatches(a.crs, b.crs) {
            return "CRS \(a.crs?.description ?? "none") vs \(b.crs?.description ?? "none")"
        }
        return nil
    }
}

/// Named single-band layers on one grid, checked for alignment when read.
public struct RasterStack<Element: RasterScalar>: Sendable {
    /// Layer names in the order given.
    public let names: [String]
    /// The layers, by name.
    public let layers: [String: Grid<Element>]

    /// Reads each `(name, path)`; every file must be aligned with the first.
    public static func read(_ entries: [(name: String, path: String)]) throws -> RasterStack {
        guard let first = entries.first else { return RasterStack(names: [], layers: [:]) }
        let reference = try RasterIO.info(first.path)
        for entry in entries.dropFirst() {
            try RasterAlignment.check(try RasterIO.info(entry.path), against: reference)
        }
        var layers: [String: Grid<Element>] = [:]
        for entry in entries { layers[entry.name] = try RasterIO.read(entry.path, as: Element.self) }
        return RasterStack(names: entries.map(\.name), layers: layers)
    }

    public subscript(name: String) -> Grid<Element>? { layers[name] }
}
