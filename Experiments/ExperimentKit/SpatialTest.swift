import GeoRaster
import NeuralNet
import Randomness
import Stages
import Susceptibility

/// Protocol (c): a spatially separated test (issue G3). The landslides and the common test's
/// non-landslide points are clustered by k-means on their coordinates (the `spatial-cv` protocol's
/// blocks, Brenning 2012); whole clusters, in random order, are held out until they hold at least
/// `heldOutFraction` of the landslides. The test is every landslide and common-test point in those
/// clusters. Training may use nothing in the held-out clusters' region (the cells nearer to a held-out
/// cluster's centre than to any other) nor within `bufferCells` of it, so no training patch overlaps a
/// test patch when the buffer is the patch radius.
///
/// Protocol (b), by contrast, holds out landslides at random; its test points are the study's random
/// points, i.e. the random sampler's distribution, and its training patches may touch its test patches.
package struct SpatialTest {
    /// Landslide cells of the test blocks.
    let heldOut: [Int]
    /// Common-test non-landslide cells of the test blocks.
    let negatives: [Int]
    /// Landslides outside the test region and its buffer: the training landslides of protocol (c).
    let trainingLandslides: [Int]
    /// Cells where protocol (c) may not draw training samples (the test region and its buffer).
    let excluded: [Bool]
    let clusters: Int
    let heldOutClusters: Int
    let bufferCells: Int

    var test: SampleSet {
        SampleSet.cells(heldOut + negatives, labels: heldOut.map { _ in 1 } + negatives.map { _ in 0 }, columns: columns)
    }
    let columns: Int

    /// - Parameters: landslides and negatives as cell indices of a `rows` × `cols` grid; `valid` the
    ///   analysed cells.
    init(landslides: [Int], negatives: [Int], valid: [Bool], rows: Int, cols: Int, clusters k: Int = 10,
         heldOutFraction: Double = 0.3, bufferCells: Int, generator g: inout SeededGenerator) {
        columns = cols
        let points = landslides + negatives
        let x = points.map { Double($0 % cols) }, y = points.map { Double($0 / cols) }
        let k = max(2, min(k, points.count))
        let assignment = Validation.kMeans(x: x, y: y, k: k, generator: &g)
        var cx = [Double](repeating: 0, count: k), cy = cx, size = cx
        for (i, a) in assignment.enumerated() { cx[a] += x[i]; cy[a] += y[i]; size[a] += 1 }
        for a in 0..<k where size[a] > 0 { cx[a] /= size[a]; cy[a] /= size[a] }
        // Whole clusters, in random order, until the held-out share of landslides is reached.
        let order = Trainer.permutation(k, generator: &g)
        let landslideCluster = assignment.prefix(landslides.count)
        var chosen = Set<Int>(), held = 0
        let target = Int((Double(landslides.count) * heldOutFraction).rounded())
        for c in order where held < target {
            chosen.insert(c)
            held += landslideCluster.filter { $0 == c }.count
        }
        // The held-out region: cells whose nearest centre is a held-out cluster's.
        var region = [UInt8](repeating: 0, count: rows * cols)
        for i in 0..<(rows * cols) where valid[i] {
            let px = Double(i % cols), py = Double(i / cols)
            var best = 0, bestD = Double.infinity
            for a in 0..<k where size[a] > 0 {
                let d = (px - cx[a]) * (px - cx[a]) + (py - cy[a]) * (py - cy[a])
                if d < bestD { bestD = d; best = a }
            }
            if chosen.contains(best) { region[i] = 1 }
        }
        let widened = Self.squareBuffer(region, rows: rows, cols: cols, radius: bufferCells)
        excluded = widened.map { $0 == 1 }
        heldOut = zip(landslides, landslideCluster).filter { chosen.contains($0.1) }.map(\.0).sorted()
        self.negatives = zip(negatives, assignment.dropFirst(landslides.count)).filter { chosen.contains($0.1) }.map(\.0).sorted()
        trainingLandslides = landslides.filter { !widened.indices.contains($0) || widened[$0] == 0 }
        clusters = k
        heldOutClusters = chosen.count
        self.bufferCells = bufferCells
    }

    /// The set cells widened by `radius` cells in every direction (a square element; separable maximum).
    static func squareBuffer(_ mask: [UInt8], rows: Int, cols: Int, radius r: Int) -> [UInt8] {
        guard r > 0 else { return mask }
        var across = [UInt8](repeating: 0, count: mask.count)
        for row in 0..<rows {
            for col in 0..<cols where mask[row * cols + col] == 1 {
                for c in max(0, col - r)...min(cols - 1, col + r) { across[row * cols + c] = 1 }
            }
        }
        var out = [UInt8](repeating: 0, count: mask.count)
        for row in 0..<rows {
            for col in 0..<cols where across[row * cols + col] == 1 {
                for rr in max(0, row - r)...min(rows - 1, row + r) { out[rr * cols + col] = 1 }
            }
        }
        return out
    }
}

extension SpatialTest {
    /// `candidates` without the test region and its buffer: where protocol (c) may draw negatives.
    func outside(_ candidates: [Bool]) -> [Bool] { zip(candidates, excluded).map { $0 && !$1 } }

    /// Study B's information-value sampler for protocol (c): the model fitted on (c)'s training landslides
    /// only (the test blocks' landslides never shape it), its very-low zone within `base`.
    func informationValueVeryLow(names: [String], columns: [[Double]], categorical: Set<String>, base: [Bool]) throws -> [Bool] {
        let iv = try InformationValueFit(names: names, columns: columns, landslides: trainingLandslides, method: .naturalBreaks,
                                         categorical: categorical).model
        let breaks = try NaturalBreaks(ClassBreaks.sampled(iv.total.filter { !$0.isNaN }), classes: 5)
        return base.indices.map { base[$0] && !iv.total[$0].isNaN && breaks.classIndex(of: iv.total[$0]) == 0 }
    }

    /// Trains `kind` on (c)'s training landslides and `negativesPerLandslide` times as many negatives drawn
    /// from `candidates` outside the
    /// test region (a 70/30 split, the 70 % training, as under (a) and (b)) and scores (c)'s test points.
    func trainAndScore(_ kind: ModelKind, candidates: [Bool], sampler: String, grid dem: Grid<Float>, avoid landslides: [Int],
                       factors: FactorLayers, raster: FactorRaster?, moments: [(mean: Double, sd: Double)],
                       settings: ModelSettings, patch: Int, model: inout SeededGenerator,
                       negatives negativeGenerator: inout SeededGenerator,
                       negativesPerLandslide: Double = 1) throws -> (scores: [Double], negatives: [Int]) {
        let count = max(1, Int((Double(trainingLandslides.count) * negativesPerLandslide).rounded()))
        let negatives = try NegativeSampling.draw(candidates: outside(candidates), geoTransform: dem.geoTransform, rows: dem.rows,
                                                  cols: dem.cols, count: count, spacingMeters: 0,
                                                  avoid: landslides, generator: &negativeGenerator, sampler: sampler)
        let set = SampleSet.cells(trainingLandslides + negatives,
                                  labels: trainingLandslides.map { _ in 1 } + negatives.map { _ in 0 }, columns: dem.cols)
        let split = Validation.stratifiedSplit(labels: set.labels, trainFraction: 0.7, generator: &model)
        let (scores, _) = try TrainRun.fitAndScore(kind, train: set.subset(split.train), test: test, factors: factors, raster: raster,
                                                   moments: moments, settings: settings, patch: patch, generator: &model)
        return (scores, negatives)
    }

    /// What the results record of the test.
    var summary: SpatialTestSummary {
        SpatialTestSummary(clusters: clusters, heldOutClusters: heldOutClusters, landslides: heldOut.count,
                           nonLandslides: negatives.count, trainingLandslides: trainingLandslides.count, bufferCells: bufferCells)
    }
}

/// Protocol (c)'s test as drawn in one replicate.
public struct SpatialTestSummary: Codable, Sendable {
    public var clusters: Int
    public var heldOutClusters: Int
    public var landslides: Int
    public var nonLandslides: Int
    public var trainingLandslides: Int
    public var bufferCells: Int
}
