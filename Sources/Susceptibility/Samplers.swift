import Foundation
import GeoRaster
import Imaging
import Randomness
import Terrain

/// A sampler's failure: too few candidate cells for the request.
public struct SamplingError: Error, CustomStringConvertible, Sendable, Equatable {
    public let sampler: String
    public let candidates: Int
    public let drawn: Int
    public let requested: Int
    public var description: String {
        "\(sampler): only \(drawn) of \(requested) samples could be drawn from \(candidates) candidate cells "
            + "at the requested spacing; expected enough candidates (lower the count, the spacing or the buffer)"
    }
}

/// The negative-sample samplers of both studies (METHODS.md A4, B1).
public enum SamplerKind: String, Sendable, CaseIterable, Codable {
    /// Anywhere outside landslide cells (and the exclusion buffer).
    case random
    /// Outside a buffer around the landslides (Study B: 1,000 m).
    case buffer
    /// Where the slope is at most a limit (Study B: 3°).
    case slope
    /// In the information-value model's "very low" class (Study B).
    case informationValue = "information-value"
    /// In the region the PPM calls stable after threshold + opening/closing (Study A).
    case pof
}

/// Options common to every sampler.
public struct SamplingOptions: Sendable {
    /// Negatives per positive (1:1 by default).
    public var ratio = 1.0
    /// Minimum distance between samples, and between samples and landslides (m).
    public var minimumSpacingMeters = 0.0
    /// Cells within this distance of a landslide are never candidates (m); 0 = only the landslide cells.
    public var exclusionBufferMeters = 0.0
    public var seed: UInt64 = 1
    public init() {}
}

/// Draws cells from a candidate mask: seeded shuffle, then greedy acceptance under the minimum spacing
/// (a spatial hash makes each test O(1)). Deterministic for a generator's state; the result is in draw order.
public enum NegativeSampling {
    public static func draw(candidates: [Bool], geoTransform: GeoTransform, rows: Int, cols: Int, count: Int,
                            spacingMeters: Double, avoid: [Int], generator rng: inout SeededGenerator,
                            sampler: String) throws -> [Int] {
        var pool = candidates.indices.filter { candidates[$0] }
        let candidateCount = pool.count
        for i in stride(from: pool.count - 1, to: 0, by: -1) {  // Fisher–Yates
            pool.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let cell = max(abs(geoTransform.pixelWidth), abs(geoTransform.pixelHeight))
        let bucket = max(spacingMeters, cell)
        var hash: [Int64: [(Double, Double)]] = [:]
        func key(_ x: Double, _ y: Double) -> Int64 { Int64((x / bucket).rounded(.down)) << 32 ^ Int64((y / bucket).rounded(.down)) & 0xFFFF_FFFF }
        func centre(_ i: Int) -> (Double, Double) { let c = geoTransform.cellCenter(row: i / cols, col: i % cols); return (c.x, c.y) }
        func farEnough(_ p: (Double, Double)) -> Bool {
            guard spacingMeters > 0 else { return true }
            let bx = Int64((p.0 / bucket).rounded(.down)), by = Int64((p.1 / bucket).rounded(.down))
            for dx in -1...1 {
                for dy in -1...1 {
                    for q in hash[(bx + Int64(dx)) << 32 ^ (by + Int64(dy)) & 0xFFFF_FFFF] ?? [] {
                        let ddx = q.0 - p.0, ddy = q.1 - p.1
                        if ddx * ddx + ddy * ddy < spacingMeters * spacingMeters { return false }
                    }
                }
            }
            return true
        }
        for i in avoid { let p = centre(i); hash[key(p.0, p.1), default: []].append(p) }
        var chosen: [Int] = []
        for i in pool where chosen.count < count {
            let p = centre(i)
            guard farEnough(p) else { continue }
            chosen.append(i)
            hash[key(p.0, p.1), default: []].append(p)
        }
        guard chosen.count == count else {
            throw SamplingError(sampler: sampler, candidates: candidateCount, drawn: chosen.count, requested: count)
        }
        return chosen
    }

    /// Valid cells farther than `bufferMeters` from every landslide cell (the landslide cells themselves
    /// are always excluded), by the exact Euclidean distance transform.
    public static func outsideBuffer<T>(_ grid: Grid<T>, landslides: [Int], bufferMeters: Double) -> [Bool] {
        var features = [UInt8](repeating: 0, count: grid.count)
        for i in landslides { features[i] = 1 }
        let distance = DistanceTransform.euclidean(to: Grid(like: grid, nodata: nil, values: features))
        return (0..<grid.count).map { grid.isValid(at: $0) && features[$0] == 0 && Double(distance.values[$0]) > bufferMeters }
    }

    /// The POF sampler's region (METHODS.md A4): unstable = POF > threshold, cleaned by opening then
    /// closing with rectangular elements of the given sizes (OpenCV semantics); candidates are the valid
    /// cells the cleaned map calls stable.
    public static func pofStableRegion(_ pof: Grid<Float>, threshold: Float, openSize: Int, closeSize: Int) -> [Bool] {
        let valid = pof.validMask
        var unstable = binaryThreshold(pof.values.enumerated().map { valid[$0.offset] ? $0.element : 0 }, threshold: threshold)
        if openSize > 1 {
            unstable = Morphology.open(unstable, rows: pof.rows, cols: pof.cols,
                                       element: StructuringElement(.rectangle, width: openSize, height: openSize))
        }
        if closeSize > 1 {
            unstable = Morphology.close(unstable, rows: pof.rows, cols: pof.cols,
                                        element: StructuringElement(.rectangle, width: closeSize, height: closeSize))
        }
        return (0..<pof.count).map { valid[$0] && unstable[$0] == 0 }
    }
}

/// Study A's Step 6 (METHODS.md A4): the final susceptibility map cleaned like the POF map — a
/// grey-level opening then closing with rectangular elements (OpenCV semantics), cells without a value
/// ignored (+∞ under erosion, −∞ under dilation, as OpenCV treats pixels outside the image).
public enum MapCleaning {
    public static func clean(_ scores: [Float], valid: [Bool], rows: Int, cols: Int, openSize: Int, closeSize: Int) -> [Float] {
        func masked(_ v: [Float], _ fill: Float) -> [Float] { zip(v, valid).map { $1 && $0.isFinite ? $0 : fill } }
        var out = scores
        if openSize > 1 {
            let e = StructuringElement(.rectangle, width: openSize, height: openSize)
            let eroded = Morphology.erode(masked(out, .infinity), rows: rows, cols: cols, element: e)
            out = Morphology.dilate(masked(eroded, -.infinity), rows: rows, cols: cols, element: e)
        }
        if closeSize > 1 {
            let e = StructuringElement(.rectangle, width: closeSize, height: closeSize)
            let dilated = Morphology.dilate(masked(out, -.infinity), rows: rows, cols: cols, element: e)
            out = Morphology.erode(masked(dilated, .infinity), rows: rows, cols: cols, element: e)
        }
        return zip(out, zip(scores, valid)).map { $1.1 && $1.0.isFinite ? $0 : .nan }
    }
}
