import Foundation
import Testing
import TestSupport
@testable import Susceptibility

@Suite struct NaturalBreaksTests {
    /// ../shared/reference → jenks: x_i = ((i·7919) mod 1009)/10 + (i mod 7)·3.3, i = 0…299, 5 classes;
    /// breaks by jenkspy 0.4 (exact Fisher–Jenks): [min, four inner breaks, max], to 1e-9.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func equalsJenkspyReference() throws {
        let reference = try #require((try TestPaths.referenceJSON()["jenks"] as? [String: Any])?["breaks"] as? [Double])
        let values: [Double] = (0..<300).map { (i: Int) -> Double in
            let first: Double = Double((i * 7919) % 1009) / 10
            let second: Double = Double(i % 7) * 3.3
            return first + second
        }
        let breaks = try NaturalBreaks(values, classes: 5)
        #expect(breaks.bounds.count == reference.count)
        for (a, b) in zip(breaks.bounds, reference) {
            let difference: Double = abs(a - b)
            #expect(difference < 1e-9, "\(breaks.bounds) vs \(reference)")
        }
        #expect(breaks.counts.reduce(0, +) == 300)
    }

    /// On small sets the partition is the best of all C(n−1, k−1) contiguous partitions.
    @Test(arguments: [(3, 11), (4, 13), (2, 9), (5, 14)])
    func optimalAgainstBruteForce(classes: Int, count: Int) throws {
        var state: UInt64 = UInt64(classes * 1000 + count)
        let values = (0..<count).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / 1000
        }.sorted()
        func ssq(_ v: ArraySlice<Double>) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        }
        var best = Double.infinity
        func search(_ start: Int, _ left: Int, _ acc: Double) {
            if left == 1 { best = min(best, acc + ssq(values[start...])); return }
            guard start + left <= values.count else { return }
            for end in start..<(values.count - left + 1) { search(end + 1, left - 1, acc + ssq(values[start...end])) }
        }
        search(0, classes, 0)
        let breaks = try NaturalBreaks(values, classes: classes)
        #expect(abs(breaks.withinSumOfSquares - best) <= 1e-9 * max(1, best))
    }

    @Test func classAssignmentAndErrors() throws {
        let b = try NaturalBreaks([1, 1.1, 1.2, 5, 5.1, 9, 9.2], classes: 3)
        #expect(b.innerBreaks == [1.2, 5.1])
        #expect(b.classIndex(of: 1.2) == 0 && b.classIndex(of: 1.3) == 1 && b.classIndex(of: 9.2) == 2)
        #expect(throws: ClassificationError.tooFewValues(count: 2, classes: 3)) { try NaturalBreaks([1, 1, 2], classes: 3) }
        #expect(throws: ClassificationError.nonFinite(index: 1)) { try NaturalBreaks([1, .nan, 2, 3], classes: 2) }
    }
}

@Suite struct MetricsTests {
    /// ../shared/reference → roc_auc: y_i = 1 if (i·31 mod 17) < 6, s_i = round(((i·13 mod 29)/29)·0.6 + 0.3·y_i, 2),
    /// i = 0…199 (ties present); AUC by scikit-learn 1.9.1, to 1e-12.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.referenceValues.path)))
    func aucEqualsScikitLearn() throws {
        let reference = try #require(try TestPaths.referenceJSON()["roc_auc"] as? [String: Any])
        let labels = (0..<200).map { UInt8(($0 * 31) % 17 < 6 ? 1 : 0) }
        // Python's round(x, 2): correctly rounded from the binary value, as printf's %.2f is.
        let scores = (0..<200).map { i -> Double in
            let x = Double((i * 13) % 29) / 29 * 0.6 + 0.3 * Double(labels[i])
            return Double(String(format: "%.2f", x))!
        }
        #expect(labels.filter { $0 == 1 }.count == reference["positives"] as? Int)
        let roc = ROC(labels: labels, scores: scores)
        #expect(abs(roc.auc - (reference["auc"] as! Double)) < 1e-12)
        // The Mann–Whitney statistic counted pair by pair agrees.
        var wins = 0.0
        for i in 0..<200 where labels[i] == 1 {
            for j in 0..<200 where labels[j] == 0 { wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0) }
        }
        #expect(abs(roc.auc - wins / (71 * 129)) < 1e-12)
        #expect(roc.falsePositiveRate.first == 0 && roc.truePositiveRate.last == 1)
    }

    @Test func confusionAtAThreshold() {
        let m = ConfusionMetrics(labels: [1, 1, 1, 0, 0, 0, 0, 1], scores: [0.9, 0.8, 0.3, 0.7, 0.2, 0.1, 0.6, 0.5],
                                 threshold: 0.5)
        #expect(m.truePositives == 3 && m.falseNegatives == 1 && m.falsePositives == 2 && m.trueNegatives == 2)
        #expect(abs(m.accuracy - 5.0 / 8) < 1e-15 && abs(m.precision - 0.6) < 1e-15 && abs(m.recall - 0.75) < 1e-15)
        #expect(abs(m.f1 - 2 * 0.6 * 0.75 / 1.35) < 1e-15)
    }

    /// Study A, Table 3, PPM at COV 0.01, class V: 76.16 % of landslides on 33.80 % of the area → FR 2.253.
    @Test func frequencyRatio() {
        let fr = FrequencyRatio(cellClasses: [0, 0, 0, 1, 2, 2, 2, 2, 4, 4], landslideClasses: [0, 4, 4, 4], classes: 5)
        #expect(fr.percentArea == [30, 10, 40, 0, 20])
        #expect(fr.percentLandslides == [25, 0, 0, 0, 75])
        #expect(fr.ratio[4] == 3.75 && fr.ratio[3].isNaN)
        #expect(abs(76.16 / 33.80 - 2.2532) < 1e-4)
    }

    @Test func normalisedSusceptibility() {
        let nsv = NormalisedSusceptibility([2, 4, 6, 8])
        #expect(nsv.values == [0, 1.0 / 3, 2.0 / 3, 1])
        // Deviations ±1/2, ±1/6: variance (2/4 + 2/36)/4 = 5/36.
        #expect(abs(nsv.mean - 0.5) < 1e-15 && abs(nsv.standardDeviation - (5.0 / 36).squareRoot()) < 1e-12)
    }
}
