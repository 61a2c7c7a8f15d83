import ArgumentParser
import Foundation
import GeoRaster
import Susceptibility

/// Prints an Encodable as pretty, key-sorted, snake_case JSON.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct BreaksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breaks",
        abstract: "Exact natural breaks (Fisher–Jenks, Ckmeans.1d.dp) of a raster's valid cells or a list of numbers.",
        discussion: """
            FILE is a GeoTIFF (every valid cell is used; no sampling) or a text file with one number per line. \
            Prints JSON: inner_breaks (the k − 1 upper bounds of classes 1…k−1), bounds (min, the inner breaks, \
            max: k + 1 values, jenkspy's layout), counts per class and the within-class sum of squares.
            """)

    @Argument(help: "A GeoTIFF or a text file of numbers.") var file: String
    @Option(help: "Number of classes.") var classes = 5

    struct Output: Encodable {
        let classes: Int
        let values: Int
        let innerBreaks: [Double]
        let bounds: [Double]
        let counts: [Int]
        let withinSumOfSquares: Double
    }

    func validate() throws { guard classes >= 2 else { throw ValidationError("--classes must be ≥ 2") } }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let values = try Self.readValues(file)
            let b: NaturalBreaks
            do { b = try NaturalBreaks(values, classes: classes) } catch let error as ClassificationError {
                throw ValidationError("\(file): \(error)")
            }
            try printJSON(Output(classes: classes, values: values.count, innerBreaks: b.innerBreaks, bounds: b.bounds,
                                 counts: b.counts, withinSumOfSquares: b.withinSumOfSquares))
        }
    }

    static func readValues(_ path: String) throws -> [Double] {
        guard FileManager.default.fileExists(atPath: path) else { throw GeoRasterError.fileNotFound(path: path) }
        if let info = try? RasterIO.info(path) {
            // The cells as doubles, their valid subset and the sorted copy the classification makes.
            try MemoryGuard.require(rows: info.rows, cols: info.cols, bytesPerCell: 32, path: path, work: "breaks")
        }
        if let grid = try? RasterIO.read(path, as: Double.self) {
            try grid.requireFinite(path: path)
            return (0..<grid.count).filter { grid.isValid(at: $0) }.map { grid.values[$0] }
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw GeoRasterError.invalidVector(path: path, reason: "neither a raster nor a text file of numbers")
        }
        var values: [Double] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = Double(t), v.isFinite else {
                throw GeoRasterError.invalidVector(path: path, reason: "line \(number + 1): '\(t)' is not a number")
            }
            values.append(v)
        }
        return values
    }
}

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a susceptibility raster at labelled points: AUC, ROC curve, confusion metrics.",
        discussion: """
            Samples --scores at every point of --points (CSV with x/y columns, or any OGR point file); points \
            off the grid or on nodata are dropped and counted. Prints JSON: auc (tie-aware, = Mann–Whitney), \
            the ROC curve, and accuracy, precision, recall, F1 and the confusion matrix at --threshold.
            """)

    @Option(help: "Susceptibility raster (higher = more susceptible).") var scores: String
    @Option(help: "Labelled points.") var points: String
    @Option(name: .customLong("label-column"), help: "Column holding 1 (landslide) or 0.") var labelColumn = "lslpts"
    @Option(name: .customLong("x-column")) var xColumn = "x"
    @Option(name: .customLong("y-column")) var yColumn = "y"
    @Option(help: "CRS of the points when the file has none (default: the raster's).") var crs: String?
    @Option(help: "Threshold for the confusion metrics (score ≥ threshold ⇒ landslide).") var threshold = 0.5

    /// Metrics that are 0/0 on these points are `null`, and `undefined` says why (never the string "nan").
    struct Output: Encodable {
        let points: Int
        let dropped: Int
        let positives: Int
        let negatives: Int
        let auc: Double?
        let roc: Curve
        let confusion: Confusion
        let undefined: [String: String]

        enum CodingKeys: String, CodingKey { case points, dropped, positives, negatives, auc, roc, confusion, undefined }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(points, forKey: .points); try c.encode(dropped, forKey: .dropped)
            try c.encode(positives, forKey: .positives); try c.encode(negatives, forKey: .negatives)
            try c.encode(auc, forKey: .auc)  // null when undefined (encode, not encodeIfPresent)
            try c.encode(roc, forKey: .roc); try c.encode(confusion, forKey: .confusion); try c.encode(undefined, forKey: .undefined)
        }
    }

    /// The ROC curve; the first threshold, above every score, is `null` (JSON has no infinity).
    struct Curve: Encodable {
        let falsePositiveRate: [Double]
        let truePositiveRate: [Double]
        let thresholds: [Double?]
        init(_ roc: ROC) {
            falsePositiveRate = roc.falsePositiveRate
            truePositiveRate = roc.truePositiveRate
            thresholds = roc.thresholds.map { $0.isFinite ? $0 : nil }
        }
        enum CodingKeys: String, CodingKey { case falsePositiveRate, truePositiveRate, thresholds }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(falsePositiveRate, forKey: .falsePositiveRate)
            try c.encode(truePositiveRate, forKey: .truePositiveRate)
            var t = c.nestedUnkeyedContainer(forKey: .thresholds)
            for v in thresholds { if let v { try t.encode(v) } else { try t.encodeNil() } }
        }
    }

    struct Confusion: Encodable {
        let threshold: Double
        let truePositives, falsePositives, trueNegatives, falseNegatives: Int
        let accuracy, precision, recall, f1: Double?

        enum CodingKeys: String, CodingKey {
            case threshold, truePositives, falsePositives, trueNegatives, falseNegatives, accuracy, precision, recall, f1
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(truePositives, forKey: .truePositives); try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(trueNegatives, forKey: .trueNegatives); try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(accuracy, forKey: .accuracy); try c.encode(precision, forKey: .precision)
            try c.encode(recall, forKey: .recall); try c.encode(f1, forKey: .f1)
        }
    }

    /// The metrics with NaN as nil, and the reason each is undefined.
    static func output(points: Int, dropped: Int, labels y: [UInt8], scores s: [Double], threshold: Double) -> Output {
        let roc = ROC(labels: y, scores: s)
        let m = ConfusionMetrics(labels: y, scores: s, threshold: threshold)
        let positives = y.filter { $0 == 1 }.count, negatives = y.count - positives
        var why: [String: String] = [:]
        func defined(_ key: String, _ v: Double, _ reason: @autoclosure () -> String) -> Double? {
            if v.isNaN { why[key] = reason(); return nil }
            return v
        }
        let classes = "\(positives) landslide and \(negatives) non-landslide points on the grid"
        let auc = defined("auc", roc.auc, "needs both classes; there are \(classes)")
        let accuracy = defined("accuracy", m.accuracy, "no point on the grid")
        let precision = defined("precision", m.precision, "no point scored ≥ \(threshold) (no predicted landslide): 0/0")
        let recall = defined("recall", m.recall, "no landslide point: 0/0")
        let f1 = defined("f1", m.f1, precision == nil || recall == nil ? "precision or recall is undefined"
                                                                        : "precision and recall are both 0")
        return Output(points: points, dropped: dropped, positives: positives, negatives: negatives, auc: auc, roc: Curve(roc),
                      confusion: Confusion(threshold: threshold, truePositives: m.truePositives, falsePositives: m.falsePositives,
                                           trueNegatives: m.trueNegatives, falseNegatives: m.falseNegatives,
                                           accuracy: accuracy, precision: precision, recall: recall, f1: f1),
                      undefined: why)
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let info = try RasterIO.info(scores)
            // The scores as doubles and their validity (a point's cell is looked up in the whole grid).
            try MemoryGuard.require(rows: info.rows, cols: info.cols, bytesPerCell: 16, path: scores, work: "evaluate")
            let grid = try RasterIO.read(scores, as: Double.self)
            let assumed = try crs.map { try CRS($0) } ?? grid.crs
            let set = try VectorIO.readPoints(points, options: PointReadOptions(xColumn: xColumn, yColumn: yColumn,
                                                                                assumedCRS: assumed))
            let labels = try set.numericColumn(labelColumn).enumerated().map { i, v -> UInt8 in
                guard v == 0 || v == 1 else {
                    throw GeoRasterError.invalidVector(path: points, reason: "row \(i + 1): '\(labelColumn)' = \(v); expected 0 or 1")
                }
                return UInt8(v)
            }
            let located = try grid.locate(set, policy: .drop, gridName: scores)
            let y = located.pointIndices.map { labels[$0] }
            let s = grid.sample(located)
            let dropped = located.outside + located.onNodata
            guard !y.isEmpty else {  // `locate` has already refused points that all miss the grid
                throw GeoRasterError.invalidVector(path: points, reason: "it holds no points; expected labelled points")
            }
            if dropped > 0 {
                FileHandle.standardError.write(Data((
                    "evaluate: warning: \(dropped) of \(set.count) points dropped (\(located.outside) outside the grid, "
                    + "\(located.onNodata) on nodata cells of \(scores)); the metrics use the other \(y.count)\n").utf8))
            }
            let output = Self.output(points: set.count, dropped: dropped, labels: y, scores: s,
                                     threshold: threshold)
            for (key, reason) in output.undefined.sorted(by: { $0.key < $1.key }) {
                FileHandle.standardError.write(Data("evaluate: warning: \(key) is undefined (null): \(reason)\n".utf8))
            }
            try printJSON(output)
        }
    }
}
