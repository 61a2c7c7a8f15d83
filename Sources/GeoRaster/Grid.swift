/// The element types a ``Grid`` can hold, with the matching GDAL pixel type.
public protocol RasterScalar: Sendable, Equatable, Comparable {
    /// The on-disk pixel type.
    static var rasterType: RasterDataType { get }
    /// Converts from GDAL's double-valued nodata and statistics (rounding toward zero for integers,
    /// clamped to the type's range).
    init(rasterValue: Double)
    /// The value as a double.
    var rasterValue: Double { get }
}

/// Pixel types the harness reads and writes.
public enum RasterDataType: String, Sendable, CaseIterable {
    case uint8 = "Byte", int32 = "Int32", float32 = "Float32", float64 = "Float64"
}

extension UInt8: RasterScalar {
    public static var rasterType: RasterDataType { .uint8 }
    public init(rasterValue v: Double) { self = v.isNaN ? 0 : UInt8(Swift.min(Swift.max(v, 0), 255)) }
    public var rasterValue: Double { Double(self) }
}

extension Int32: RasterScalar {
    public static var rasterType: RasterDataType { .int32 }
    public init(rasterValue v: Double) {
        self = v.isNaN ? 0 : Int32(Swift.min(Swift.max(v, Double(Int32.min)), Double(Int32.max)))
    }
    public var rasterValue: Double { Double(self) }
}

extension Float: RasterScalar {
    public static var rasterType: RasterDataType { .float32 }
    public init(rasterValue v: Double) { self = Float(v) }
    public var rasterValue: Double { Double(self) }
}

extension Double: RasterScalar {
    public static var rasterType: RasterDataType { .float64 }
    public init(rasterValue v: Double) { self = v }
    public var rasterValue: Double { self }
}

/// The affine map from pixel (column, row) to map (x, y), GDAL's six coefficients:
///
///     x = originX + col · pixelWidth  + row · rowRotation
///     y = originY + col · colRotation + row · pixelHeight
///
/// (col, row) = (0, 0) is the outer corner of the top-left cell; cell centres are at +0.5.
/// North-up rasters have zero rotations and a negative `pixelHeight`.
public struct GeoTransform: Sendable, Equatable, CustomStringConvertible {
    public var originX: Double
    public var pixelWidth: Double
    public var rowRotation: Double
    public var originY: Double
    public var colRotation: Double
    public var pixelHeight: Double

    public init(originX: Double, pixelWidth: Double, rowRotation: Double = 0,
                originY: Double, colRotation: Double = 0, pixelHeight: Double) {
        self.originX = originX
        self.pixelWidth = pixelWidth
        self.rowRotation = rowRotation
        self.originY = originY
        self.colRotation = colRotation
        self.pixelHeight = pixelHeight
    }

    /// From GDAL's array order (x0, dx, rx, y0, ry, dy).
    public init(gdal c: [Double]) {
        precondition(c.count == 6, "a geotransform has six coefficients")
        self.init(originX: c[0], pixelWidth: c[1], rowRotation: c[2],
                  originY: c[3], colRotation: c[4], pixelHeight: c[5])
    }

    /// The identity transform GDAL assumes when a file has none (pixel = map units, y down).
    public static let identity = GeoTransform(originX: 0, pixelWidth: 1, originY: 0, pixelHeight: 1)

    /// GDAL's array order (x0, dx, rx, y0, ry, dy).
    public var gdalCoefficients: [Double] {
        [originX, pixelWidth, rowRotation, originY, colRotation, pixelHeight]
    }

    /// True when there is no rotation (rows run along x, columns along y).
    public var isAxisAligned: Bool { rowRotation == 0 && colRotation == 0 }

    /// The cell size in map units when cells are square and axis-aligned, else `nil`.
    public var squareCellSize: Double? {
        guard isAxisAligned, abs(abs(pixelWidth) - abs(pixelHeight)) <= 1e-9 * abs(pixelWidth) else { return nil }
        return abs(pixelWidth)
    }

    /// Map coordinates of fractional pixel position (col, row).
    public func map(col: Double, row: Double) -> (x: Double, y: Double) {
        (originX + col * pixelWidth + row * rowRotation, originY + col * colRotation + row * pixelHeight)
    }

    /// Map coordinates of the centre of cell (row, col).
    public func cellCenter(row: Int, col: Int) -> (x: Double, y: Double) {
        map(col: Double(col) + 0.5, row: Double(row) + 0.5)
    }

    /// Fractional pixel position (col, row) of map point (x, y); `nil` if the transform is singular.
    public func pixel(x: Double, y: Double) -> (col: Double, row: Double)? {
        let det = pixelWidth * pixelHeight - rowRotation * colRotation
        guard det != 0, det.isFinite else { return nil }
        let dx = x - originX, dy = y - originY
        return ((dx * pixelHeight - dy * rowRotation) / det, (dy * pixelWidth - dx * colRotation) / det)
    }

    /// The transform of a window whose top-left cell is (row, col) of this grid.
    public func shifted(row: Int, col: Int) -> GeoTransform {
        let (x, y) = map(col: Double(col), row: Double(row))
        var t = self
        t.originX = x
        t.originY = y
        return t
    }

    /// Whether two transforms agree to `tolerance` of a cell (origins) and relatively (sizes).
    public func isAligned(with other: GeoTransform, cellTolerance: Double = 1e-6) -> Bool {
        let size = max(abs(pixelWidth), abs(pixelHeight))
        let a = gdalCoefficients, b = other.gdalCoefficients
        return zip(a, b).allSatisfy { abs($0 - $1) <= cellTolerance * size }
    }

    public var description: String {
        "origin (\(originX), \(originY)), cell (\(pixelWidth), \(pixelHeight))"
            + (isAxisAligned ? "" : ", rotation (\(rowRotation), \(colRotation))")
    }
}

/// A rectangle of cells: top-left (row, col) and its size.
public struct RasterWindow: Sendable, Equatable {
    public var row: Int
    public var col: Int
    public var rows: Int
    public var cols: Int

    public init(row: Int, col: Int, rows: Int, cols: Int) {
        self.row = row
        self.col = col
        self.rows = rows
        self.cols = cols
    }

    /// Whether the window lies inside a raster of `rows` × `cols` and is non-empty.
    public func fits(rows totalRows: Int, cols totalCols: Int) -> Bool {
        row >= 0 && col >= 0 && rows > 0 && cols > 0 && row + rows <= totalRows && col + cols <= totalCols
    }
}

/// A single-band raster in memory: row-major values, georeferencing and a nodata rule.
///
/// A cell is valid unless its value equals `nodata` or, for floating-point grids, is NaN.
/// Row 0 is the top (north for north-up rasters), as in GDAL.
public struct Grid<Element: RasterScalar>: Sendable {
    /// Number of rows (GDAL's y size).
    public let rows: Int
    /// Number of columns (GDAL's x size).
    public let cols: Int
    /// Pixel-to-map transform.
    public var geoTransform: GeoTransform
    /// Coordinate reference system, when known.
    public var crs: CRS?
    /// The value that marks a missing cell, if any.
    public var nodata: Element?
    /// Cell values, row-major: index = row · cols + col.
    public var values: [Element]

    public init(rows: Int, cols: Int, geoTransform: GeoTransform = .identity, crs: CRS? = nil,
                nodata: Element? = nil, values: [Element]) {
        precondition(rows > 0 && cols > 0, "a grid has at least one row and one column")
        precondition(values.count == rows * cols, "values must hold rows × cols elements")
        self.rows = rows
        self.cols = cols
        self.geoTransform = geoTransform
        self.crs = crs
        self.nodata = nodata
        self.values = values
    }

    /// A grid of one repeated value.
    public init(rows: Int, cols: Int, repeating value: Element, geoTransform: GeoTransform = .identity,
                crs: CRS? = nil, nodata: Element? = nil) {
        self.init(rows: rows, cols: cols, geoTransform: geoTransform, crs: crs, nodata: nodata,
                  values: [Element](repeating: value, count: rows * cols))
    }

    /// A grid on the same georeferencing as `template`, holding `values`.
    public init<Other>(like template: Grid<Other>, nodata: Element? = nil, values: [Element]) {
        self.init(rows: template.rows, cols: template.cols, geoTransform: template.geoTransform,
                  crs: template.crs, nodata: nodata, values: values)
    }

    /// Number of cells (rows · cols).
    public var count: Int { rows * cols }

    /// Row-major index of (row, col).
    @inlinable public func index(row: Int, col: Int) -> Int { row * cols + col }

    public subscript(row: Int, col: Int) -> Element {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// Whether the value at a row-major index is a valid (non-nodata, non-NaN) cell.
    @inlinable public func isValid(at index: Int) -> Bool {
        let v = values[index]
        if v != v { return false }  // NaN
        if let nodata, v == nodata { return false }
        return true
    }

    /// Whether cell (row, col) is valid.
    public func isValid(row: Int, col: Int) -> Bool { isValid(at: row * cols + col) }

    /// The nodata mask as booleans, `true` where a cell is valid (row-major).
    public var validMask: [Bool] { (0..<count).map { isValid(at: $0) } }

    /// Number of valid cells.
    public var validCount: Int {
        var n = 0
        for i in 0..<count where isValid(at: i) { n += 1 }
        return n
    }

    /// Minimum and maximum over valid cells, or `nil` when no cell is valid.
    public var validRange: ClosedRange<Element>? {
        var lo: Element?, hi: Element?
        for i in 0..<count where isValid(at: i) {
            let v = values[i]
            if lo == nil || v < lo! { lo = v }
            if hi == nil || v > hi! { hi = v }
        }
        guard let lo, let hi else { return nil }
        return lo...hi
    }

    /// Mean over valid cells (in double precision), or `nil` when no cell is valid.
    public var validMean: Double? {
        var sum = 0.0, n = 0
        for i in 0..<count where isValid(at: i) {
            sum += values[i].rasterValue
            n += 1
        }
        return n == 0 ? nil : sum / Double(n)
    }

    /// The cells of `window` as a new grid with the window's georeferencing.
    public func slice(_ window: RasterWindow) -> Grid<Element> {
        precondition(window.fits(rows: rows, cols: cols), "window outside the grid")
        var out = [Element]()
        out.reserveCapacity(window.rows * window.cols)
        for r in window.row..<(window.row + window.rows) {
            let start = r * cols + window.col
            out.append(contentsOf: values[start..<(start + window.cols)])
        }
        return Grid(rows: window.rows, cols: window.cols,
                    geoTransform: geoTransform.shifted(row: window.row, col: window.col),
                    crs: crs, nodata: nodata, values: out)
    }

    /// The cell containing map point (x, y), or `nil` if it lies outside the grid.
    ///
    /// A point exactly on a shared edge belongs to the cell to its right/below (GDAL's floor rule).
    public func cell(containingX x: Double, y: Double) -> (row: Int, col: Int)? {
        guard let p = geoTransform.pixel(x: x, y: y) else { return nil }
        let col = Int((p.col).rounded(.down)), row = Int((p.row).rounded(.down))
        guard row >= 0, row < rows, col >= 0, col < cols else { return nil }
        return (row, col)
    }

    /// Whether another grid has the same shape, transform and CRS.
    public func isAligned<Other>(with other: Grid<Other>) -> Bool {
        rows == other.rows && cols == other.cols && geoTransform.isAligned(with: other.geoTransform)
            && crsMatches(crs, other.crs)
    }
}

/// Two optional CRSs match when both are missing or both describe the same system.
func crsMatches(_ a: CRS?, _ b: CRS?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (a?, b?): return a.isSame(as: b)
    default: return false
    }
}
