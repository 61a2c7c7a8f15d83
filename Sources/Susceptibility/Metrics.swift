import Foundation

/// A receiver operating characteristic and its area.
public struct ROC: Sendable, Codable, Equatable {
    /// False-positive and true-positive rates at each distinct threshold, from (0, 0) to (1, 1).
    public var falsePositiveRate: [Double]
    public var truePositiveRate: [Double]
    /// The thresholds (score ≥ threshold ⇒ positive), highest first; +∞ for the (0, 0) point.
    public var thresholds: [Double]
    /// Area under the curve: the Mann–Whitney probability that a random positive scores higher than a
    /// random negative, ties counting one half (= the trapezoidal area of the tie-aware curve).
    public var auc: Double

    /// - Parameters: labels 1 (positive, landslide) or 0; scores, higher = more susceptible.
    public init(labels: [UInt8], scores: [Double]) {
        precondition(labels.count == scores.count, "one score per label")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = Double(labels.filter { $0 == 1 }.count), negatives = Double(labels.count) - positives
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        var tp = 0.0, fp = 0.0, area = 0.0
        var i = 0
        while i < order.count {
            let s = scores[order[i]]
            var dtp = 0.0, dfp = 0.0
            while i < order.count && scores[order[i]] == s {
                if labels[order[i]] == 1 { dtp += 1 } else { dfp += 1 }
                i += 1
            }
            // Trapezoid over a tied block: counts ties as one half.
            area += dfp * (tp + dtp / 2)
            tp += dtp
            fp += dfp
            fpr.append(negatives > 0 ? fp / negatives : 0)
            tpr.append(positives > 0 ? tp / positives : 0)
            thresholds.append(s)
        }
        falsePositiveRate = fpr
        truePositiveRate = tpr
        self.thresholds = thresholds
        auc = positives > 0 && negatives > 0 ? area / (positives * negatives) : .nan
    }
}

/// Confusion matrix and the scores derived from it, at one threshold (score ≥ threshold ⇒ positive).
public struct ConfusionMetrics: Sendable, Codable, Equatable {
    public var threshold: Double
    public var truePositives: Int
    public var falsePositives: Int
    public var trueNegatives: Int
    public var falseNegatives: Int
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    /// 2 · precision · recall / (precision + recall).
    public var f1: Double

    public init(labels: [UInt8], scores: [Double], threshold: Double) {
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (y, s) in zip(labels, scores) {
            switch (y == 1, s >= threshold) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (false, false): tn += 1
            case (true, false): fn += 1
            }
        }
        self.threshold = threshold
        truePositives = tp
        falsePositives = fp
        trueNegatives = tn
        falseNegatives = fn
        let n = Double(tp + fp + tn + fn)
        accuracy = n > 0 ? Double(tp + tn) / n : .nan
        precision = tp + fp > 0 ? Double(tp) / Double(tp + fp) : .nan
        recall = tp + fn > 0 ? Double(tp) / Double(tp + fn) : .nan
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : .nan
    }
}

/// The frequency ratio of susceptibility classes: FR = (% of landslides in the class) / (% of area in
/// the class) (METHODS.md A6; Lee & Pradhan 2007).
public struct FrequencyRatio: Sendable, Codable, Equatable {
    public var percentLandslides: [Double]
    public var percentArea: [Double]
    public var ratio: [Double]

    /// - Parameters: the class of every valid cell, and of every landslide cell; `classes` classes.
    public init(cellClasses: [Int], landslideClasses: [Int], classes: Int) {
        var area = [Double](repeating: 0, count: classes), slides = area
        for c in cellClasses { area[c] += 1 }
        for c in landslideClasses { slides[c] += 1 }
        let totalArea = area.reduce(0, +), totalSlides = slides.reduce(0, +)
        percentArea = area.map { totalArea > 0 ? 100 * $0 / totalArea : .nan }
        percentLandslides = slides.map { totalSlides > 0 ? 100 * $0 / totalSlides : .nan }
        ratio = zip(percentLandslides, percentArea).map { $1 > 0 ? $0 / $1 : .nan }
    }
}

/// Normalised susceptibility values (min–max to [0, 1]) and the normal fitted to them (METHODS.md A6).
public struct NormalisedSusceptibility: Sendable, Codable, Equatable {
    public var values: [Double]
    /// Maximum-likelihood normal: mean and (population) standard deviation.
    public var mean: Double
    public var standardDeviation: Double

    public init(_ scores: [Double]) {
        let lo = scores.min() ?? 0, hi = scores.max() ?? 1
        values = scores.map { hi > lo ? ($0 - lo) / (hi - lo) : 0 }
        let n = Double(max(1, values.count))
        let m = values.reduce(0, +) / n
        mean = m
        standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
    }
}

extension ROC {
    /// The curve's true-positive rate at each false-positive rate of `grid`, read along the curve
    /// (linear between its points; on a vertical step, the step's top), for averaging curves of
    /// different test sets vertically (Fawcett 2006, Pattern Recognition Letters 27:861–874, §8).
    public func truePositiveRate(atFalsePositiveRates grid: [Double]) -> [Double] {
        grid.map { f in
            var best = 0.0
            for i in falsePositiveRate.indices {
                let x0 = falsePositiveRate[i]
                if x0 <= f { best = max(best, truePositiveRate[i]) }
                if i + 1 < falsePositiveRate.count {
                    let x1 = falsePositiveRate[i + 1]
                    if x0 < f && f < x1 {
                        let t = (f - x0) / (x1 - x0)
                        best = max(best, truePositiveRate[i] + t * (truePositiveRate[i + 1] - truePositiveRate[i]))
                    }
                }
            }
            return best
        }
    }

    /// 0, 0.01, …, 1: the false-positive rates at which replicate curves are averaged.
    public static let averagingGrid: [Double] = (0...100).map { Double($0) / 100 }
}
