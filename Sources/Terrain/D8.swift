import GeoRaster

/// The D8 flow-direction encoding (ESRI's powers of two, as ArcGIS, TauDEM's `-d8` export and
/// QGIS read them):
///
///     32  64  128        NW  N  NE
///     16   ·    1         W  ·   E
///      8   4    2        SW  S  SE
///
/// `0` marks an outlet: a valid cell with no lower valid neighbour on the grid edge or beside nodata,
/// whose water leaves the grid. ``D8/nodata`` (255) marks nodata. Rows grow southward (row 0 is north).
public enum D8 {
    /// Outlet code: the cell drains off the grid.
    public static let outlet: UInt8 = 0
    /// Nodata code in direction grids.
    public static let nodata: UInt8 = 255

    /// The eight codes in the order used for tie-breaking: E, SE, S, SW, W, NW, N, NE.
    public static let codes: [UInt8] = [1, 2, 4, 8, 16, 32, 64, 128]
    /// Row offset of each code, in the order of `codes`.
    public static let rowOffsets: [Int] = [0, 1, 1, 1, 0, -1, -1, -1]
    /// Column offset of each code, in the order of `codes`.
    public static let colOffsets: [Int] = [1, 1, 0, -1, -1, -1, 0, 1]

    /// Position (0…7) of a code in `codes`, or `nil` for 0, 255 and non-codes.
    @inlinable public static func slot(of code: UInt8) -> Int? {
        guard code != 0, code != nodata, code & (code - 1) == 0 else { return nil }
        return code.trailingZeroBitCount
    }

    /// The code pointing from a cell to its neighbour at (dRow, dCol), each in −1…1.
    public static func code(dRow: Int, dCol: Int) -> UInt8 {
        for k in 0..<8 where rowOffsets[k] == dRow && colOffsets[k] == dCol { return codes[k] }
        preconditionFailure("(\(dRow), \(dCol)) is not a neighbour offset")
    }
}

/// Whether a valid cell touches the outside of the grid or a nodata cell (an "edge" cell, from
/// which water may leave the grid).
@inlinable func isEdgeCell(_ row: Int, _ col: Int, rows: Int, cols: Int, valid: (Int) -> Bool) -> Bool {
    if row == 0 || col == 0 || row == rows - 1 || col == cols - 1 { return true }
    for k in 0..<8 where !valid((row + D8.rowOffsets[k]) * cols + col + D8.colOffsets[k]) { return true }
    return false
}

/// A fixed-size bit set (one bit per cell): 1/8 of a `[Bool]`.
struct BitSet {
    private(set) var words: [UInt64]
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    @inline(__always) subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }
}
