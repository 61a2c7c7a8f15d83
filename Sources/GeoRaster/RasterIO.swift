import CGDAL
import Foundation

/// What a raster file holds, read from its header without reading any cells.
public struct RasterInfo: Sendable, Equatable {
    public let path: String
    public let rows: Int
    public let cols: Int
    public let bandCount: Int
    /// GDAL's name of band 1's pixel type, e.g. "Float32".
    public let dataType: String
    /// The file's geotransform; `.identity` when `hasGeoTransform` is false.
    public let geoTransform: GeoTransform
    public let hasGeoTransform: Bool
    public let crs: CRS?
    /// Band 1's nodata value, if set.
    public let nodata: Double?
    /// Dataset-level metadata (the default domain), e.g. the harness's provenance keys.
    public let metadata: [String: String]
    /// The file stores its rows south to north (a positive pixel height). `geoTransform`, `rows` and
    /// every grid read from it are north-up all the same: `RasterIO.read` turns the rows over, so
    /// aspect, flow directions and alignment see the terrain as it lies. Default false.
    public var storedSouthUp: Bool = false

    /// Checks that the file is georeferenced with a usable, axis-aligned cell size.
    public func requireGeoreferenced() throws {
        guard hasGeoTransform else {
            throw GeoRasterError.invalidGeoTransform(path: path, reason: "the file has no geotransform")
        }
        guard geoTransform.isAxisAligned else {
            throw GeoRasterError.invalidGeoTransform(path: path, reason: "rotated grids are not supported")
        }
        guard geoTransform.pixelWidth > 0, geoTransform.pixelHeight != 0,
              geoTransform.pixelWidth.isFinite, geoTransform.pixelHeight.isFinite else {
            throw GeoRasterError.invalidGeoTransform(
                path: path,
                reason: "cell size \(geoTransform.pixelWidth) × \(geoTransform.pixelHeight); expected a positive width "
                    + "and a non-zero height")
        }
    }
}

/// Reading and writing rasters through GDAL.
public enum RasterIO {
    /// Reads the header of a raster.
    public static func info(_ path: String) throws -> RasterInfo {
        try withDataset(path) { ds in try readInfo(ds, path: path) }
    }

    /// Reads one band, whole or a window of it, converting cells to `T`.
    ///
    /// The grid's transform is the file's, shifted to the window's top-left corner; its nodata is
    /// the band's nodata converted to `T`.
    public static func read<T: RasterScalar>(_ path: String, as type: T.Type = T.self, band: Int = 1,
                                             window: RasterWindow? = nil) throws -> Grid<T> {
        try withDataset(path) { ds in
            let info = try readInfo(ds, path: path)
            guard band >= 1, band <= info.bandCount else {
                throw GeoRasterError.bandOutOfRange(path: path, band: band, bandCount: info.bandCount)
            }
            let w = window ?? RasterWindow(row: 0, col: 0, rows: info.rows, cols: info.cols)
            guard w.fits(rows: info.rows, cols: info.cols) else {
                throw GeoRasterError.windowOutOfBounds(path: path, window: w, rows: info.rows, cols: info.cols)
            }
            try MemoryGuard.require(rows: w.rows, cols: w.cols, bytesPerCell: MemoryLayout<T>.stride, path: path,
                                    work: "reading it")
            // A south-up file holds the window's rows mirrored: read them there, then turn them over.
            let fileRow = info.storedSouthUp ? info.rows - w.row - w.rows : w.row
            let handle = GDALGetRasterBand(ds, Int32(band))
            var hasNodata: Int32 = 0
            let nodataValue = GDALGetRasterNoDataValue(handle, &hasNodata)
            var values = [T](unsafeUninitializedCapacity: w.rows * w.cols) { buffer, initialized in
                initialized = buffer.count
            }
            GDALEnvironment.resetError()
            let status = values.withUnsafeMutableBytes { raw in
                GDALRasterIO(handle, GF_Read, Int32(w.col), Int32(fileRow), Int32(w.cols), Int32(w.rows),
                             raw.baseAddress, Int32(w.cols), Int32(w.rows), gdalType(T.rasterType), 0, 0)
            }
            guard status == CE_None else {
                throw GeoRasterError.notARaster(path: path, reason: GDALEnvironment.lastError(or: "read failed"))
            }
            if info.storedSouthUp { reverseRows(&values, rows: w.rows, cols: w.cols) }
            return Grid(rows: w.rows, cols: w.cols,
                        geoTransform: info.geoTransform.shifted(row: w.row, col: w.col),
                        crs: info.crs, nodata: hasNodata != 0 ? T(rasterValue: nodataValue) : nil,
                        values: values)
        }
    }

    /// Writes a grid as a tiled, DEFLATE-compressed GeoTIFF, atomically.
    ///
    /// The file is written beside the destination under a temporary name and renamed over it only
    /// when complete; on any failure the temporary file is removed and the destination is untouched.
    /// - Parameters:
    ///   - metadata: dataset metadata items (e.g. provenance), readable with `gdalinfo`.
    ///   - bandDescription: the band's description, e.g. "slope_deg".
    public static func writeGeoTIFF<T: RasterScalar>(_ grid: Grid<T>, to path: String,
                                                     metadata: [String: String] = [:],
                                                     bandDescription: String? = nil) throws {
        GDALEnvironment.ensureRegistered()
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw GeoRasterError.writeFailed(path: path, reason: "directory \(directory.path) does not exist")
        }
        if let obstacle = OutputPath.obstacle(at: path) {
            throw GeoRasterError.writeFailed(path: path, reason: "it is \(obstacle), which an output does not replace; give a file path")
        }
        let temporary = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tif").path
        do {
            try createGeoTIFF(grid, at: temporary, finalPath: path, metadata: metadata,
                              bandDescription: bandDescription)
            guard rename(temporary, path) == 0 else {
                throw GeoRasterError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
        } catch GeoRasterError.writeFailed(let failedPath, let reason) {
            let note = OutputPath.spaceNote(directory.path) ?? ""   // before the partial file frees its space
            unlink(temporary)
            throw GeoRasterError.writeFailed(path: failedPath, reason: reason + note)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func createGeoTIFF<T: RasterScalar>(_ grid: Grid<T>, at temporary: String, finalPath: String,
                                                       metadata: [String: String],
                                                       bandDescription: String?) throws {
        guard let driver = GDALGetDriverByName("GTiff") else {
            throw GeoRasterError.writeFailed(path: finalPath, reason: "GDAL has no GTiff driver")
        }
        let isFloat = T.rasterType == .float32 || T.rasterType == .float64
        let options = GDALStringList([
            ("TILED", "YES"), ("BLOCKXSIZE", "256"), ("BLOCKYSIZE", "256"),
            ("COMPRESS", "DEFLATE"), ("PREDICTOR", isFloat ? "3" : "2"), ("BIGTIFF", "IF_SAFER"),
        ])
        defer { options.free() }
        GDALEnvironment.resetError()
        guard let ds = GDALCreate(driver, temporary, Int32(grid.cols), Int32(grid.rows), 1,
                                  gdalType(T.rasterType), options.pointer) else {
            throw GeoRasterError.writeFailed(path: finalPath, reason: GDALEnvironment.lastError(or: "create failed"))
        }
        var closed = false
        defer { if !closed { GDALClose(ds) } }
        var coefficients = grid.geoTransform.gdalCoefficients
        guard GDALSetGeoTransform(ds, &coefficients) == CE_None else {
            throw GeoRasterError.writeFailed(path: finalPath, reason: GDALEnvironment.lastError(or: "geotransform"))
        }
        if let crs = grid.crs, GDALSetProjection(ds, crs.wkt) != CE_None {
            throw GeoRasterError.writeFailed(path: finalPath, reason: GDALEnvironment.lastError(or: "CRS"))
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            GDALSetMetadataItem(ds, key, value, nil)
        }
        let band = GDALGetRasterBand(ds, 1)
        if let nodata = grid.nodata { GDALSetRasterNoDataValue(band, nodata.rasterValue) }
        if let bandDescription { GDALSetDescription(band, bandDescription) }
        var values = grid.values
        let status = values.withUnsafeMutableBytes { raw in
            GDALRasterIO(band, GF_Write, 0, 0, Int32(grid.cols), Int32(grid.rows), raw.baseAddress,
                         Int32(grid.cols), Int32(grid.rows), gdalType(T.rasterType), 0, 0)
        }
        guard status == CE_None else {
            throw GeoRasterError.writeFailed(path: finalPath, reason: GDALEnvironment.lastError(or: "write failed"))
        }
        GDALFlushCache(ds)
        closed = true
        GDALClose(ds)
        let closeError = CPLGetLastErrorType()
        if closeError == CE_Failure || closeError == CE_Fatal {
            throw GeoRasterError.writeFailed(path: finalPath, reason: GDALEnvironment.lastError(or: "close failed"))
        }
    }

    /// Opens a raster read-only, runs `body`, and closes it.
    private static func withDataset<R>(_ path: String, _ body: (GDALDatasetH) throws -> R) throws -> R {
        GDALEnvironment.ensureRegistered()
        if !path.hasPrefix("/vsi"), !FileManager.default.fileExists(atPath: path) {
            throw GeoRasterError.fileNotFound(path: path)
        }
        GDALEnvironment.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY), nil, nil, nil) else {
            throw GeoRasterError.notARaster(path: path,
                                            reason: GDALEnvironment.lastError(or: "no raster driver recognises it"))
        }
        defer { GDALClose(ds) }
        return try body(ds)
    }

    private static func readInfo(_ ds: GDALDatasetH, path: String) throws -> RasterInfo {
        let bandCount = Int(GDALGetRasterCount(ds))
        guard bandCount >= 1 else {
            throw GeoRasterError.notARaster(path: path, reason: "it has no raster band")
        }
        var coefficients = [Double](repeating: 0, count: 6)
        let hasTransform = GDALGetGeoTransform(ds, &coefficients) == CE_None
        let wkt = GDALGetProjectionRef(ds).map { String(cString: $0) } ?? ""
        let crs = try CRS(wktFromFile: wkt, source: path)
        let band = GDALGetRasterBand(ds, 1)
        var hasNodata: Int32 = 0
        let nodata = GDALGetRasterNoDataValue(band, &hasNodata)
        let typeName = GDALGetDataTypeName(GDALGetRasterDataType(band)).map { String(cString: $0) } ?? "unknown"
        let rows = Int(GDALGetRasterYSize(ds))
        var transform = hasTransform ? GeoTransform(gdal: coefficients) : .identity
        // South-up (positive pixel height, no rotation): described as the north-up grid it equals.
        let southUp = hasTransform && transform.isAxisAligned && transform.pixelHeight > 0
            && transform.pixelHeight.isFinite
        if southUp {
            transform.originY += Double(rows) * transform.pixelHeight
            transform.pixelHeight = -transform.pixelHeight
        }
        var info = RasterInfo(path: path, rows: rows, cols: Int(GDALGetRasterXSize(ds)),
                              bandCount: bandCount, dataType: typeName,
                              geoTransform: transform,
                              hasGeoTransform: hasTransform, crs: crs,
                              nodata: hasNodata != 0 ? nodata : nil,
                              metadata: stringList(GDALGetMetadata(ds, nil)))
        info.storedSouthUp = southUp
        return info
    }

    /// Turns a row-major block upside down in place (row r ↔ row rows − 1 − r).
    static func reverseRows<T>(_ values: inout [T], rows: Int, cols: Int) {
        values.withUnsafeMutableBufferPointer { cells in
            var top = 0, bottom = rows - 1
            while top < bottom {
                for c in 0..<cols { cells.swapAt(top * cols + c, bottom * cols + c) }
                top += 1
                bottom -= 1
            }
        }
    }

    /// Parses a GDAL "KEY=VALUE" string list.
    static func stringList(_ list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String: String] {
        var out: [String: String] = [:]
        guard var cursor = list else { return out }
        while let item = cursor.pointee {
            let entry = String(cString: item)
            if let eq = entry.firstIndex(of: "=") {
                out[String(entry[..<eq])] = String(entry[entry.index(after: eq)...])
            }
            cursor += 1
        }
        return out
    }

    static func gdalType(_ type: RasterDataType) -> GDALDataType {
        switch type {
        case .uint8: return GDT_Byte
        case .int32: return GDT_Int32
        case .float32: return GDT_Float32
        case .float64: return GDT_Float64
        }
    }
}

extension Grid where Element: BinaryFloatingPoint {
    /// Throws `infiniteCells` (naming `path`, the count and the first cell, 1-based) when a cell holds
    /// ±infinity: GDAL reads such a cell as valid data, and every statistic over it is then −inf…inf.
    public func requireFinite(path: String) throws {
        guard let first = values.firstIndex(where: { $0.isInfinite }) else { return }
        let count = values.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
        throw GeoRasterError.infiniteCells(path: path, count: count, row: first / cols + 1, column: first % cols + 1,
                                           nodata: nodata.map { Double($0) })
    }
}
