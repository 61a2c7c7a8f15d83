import Foundation
import GeoRaster
import NeuralNet
import Randomness
import StudyCore
import Susceptibility

public enum SampleError: Error, CustomStringConvertible, Equatable {
    case noSamples(config: String)
    case badLabel(file: String, column: String, value: Double)
    case oneClass(file: String, landslides: Int, nonLandslides: Int)
    /// More cross-validation folds than either class has samples: some test folds cannot hold both.
    case tooManyFolds(file: String, folds: Int, landslides: Int, nonLandslides: Int)
    /// Every fold held one class only: nothing was evaluated.
    case noFoldEvaluated(file: String, folds: Int)
    public var description: String {
        switch self {
        case let .noSamples(config):
            "\(config): no evaluation_points to train on; give --samples FILE (a CSV with x, y, lslpts, e.g. from `landslide sample`)"
        case let .badLabel(file, column, value): "\(file): column \(column) holds \(value); expected 0 or 1"
        case let .oneClass(file, l, n):
            "\(file): \(l) landslides and \(n) non-landslides on valid cells; both classes are needed to train"
        case let .tooManyFolds(file, k, l, n):
            "--folds \(k): \(file) has \(l) landslides and \(n) non-landslides, so some test folds could not hold both classes; use at most \(min(l, n)) folds"
        case let .noFoldEvaluated(file, k):
            "--folds \(k): every fold of \(file) held one class only, so nothing was evaluated; use fewer folds"
        }
    }
}

/// Labelled sample cells of a study, with their map coordinates.
public struct SampleSet: Sendable {
    public var cells: [Int]
    public var labels: [Int]
    public var x: [Double]
    public var y: [Double]
    public var source: String

    public var landslides: Int { labels.filter { $0 == 1 }.count }
    public var nonLandslides: Int { labels.count - landslides }

    public func subset(_ idx: [Int]) -> SampleSet {
        SampleSet(cells: idx.map { cells[$0] }, labels: idx.map { labels[$0] }, x: idx.map { x[$0] }, y: idx.map { y[$0] },
                  source: source)
    }

    /// Points from a CSV with x, y and a 0/1 label column (e.g. `landslide sample` output) or the
    /// study's evaluation points; located on the DEM, points off the grid dropped, cells where a
    /// factor is missing dropped.
    public static func load(_ context: StudyContext, path: String?, labelColumn: String = "lslpts",
                            valid: [Bool]) throws -> SampleSet {
        let (config, dem) = (context.config, context.dem)
        let points: PointSet, column: String, source: String
        if let path {
            points = try VectorIO.readPoints(path, options: PointReadOptions(assumedCRS: dem.crs))
            column = labelColumn; source = path
        } else if let ev = config.evaluationPoints {
            points = try VectorIO.readPoints(ev.path, options: try ev.readOptions())
            column = ev.labelColumn!; source = ev.path
        } else {
            throw SampleError.noSamples(config: config.configPath)
        }
        let onGrid = try dem.locate(points, policy: .drop, gridName: config.demPath)
        let labels = try points.numericColumn(column)
        var set = SampleSet(cells: [], labels: [], x: [], y: [], source: source)
        for (k, i) in onGrid.pointIndices.enumerated() where valid[onGrid.cellIndices[k]] {
            guard labels[i] == 0 || labels[i] == 1 else {
                throw SampleError.badLabel(file: source, column: column, value: labels[i])
            }
            set.cells.append(onGrid.cellIndices[k]); set.labels.append(Int(labels[i]))
            set.x.append(points.points[i].x); set.y.append(points.points[i].y)
        }
        return set
    }

    /// Keeps every landslide and `count` non-landslides chosen at random (e.g. 175 + 175, the lsl set).
    public func balanced(negatives count: Int, generator: inout SeededGenerator) -> SampleSet {
        let neg = labels.indices.filter { labels[$0] == 0 }
        let order = Trainer.permutation(neg.count, generator: &generator)
        let keep = Set(order.prefix(count).map { neg[$0] })
        return subset(labels.indices.filter { labels[$0] == 1 || keep.contains($0) })
    }
}


extension SampleSet {
    /// Cells with labels; coordinates are the cells' column and row (enough for the splits used here).
    public static func cells(_ cells: [Int], labels: [Int], columns: Int) -> SampleSet {
        SampleSet(cells: cells, labels: labels, x: cells.map { Double($0 % columns) }, y: cells.map { Double($0 / columns) },
                  source: "experiment")
    }
}
