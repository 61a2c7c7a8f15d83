/// Everything that can go wrong reading, writing or combining geodata.
///
/// Each case names the file (and, where it applies, the layer, row/column or point) and says
/// what was expected, so that `description` is a complete one-line message for a user.
public enum GeoRasterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist.
    case fileNotFound(path: String)
    /// GDAL could not open the file as a raster (it exists but is not one GDAL reads).
    case notARaster(path: String, reason: String)
    /// GDAL could not open the file as a vector data set.
    case notAVector(path: String, reason: String)
    /// The requested band is not in the file.
    case bandOutOfRange(path: String, band: Int, bandCount: Int)
    /// A window lies partly or wholly outside the raster.
    case windowOutOfBounds(path: String, window: RasterWindow, rows: Int, cols: Int)
    /// The geotransform is unusable (non-positive cell size, rotation where none is supported).
    case invalidGeoTransform(path: String, reason: String)
    /// Two rasters that must share a grid do not.
    case misaligned(first: String, second: String, reason: String)
    /// A raster has no valid (non-nodata) cell.
    case allNodata(path: String)
    /// A raster holds ±infinity in `count` cells, the first at (row, column), 1-based.
    case infiniteCells(path: String, count: Int, row: Int, column: Int, nodata: Double?)
    /// The grid is too large for the memory the machine has (``MemoryGuard``).
    case tooLarge(path: String, rows: Int, cols: Int, work: String, neededBytes: Int, availableBytes: Int, bytesPerCell: Int)
    /// A coordinate reference system could not be parsed or is missing where one is needed.
    case invalidCRS(source: String, reason: String)
    /// Coordinates could not be transformed between two systems.
    case reprojectionFailed(source: String, reason: String)
    /// A vector file lacks a column, a layer or a geometry type the caller needs.
    case invalidVector(path: String, reason: String)
    /// Points fall outside the grid or on nodata and the policy says that is an error.
    case pointsNotOnGrid(source: String, outside: Int, onNodata: Int, total: Int)
    /// No point of a set lies on a valid cell of the grid.
    case noPointsOnGrid(source: String, total: Int, grid: String)
    /// Writing failed; nothing was left at the destination.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "\(path): file not found; expected an existing file (check the path and the data root)"
        case let .notARaster(path, reason):
            return "\(path): not a raster GDAL can read (\(reason)); expected a GeoTIFF or another GDAL raster format"
        case let .notAVector(path, reason):
            return "\(path): not a vector file GDAL can read (\(reason)); expected CSV, GeoJSON, GeoPackage or Shapefile"
        case let .bandOutOfRange(path, band, count):
            return "\(path): band \(band) requested; the file has bands 1…\(count)"
        case let .windowOutOfBounds(path, w, rows, cols):
            return "\(path): window rows \(w.row)..<\(w.row + w.rows), cols \(w.col)..<\(w.col + w.cols) "
                + "is outside the raster of \(rows) rows × \(cols) cols"
        case let .invalidGeoTransform(path, reason):
            return "\(path): invalid geotransform: \(reason)"
        case let .misaligned(first, second, reason):
            return "\(second) is not aligned with \(first): \(reason); expected the same size, geotransform and CRS "
                + "(resample with gdalwarp -tr/-te/-t_srs to match)"
        case let .allNodata(path):
            return "\(path): every cell is nodata; expected at least one valid cell"
        case let .infiniteCells(path, count, row, column, nodata):
            return "\(path): \(count) cell\(count == 1 ? " holds" : "s hold") ±infinity (the first at row \(row), column \(column)); "
                + "expected finite values — set those cells to the nodata value" + (nodata.map { " (\($0))" } ?? "")
        case let .tooLarge(path, rows, cols, work, needed, available, perCell):
            return "\(path): \(cols) × \(rows) cells; \(work) needs about "
                + "\(needed == .max ? "more than any machine has" : MemoryGuard.describe(bytes: needed)) of memory for them "
                + "(\(perCell) bytes a cell) and this machine has \(MemoryGuard.describe(bytes: available)) available; "
                + "expected a smaller grid — crop it (gdal_translate -projwin) or coarsen it (gdalwarp -tr)"
        case let .invalidCRS(source, reason):
            return "\(source): invalid coordinate reference system: \(reason); expected e.g. EPSG:32717 or WKT"
        case let .reprojectionFailed(source, reason):
            return "\(source): reprojection failed: \(reason)"
        case let .invalidVector(path, reason):
            return "\(path): \(reason)"
        case let .pointsNotOnGrid(source, outside, onNodata, total):
            return "\(source): \(outside) of \(total) points lie outside the grid and \(onNodata) on nodata cells; "
                + "expected all on valid cells (or choose the 'drop' policy)"
        case let .noPointsOnGrid(source, total, grid):
            return "\(source): none of its \(total) points lies on a valid cell of \(grid); "
                + "expected points inside the grid (check the CRS and the x/y columns)"
        case let .writeFailed(path, reason):
            return "\(path): could not write (\(reason)); nothing was written"
        }
    }
}
