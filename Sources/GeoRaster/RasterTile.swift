import Foundation

/// Tile i of N of a raster: a band of whole rows (`--tile i/N`, i = 1…N), so a large map can be
/// computed as N independent tasks and put together again by `gdalbuildvrt`.
///
/// Band i holds rows ⌊(i − 1)·R / N⌋ ..< ⌊i·R / N⌋ of an R-row raster: the bands cover every row once,
/// and differ in height by at most one row. A stage that needs neighbours beyond its band (a 3 × 3
/// window, a CNN patch) reads them from the rows around it — its halo — so each tile's cells equal the
/// whole map's.
public struct RasterTile: Sendable, Equatable, CustomStringConvertible {
    /// 1-based index of the tile.
    public let index: Int
    /// Number of tiles.
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw RasterTileError("tile \(index)/\(count): expected i/N with 1 ≤ i ≤ N")
        }
        self.index = index
        self.count = count
    }

    /// Parses "i/N", e.g. "2/4".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw RasterTileError("tile '\(text)': expected i/N, e.g. 2/4 (tile 2 of 4)")
        }
        try self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// The rows of the band in a raster of `totalRows` rows (empty when there are more tiles than rows).
    public func rows(of totalRows: Int) -> Range<Int> {
        ((index - 1) * totalRows / count)..<(index * totalRows / count)
    }

    /// The band as a window of a raster of `rows` × `cols` cells.
    public func window(rows totalRows: Int, cols: Int) -> RasterWindow {
        let band = rows(of: totalRows)
        return RasterWindow(row: band.lowerBound, col: 0, rows: band.count, cols: cols)
    }

    /// Whether every tile has at least one row in a raster of `totalRows` rows.
    public func fits(rows totalRows: Int) -> Bool { count <= totalRows }
}

extension Grid {
    /// The cells of `tile`'s band, georeferenced where they lie (`nil` tile: the whole grid).
    public func slice(_ tile: RasterTile?) -> Grid<Element> {
        guard let tile else { return self }
        return slice(tile.window(rows: rows, cols: cols))
    }
}

/// A `--tile` value that is not i/N with 1 ≤ i ≤ N, or a tiling the raster cannot take.
public struct RasterTileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
