import Foundation
import Testing
@testable import Susceptibility

/// Natural breaks equal jenkspy's on 15 seeded cases (normal, lognormal, uniform with ties, bimodal,
/// POF-like; k = 3, 5, 7), and AUC, precision, recall, F1 and accuracy equal scikit-learn's on 4 seeded
/// cases with ties (Tests/Fixtures/make_classification_fixtures.py).
@Suite struct ClassificationPeerTests {
    struct BreaksCase: Decodable {
        let name: String
        let classes: Int
        let values: [Double]
        let breaks: [Double]
    }

    struct MetricsCase: Decodable {
        let labels: [UInt8]
        let scores: [Double]
        let threshold: Double
        let auc: Double
        let precision: Double
        let recall: Double
        let f1: Double
        let accuracy: Double
    }

    struct Fixture: Decodable {
        let breaks: [BreaksCase]
        let metrics: [MetricsCase]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/peer_cases.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test(arguments: fixture.breaks.map(\.name))
    func naturalBreaksEqualJenkspy(name: String) throws {
        let c = try #require(Self.fixture.breaks.first { $0.name == name })
        let ours = try NaturalBreaks(c.values, classes: c.classes)
        #expect(ours.bounds.count == c.breaks.count)
        for (a, b) in zip(ours.bounds, c.breaks) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(ours.bounds) vs \(c.breaks)") }
    }

    @Test func metricsEqualScikitLearn() {
        for c in Self.fixture.metrics {
            #expect(abs(ROC(labels: c.labels, scores: c.scores).auc - c.auc) < 1e-12)
            let m = ConfusionMetrics(labels: c.labels, scores: c.scores, threshold: c.threshold)
            #expect(abs(m.precision - c.precision) < 1e-12 && abs(m.recall - c.recall) < 1e-12)
            #expect(abs(m.f1 - c.f1) < 1e-12 && abs(m.accuracy - c.accuracy) < 1e-12)
        }
    }
}
