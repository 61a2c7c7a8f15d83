import Foundation
import GeoRaster

/// A 3 × 3 neighbourhood, named as in gdaldem and Horn (1981):
///
///     z0 z1 z2        a b c
///     z3 z4 z5   =    d e f      (row 0 to the north)
///     z6 z7 z8        g h i
public struct Window3x3: Sendable {
    public var z: (Float, Float, Float, Float, Float, Float, Float, Float, Float)
    @inline(__always) public subscript(k: Int) -> Float {
        get { withUnsafeBytes(of: z) { $0.load(fromByteOffset: k * 4, as: Float.self) } }
        set { withUnsafeMutableBytes(of: &z) { $0.storeBytes(of: newValue, toByteOffset: k * 4, as: Float.self) } }
    }
}

/// How a 3 × 3 operator treats cells whose window is incomplete (grid border or nodata neighbours).
public enum EdgeMode: String, Sendable, CaseIterable {
    /// As `gdaldem` without `-compute_edges`: such cells get nodata.
    case nodata
    /// Missing neighbours are extrapolated so that every valid cell gets a value: a missing N/S/E/W
    /// neighbour takes 2·z_e − z_opposite (linear through the centre, as gdaldem's `-compute_edges`
    /// does at the border), or z_e when the opposite is missing too; a missing diagonal takes the plane
    /// through the centre and its two adjacent N/S/E/W values. Exact on planes.
    case extrapolate
}

/// A per-cell operator on a 3 × 3 window (specialized at compile time for speed).
public protocol WindowOperator: Sendable {
    /// The value at the window's centre; `nodataOut` is the output's nodata (e.g. for flat aspect).
    func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float
}

/// The nodata value of every Float32 terrain layer the harness writes (gdaldem's choice too).
public let terrainNodata: Float = -9999

extension Grid where Element == Float {
    /// Applies a 3 × 3 operator to every valid cell, in parallel over rows; output nodata −9999.
    public func apply<Op: WindowOperator>(_ op: Op, edges: EdgeMode) -> Grid<Float> {
        var out = [Float](repeating: terrainNodata, count: count)
        out.withSharedBuffer { result in
            forEachWindow(edges: edges) { i, w in result[i] = op(w, nodataOut: terrainNodata) }
        }
        return Grid(like: self, nodata: terrainNodata, values: out)
    }

    /// Slope and aspect from one pass over the windows (the same values as applying ``HornSlope`` and
    /// ``HornAspect`` separately, at about half the cost).
    public func hornSlopeAndAspect(cellWidth: Double, cellHeight: Double, edges: EdgeMode)
        -> (slopeDegrees: Grid<Float>, aspectDegrees: Grid<Float>) {
        let slopeOp = HornSlope(cellWidth: cellWidth, cellHeight: cellHeight)
        let aspectOp = HornAspect(cellWidth: cellWidth, cellHeight: cellHeight)
        var slope = [Float](repeating: terrainNodata, count: count)
        var aspect = slope
        slope.withSharedBuffer { s in
            aspect.withSharedBuffer { a in
                forEachWindow(edges: edges) { i, w in
                    s[i] = slopeOp(w, nodataOut: terrainNodata)
                    a[i] = aspectOp(w, nodataOut: terrainNodata)
                }
            }
        }
        return (Grid(like: self, nodata: terrainNodata, values: slope), Grid(like: self, nodata: terrainNodata, values: aspect))
    }

    /// Calls `body(index, window)` for every valid cell that gets a value under `edges`, in parallel
    /// over row chunks (so `body` must write only at `index`).
    @inline(__always)
    func forEachWindow(edges: EdgeMode, _ body: (Int, Window3x3) -> Void) {
        let rows = self.rows, cols = self.cols
        let nodata = self.nodata ?? .nan
        let z = values
        z.withUnsafeBufferPointer { buffer in
            let zp = buffer.baseAddress!
            @inline(__always) func ok(_ v: Float) -> Bool { v == v && v != nodata }
            parallelChunks(rows) { range in
                for row in range {
                    let interiorRow = row > 0 && row < rows - 1
                    for col in 0..<cols {
                        let i = row * cols + col
                        let e = zp[i]
                        guard ok(e) else { continue }
                        if interiorRow && col > 0 && col < cols - 1 {
                            let up = i - cols, down = i + cols
                            let w = Window3x3(z: (zp[up - 1], zp[up], zp[up + 1], zp[i - 1], e, zp[i + 1],
                                                  zp[down - 1], zp[down], zp[down + 1]))
                            if ok(w.z.0) && ok(w.z.1) && ok(w.z.2) && ok(w.z.3) && ok(w.z.5) && ok(w.z.6)
                                && ok(w.z.7) && ok(w.z.8) {
                                body(i, w)
                                continue
                            }
                        }
                        guard edges == .extrapolate else { continue }
                        body(i, extrapolatedWindow(row: row, col: col, z: z, nodata: self.nodata))
                    }
                }
            }
        }
    }

    /// The window at (row, col) with missing neighbours extrapolated (see ``EdgeMode/extrapolate``).
    private func extrapolatedWindow(row: Int, col: Int, z: [Float], nodata: Float?) -> Window3x3 {
        func value(_ r: Int, _ c: Int) -> Float? {
            guard r >= 0, r < rows, c >= 0, c < cols else { return nil }
            let v = z[r * cols + c]
            return v == v && v != nodata ? v : nil
        }
        let centre = z[row * cols + col]
        var w = Window3x3(z: (0, 0, 0, 0, centre, 0, 0, 0, 0))
        // Axial neighbours first: linear through the centre, else the centre itself.
        for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            w[(dr + 1) * 3 + dc + 1] = value(row + dr, col + dc)
                ?? value(row - dr, col - dc).map { 2 * centre - $0 } ?? centre
        }
        // Diagonals: the plane through the centre and the two adjacent axial values.
        for (dr, dc) in [(-1, -1), (-1, 1), (1, -1), (1, 1)] {
            w[(dr + 1) * 3 + dc + 1] = value(row + dr, col + dc)
                ?? (w[(dr + 1) * 3 + 1] + w[3 + dc + 1] - centre)
        }
        return w
    }
}

/// Slope by Horn's (1981) method, as `gdaldem slope` computes it:
///
///     dz/dx = ((c + 2f + i) − (a + 2d + g)) / (8 Δx)
///     dz/dy = ((g + 2h + i) − (a + 2b + c)) / (8 Δy)     (the sign of each is irrelevant to slope)
///     slope = atan √((dz/dx)² + (dz/dy)²)
///
/// in degrees (or percent = 100 · tan slope). Δx, Δy in the DEM's horizontal units; elevations
/// in the same units (metres).
public struct HornSlope: WindowOperator {
    public var cellWidth: Double
    public var cellHeight: Double
    public var percent: Bool

    public init(cellWidth: Double, cellHeight: Double, percent: Bool = false) {
        self.cellWidth = abs(cellWidth)
        self.cellHeight = abs(cellHeight)
        self.percent = percent
    }

    @inline(__always) public func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float {
        let (a, b, c, d, _, f, g, h, i) = w.z
        // The sums in single precision and in gdaldem's order, so that results agree with it to
        // rounding (~1e-5°) rather than to the ~1e-3° that double sums of ~3000 m elevations give.
        let sx: Float = (a + d + d + g) - (c + f + f + i)
        let sy: Float = (g + h + h + i) - (a + b + b + c)
        let dx = Double(sx) / cellWidth, dy = Double(sy) / cellHeight
        let gradient = (dx * dx + dy * dy).squareRoot() / 8
        return percent ? Float(100 * gradient) : Float(atan(gradient) * 180 / .pi)
    }
}

/// Aspect by Horn's method as `gdaldem aspect` computes it: the azimuth the slope faces, in degrees
/// clockwise from north (0 = N, 90 = E, 180 = S, 270 = W), from
///
///     θ = atan2(dz/dy, −dz/dx)   (dz/dx eastward, dz/dy southward, from the Horn sums)
///     azimuth = 90 − θ, or 450 − θ when θ > 90; 360 → 0.
///
/// Flat cells (both sums 0) get nodata, or 0 with `zeroForFlat` (gdaldem's `-zero_for_flat`).
/// The sums are divided by the cell width and height, which changes nothing for square cells.
public struct HornAspect: WindowOperator {
    public var cellWidth: Double
    public var cellHeight: Double
    public var zeroForFlat: Bool

    public init(cellWidth: Double, cellHeight: Double, zeroForFlat: Bool = false) {
        self.cellWidth = abs(cellWidth)
        self.cellHeight = abs(cellHeight)
        self.zeroForFlat = zeroForFlat
    }

    @inline(__always) public func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float {
        let (a, b, c, d, _, f, g, h, i) = w.z
        // Single-precision sums in gdaldem's order (see HornSlope); scaled only for non-square cells.
        let sx: Float = (c + f + f + i) - (a + d + d + g)
        let sy: Float = (g + h + h + i) - (a + b + b + c)
        if sx == 0 && sy == 0 { return zeroForFlat ? 0 : nodataOut }
        let square = cellWidth == cellHeight
        let dx = square ? Double(sx) : Double(sx) / cellWidth
        let dy = square ? Double(sy) : Double(sy) / cellHeight
        var aspect = Float(atan2(dy, -dx) * 180 / .pi)
        aspect = aspect > 90 ? 450 - aspect : 90 - aspect
        return aspect == 360 ? 0 : aspect
    }
}

/// Topographic position index, as `gdaldem TPI`: the centre minus the mean of its 8 neighbours
/// (Weiss 2001; Wilson et al. 2007), in elevation units.
public struct TopographicPositionIndex: WindowOperator {
    public init() {}
    @inline(__always) public func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float {
        let (a, b, c, d, e, f, g, h, i) = w.z
        return e - (a + b + c + d + f + g + h + i) * 0.125
    }
}

/// Roughness, as `gdaldem roughness`: the largest difference between any two cells of the 3 × 3
/// window (Dartnell 2000; Wilson et al. 2007), in elevation units.
public struct Roughness: WindowOperator {
    public init() {}
    @inline(__always) public func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float {
        var lo = w[0], hi = w[0]
        for k in 1..<9 {
            lo = Swift.min(lo, w[k])
            hi = Swift.max(hi, w[k])
        }
        return hi - lo
    }
}

/// Profile or plan curvature from the quadratic surface of Zevenbergen & Thorne (1987), in 1/m:
///
///     D = ((d + f)/2 − e)/L²,  E = ((b + h)/2 − e)/L²,  F = (c + g − a − i)/(4L²)
///     G = (f − d)/(2L),        H = (b − h)/(2L)
///     profile = −2 (D G² + E H² + F G H) / (G² + H²)
///     plan    =  2 (D H² + E G² − F G H) / (G² + H²)
///
/// with L the cell size (square cells assumed). Positive profile curvature is convex in the direction
/// of steepest descent (flow decelerates); positive plan curvature is convex across it (flow diverges).
/// Flat cells (G = H = 0) get 0.
public struct Curvature: WindowOperator {
    public enum Kind: String, Sendable { case profile, plan }
    public var kind: Kind
    public var cellSize: Double

    public init(_ kind: Kind, cellSize: Double) {
        self.kind = kind
        self.cellSize = abs(cellSize)
    }

    @inline(__always) public func callAsFunction(_ w: Window3x3, nodataOut: Float) -> Float {
        let (a, b, c, d, e, f, g, h, i) = (Double(w.z.0), Double(w.z.1), Double(w.z.2), Double(w.z.3),
                                           Double(w.z.4), Double(w.z.5), Double(w.z.6), Double(w.z.7),
                                           Double(w.z.8))
        let l2 = cellSize * cellSize
        let dd = ((d + f) / 2 - e) / l2, ee = ((b + h) / 2 - e) / l2, ff = (c + g - a - i) / (4 * l2)
        let gg = (f - d) / (2 * cellSize), hh = (b - h) / (2 * cellSize)
        let q = gg * gg + hh * hh
        guard q > 0 else { return 0 }
        switch kind {
        case .profile: return Float(-2 * (dd * gg * gg + ee * hh * hh + ff * gg * hh) / q)
        case .plan: return Float(2 * (dd * hh * hh + ee * gg * gg - ff * gg * hh) / q)
        }
    }
}
