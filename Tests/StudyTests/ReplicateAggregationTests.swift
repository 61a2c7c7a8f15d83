import ExperimentKit
import Foundation
import SummaryStatistics
import Testing

/// How replicates' results merge (issue G3): metrics become {mean, sd, ci95, n, values} by the t
/// interval, settings and published numbers stay numbers, statements are unioned.
struct ReplicateAggregationTests {
    static func json(_ text: String) -> Any { try! JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func metricsBecomeReplicatedEntriesWithTheTInterval() throws {
        let merged = ReplicateAggregation.merge([
            Self.json(#"{"models": [{"model": "CNN", "auc_common_test": 0.70, "negatives": 122, "auc_reported_by_study": 0.61}], "quick": true, "landslides": 365}"#),
            Self.json(#"{"models": [{"model": "CNN", "auc_common_test": 0.74, "negatives": 122, "auc_reported_by_study": 0.61}], "quick": true, "landslides": 365}"#),
            Self.json(#"{"models": [{"model": "CNN", "auc_common_test": 0.78, "negatives": 122, "auc_reported_by_study": 0.61}], "quick": true, "landslides": 365}"#),
        ]) as? [String: Any]
        let cnn = try #require((merged?["models"] as? [[String: Any]])?.first)
        let auc = try #require(cnn["auc_common_test"] as? [String: Any])
        // mean 0.74, SD 0.04, t(0.975, 2) = 4.302653 ⇒ half-width 4.302653 · 0.04 / √3 = 0.099366.
        #expect(abs((auc["mean"] as? Double ?? 0) - 0.74) < 1e-12)
        #expect(abs((auc["sd"] as? Double ?? 0) - 0.04) < 1e-12)
        let ci = try #require(auc["ci95"] as? [Double])
        #expect(abs(ci[0] - (0.74 - 0.099366)) < 1e-5 && abs(ci[1] - (0.74 + 0.099366)) < 1e-5)
        #expect(auc["n"] as? Int == 3 && auc["values"] as? [Double] == [0.70, 0.74, 0.78])
        // A count the same in every replicate stays a number; so does a published value and a flag.
        #expect(cnn["negatives"] as? Int == 122 && cnn["auc_reported_by_study"] as? Double == 0.61)
        #expect(merged?["landslides"] as? Int == 365)
        #expect(Replicated.isJSONBoolean(try #require(merged?["quick"])))
        #expect(cnn["model"] as? String == "CNN")
    }

    @Test func aMetricIsReplicatedEvenWhenItDoesNotMoveAndACountWhenItDoes() throws {
        let merged = ReplicateAggregation.merge([Self.json(#"{"auc": 1.0, "negatives": 10, "statements": ["a"]}"#),
                                                 Self.json(#"{"auc": 1.0, "negatives": 12, "statements": ["b", "a"]}"#)])
            as? [String: Any]
        let auc = try #require(merged?["auc"] as? [String: Any])
        #expect(auc["sd"] as? Double == 0 && auc["n"] as? Int == 2)
        #expect((merged?["negatives"] as? [String: Any])?["values"] as? [Double] == [10, 12])
        #expect(merged?["statements"] as? [String] == ["a", "b"])
    }

    @Test func nonFiniteValuesAreNumbersAndCanBeReadBack() throws {
        let merged = ReplicateAggregation.merge([Self.json(#"{"f1": "nan"}"#), Self.json(#"{"f1": 0.5}"#)]) as? [String: Any]
        let f1 = try #require(merged?["f1"] as? [String: Any])
        #expect(f1["values"] as? [Any] != nil && (f1["values"] as? [Any])?.first as? String == "nan")
        let back = try #require(ReplicateAggregation.decode(f1))
        #expect(back.n == 1 && back.values.count == 2 && back.values[0].isNaN && back.values[1] == 0.5 && back.mean == 0.5)
        #expect(ReplicateAggregation.decode(0.8)?.n == 1)
    }

    @Test func keysThatNameMetrics() {
        for key in ["auc_common_test", "percent_area", "share_pof_above_half", "f1", "frequency_ratio", "delong_z", "difference",
                    "very_high_mean_slope_deg", "roc_common_test_tpr"] {
            #expect(ReplicateAggregation.isMetric(key), "\(key)")
        }
        #expect(!ReplicateAggregation.isPublished("study_protocol"), "protocol (a)'s metrics are ours, not the study's")
        for key in ["shared_with_random", "negatives", "candidate_cells", "seed", "auc_reported_by_study", "study_percent_area"] {
            #expect(!ReplicateAggregation.isMetric(key), "\(key)")
        }
    }

    @Test func replicateSeedsAreTheRunSeedFirstAndDistinct() {
        #expect(Replication.seed(42, replicate: 0) == 42)
        let seeds = (0..<50).map { Replication.seed(42, replicate: $0) }
        #expect(Set(seeds).count == 50)
    }
}
