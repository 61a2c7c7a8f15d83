import Foundation
import GeoRaster

/// Structuring-element shapes, as OpenCV's `getStructuringElement`.
public enum ElementShape: String, Sendable, CaseIterable, Codable {
    case rectangle, ellipse, cross
}

/// A structuring element: a width × height mask and its anchor, built exactly as OpenCV's
/// `getStructuringElement(shape, (width, height))` with the default anchor (width/2, height/2) — so even
/// sizes sit off-centre, as in OpenCV.
public struct StructuringElement: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Row-major, `true` where the element is set.
    public let mask: [Bool]
    public let anchorX: Int
    public let anchorY: Int

    public init(_ shape: ElementShape, width: Int, height: Int) {
        precondition(width >= 1 && height >= 1, "an element has at least one cell")
        self.width = width
        self.height = height
        anchorX = width / 2
        anchorY = height / 2
        let kind = width == 1 && height == 1 ? .rectangle : shape
        var mask = [Bool](repeating: false, count: width * height)
        let r = height / 2, c = width / 2
        let inverseR2 = r > 0 ? 1 / Double(r * r) : 0
        for i in 0..<height {
            var j1 = 0, j2 = 0
            switch kind {
            case .rectangle:
                j2 = width
            case .cross:
                if i == anchorY { j2 = width } else { j1 = anchorX; j2 = j1 + 1 }
            case .ellipse:
                let dy = i - r
                if abs(dy) <= r {
                    // OpenCV: saturate_cast<int>(c·√((r² − dy²)/r²)), which rounds half to even.
                    let dx = Int((Double(c) * (Double(r * r - dy * dy) * inverseR2).squareRoot()).rounded(.toNearestOrEven))
                    j1 = max(c - dx, 0)
                    j2 = min(c + dx + 1, width)
                }
            }
            for j in j1..<max(j1, j2) { mask[i * width + j] = true }
        }
        self.mask = mask
    }

    /// Offsets (dRow, dCol) of the set cells relative to the anchor.
    var offsets: [(Int, Int)] {
        var out: [(Int, Int)] = []
        for i in 0..<height { for j in 0..<width where mask[i * width + j] { out.append((i - anchorY, j - anchorX)) } }
        return out
    }
}

/// Binary and grey-level morphology with OpenCV's semantics (erode, dilate, morphologyEx open/close;
/// one iteration; default border): dst(y, x) = min (erode) or max (dilate) of src(y + i − a_y, x + j − a_x)
/// over the set cells (i, j) of the element — not reflected — with pixels outside the image ignored
/// (OpenCV's default border value is +∞ for erosion and −∞ for dilation). Opening = dilate(erode),
/// closing = erode(dilate) (METHODS.md A4).
///
/// Every row of a rectangle, ellipse or cross element is one run of set cells holding the anchor's
/// column, so the extreme over the element is the extreme over its rows of each row's run: for every
/// output row, each element row's run is taken along the source row it covers (a min or max of whole
/// shifted rows, vectorised, in a scratch row that stays in cache) and combined into the output row.
/// Only the output is image-sized, and rows are split across the cores. Other masks are taken cell by
/// cell (``direct(_:rows:cols:element:minimum:)``).
public enum Morphology {
    @_specialize(where T == UInt8)
    @_specialize(where T == Float)
    public static func erode<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                        element: StructuringElement) -> [T] {
        apply(values, rows: rows, cols: cols, element: element, minimum: true)
    }

    @_specialize(where T == UInt8)
    @_specialize(where T == Float)
    public static func dilate<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                         element: StructuringElement) -> [T] {
        apply(values, rows: rows, cols: cols, element: element, minimum: false)
    }

    public static func open<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                       element: StructuringElement) -> [T] {
        dilate(erode(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }

    public static func close<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                        element: StructuringElement) -> [T] {
        erode(dilate(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }

    // Concrete entry points: a caller in another module then runs code compiled for its pixel type
    // (the generic versions above go through the value witnesses, about 20 times slower).
    public static func erode(_ values: [UInt8], rows: Int, cols: Int, element: StructuringElement) -> [UInt8] {
        apply(values, rows: rows, cols: cols, element: element, minimum: true)
    }
    public static func dilate(_ values: [UInt8], rows: Int, cols: Int, element: StructuringElement) -> [UInt8] {
        apply(values, rows: rows, cols: cols, element: element, minimum: false)
    }
    public static func open(_ values: [UInt8], rows: Int, cols: Int, element: StructuringElement) -> [UInt8] {
        dilate(erode(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }
    public static func close(_ values: [UInt8], rows: Int, cols: Int, element: StructuringElement) -> [UInt8] {
        erode(dilate(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }
    public static func erode(_ values: [Float], rows: Int, cols: Int, element: StructuringElement) -> [Float] {
        apply(values, rows: rows, cols: cols, element: element, minimum: true)
    }
    public static func dilate(_ values: [Float], rows: Int, cols: Int, element: StructuringElement) -> [Float] {
        apply(values, rows: rows, cols: cols, element: element, minimum: false)
    }

    /// An element row's run of set columns as offsets from the anchor column, `lo...hi` (lo ≤ 0 ≤ hi).
    struct Run: Hashable { let lo: Int; let hi: Int }

    /// The element's rows as (row offset from the anchor, run); nil if some row's set cells are not one
    /// run holding the anchor's column (not one of OpenCV's shapes).
    static func runs(_ e: StructuringElement) -> [(dr: Int, run: Run)]? {
        var out: [(Int, Run)] = []
        for i in 0..<e.height {
            let set = (0..<e.width).filter { e.mask[i * e.width + $0] }
            guard let first = set.first, let last = set.last else { continue }
            guard last - first + 1 == set.count, first <= e.anchorX, last >= e.anchorX else { return nil }
            out.append((i - e.anchorY, Run(lo: first - e.anchorX, hi: last - e.anchorX)))
        }
        return out.contains { $0.0 == 0 } ? out : nil
    }

    @inline(__always)
    static func extreme<T: Comparable>(_ a: T, _ b: T, _ minimum: Bool) -> T {
        minimum ? (b < a ? b : a) : (b > a ? b : a)
    }

    /// `out[x] = extreme(out[x], src[x + shift])` for every x with x + shift inside the row.
    @inline(__always)
    static func combine<T: Comparable>(_ out: UnsafeMutablePointer<T>, _ src: UnsafePointer<T>, cols: Int, shift: Int,
                                       minimum: Bool) {
        let lo = max(0, -shift), hi = min(cols, cols - shift)
        guard lo < hi else { return }
        // Pointers offset once and unconditional stores of a select, so that the loop vectorises (an
        // index sum with an overflow check, or a conditional store, would keep it scalar).
        let o = out + lo, s = src + (lo + shift), n = hi - lo
        if minimum {
            for i in 0..<n { let v = s[i], w = o[i]; o[i] = v < w ? v : w }
        } else {
            for i in 0..<n { let v = s[i], w = o[i]; o[i] = v > w ? v : w }
        }
    }

    /// Row kernel: combine row `srcRow` of `src` (shifted by `shift` columns) into row `outRow` of `out`.
    typealias RowKernel = @Sendable (_ out: UnsafeMutableRawPointer, _ outRow: Int, _ src: UnsafeRawPointer, _ srcRow: Int,
                                     _ cols: Int, _ shift: Int) -> Void

    /// The row kernel compiled for `T`: UInt8 and Float, the types the harness uses, get code of their own
    /// that the compiler vectorises; other types take ``direct(_:rows:cols:element:minimum:)``.
    static func rowKernel<T: Comparable>(_: T.Type, minimum: Bool) -> RowKernel? {
        if T.self == UInt8.self { return bytes(minimum: minimum) }
        if T.self == Float.self { return floats(minimum: minimum) }
        return nil
    }

    static func bytes(minimum: Bool) -> RowKernel {
        { out, outRow, src, srcRow, cols, shift in
            let o: UnsafeMutablePointer<UInt8> = out.assumingMemoryBound(to: UInt8.self) + outRow * cols
            let s: UnsafePointer<UInt8> = src.assumingMemoryBound(to: UInt8.self) + srcRow * cols
            combine(o, s, cols: cols, shift: shift, minimum: minimum)
        }
    }

    static func floats(minimum: Bool) -> RowKernel {
        { out, outRow, src, srcRow, cols, shift in
            let o: UnsafeMutablePointer<Float> = out.assumingMemoryBound(to: Float.self) + outRow * cols
            let s: UnsafePointer<Float> = src.assumingMemoryBound(to: Float.self) + srcRow * cols
            combine(o, s, cols: cols, shift: shift, minimum: minimum)
        }
    }

    static func apply<T: Comparable & Sendable>(_ src: [T], rows: Int, cols: Int, element: StructuringElement,
                                                minimum: Bool) -> [T] {
        guard rows > 0, cols > 0 else { return src }
        guard let runs = runs(element), let kernel = rowKernel(T.self, minimum: minimum) else {
            return direct(src, rows: rows, cols: cols, element: element, minimum: minimum)
        }
        // Row by row: the anchor row's run straight into the output row, then each other element row's
        // run into a scratch row (in cache) that is combined into it. Nothing image-sized is made but
        // the output, and the image is read a few rows at a time.
        let anchorRun = runs.first { $0.dr == 0 }!.run
        let others = runs.filter { $0.dr != 0 }
        let rowBytes = cols * MemoryLayout<T>.stride
        var dst = src
        src.withUnsafeBytes { s in
            dst.withUnsafeMutableBytes { d in
                let (sBase, dBase) = (SendableRaw(s.baseAddress!), SendableMutableRaw(d.baseAddress!))
                parallelChunks(rows, minimumChunk: 64) { band in
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: rowBytes, alignment: 64)
                    defer { scratch.deallocate() }
                    for y in band {
                        for shift in anchorRun.lo...anchorRun.hi where shift != 0 {
                            kernel(dBase.pointer, y, sBase.pointer, y, cols, shift)
                        }
                        for row in others where y + row.dr >= 0 && y + row.dr < rows {
                            let yy = y + row.dr
                            scratch.copyMemory(from: sBase.pointer + yy * rowBytes, byteCount: rowBytes)
                            for shift in row.run.lo...row.run.hi where shift != 0 { kernel(scratch, 0, sBase.pointer, yy, cols, shift) }
                            kernel(dBase.pointer, y, UnsafeRawPointer(scratch), 0, cols, 0)
                        }
                    }
                }
            }
        }
        return dst
    }

    /// Any element, cell by cell (for masks that are not one run per row).
    static func direct<T: Comparable>(_ src: [T], rows: Int, cols: Int, element: StructuringElement, minimum: Bool) -> [T] {
        let offsets = element.offsets
        var dst = src
        for row in 0..<rows {
            for col in 0..<cols {
                var best: T?
                for (dr, dc) in offsets {
                    let r = row + dr, c = col + dc
                    guard r >= 0, r < rows, c >= 0, c < cols else { continue }
                    let v = src[r * cols + c]
                    if let b = best { best = extreme(b, v, minimum) } else { best = v }
                }
                if let best { dst[row * cols + col] = best }
            }
        }
        return dst
    }
}

/// Pointers that parallel workers share: they read through the first, and write disjoint rows through the second.
struct SendableRaw: @unchecked Sendable {
    let pointer: UnsafeRawPointer
    init(_ pointer: UnsafeRawPointer) { self.pointer = pointer }
}
struct SendableMutableRaw: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}

/// Thresholding as OpenCV's THRESH_BINARY: `maxValue` where value > threshold (strictly), else 0;
/// NaN (nodata) gives 0.
public func binaryThreshold(_ values: [Float], threshold: Float, maxValue: UInt8 = 1) -> [UInt8] {
    values.map { $0 > threshold ? maxValue : 0 }
}
