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
public enum Morphology {
    public static func erode<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                        element: StructuringElement) -> [T] {
        apply(values, rows: rows, cols: cols, element: element, keep: { $0 < $1 })
    }

    public static func dilate<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                         element: StructuringElement) -> [T] {
        apply(values, rows: rows, cols: cols, element: element, keep: { $0 > $1 })
    }

    public static func open<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                       element: StructuringElement) -> [T] {
        dilate(erode(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }

    public static func close<T: Comparable & Sendable>(_ values: [T], rows: Int, cols: Int,
                                                        element: StructuringElement) -> [T] {
        erode(dilate(values, rows: rows, cols: cols, element: element), rows: rows, cols: cols, element: element)
    }

    @inline(__always)
    static func apply<T: Comparable>(_ src: [T], rows: Int, cols: Int, element: StructuringElement,
                                     keep: (T, T) -> Bool) -> [T] {
        let offsets = element.offsets
        var dst = src
        for row in 0..<rows {
            for col in 0..<cols {
                var best: T?
                for (dr, dc) in offsets {
                    let r = row + dr, c = col + dc
                    guard r >= 0, r < rows, c >= 0, c < cols else { continue }
                    let v = src[r * cols + c]
                    if best == nil || keep(v, best!) { best = v }
                }
                if let best { dst[row * cols + col] = best }
            }
        }
        return dst
    }
}

/// Thresholding as OpenCV's THRESH_BINARY: `maxValue` where value > threshold (strictly), else 0;
/// NaN (nodata) gives 0.
public func binaryThreshold(_ values: [Float], threshold: Float, maxValue: UInt8 = 1) -> [UInt8] {
    values.map { $0 > threshold ? maxValue : 0 }
}
