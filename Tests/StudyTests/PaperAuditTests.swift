import Foundation
import StudyCore
import Stages
import Twin
@testable import ExperimentKit
import PublishedNumbers
import Testing
import TestSupport

/// The audit finds, by computation from the printed numbers, at least the inconsistencies METHODS.md's
/// last section names — and passes the checks that do add up.
@Suite struct PaperAuditTests {
    static let papers = TestPaths.dataRoot.deletingLastPathComponent().appendingPathComponent("papers").path
    static let report: PaperAudit.Report = try! PaperAudit.run(published: PublishedNumbers.path,
                                                              papers: FileManager.default.fileExists(atPath: papers) ? papers : nil)

    static func failing(_ subject: String) -> PaperAudit.Check? {
        report.checks.first { !$0.consistent && $0.subject.contains(subject) }
    }

    @Test func findsTheInconsistenciesMethodsNames() throws {
        // Study B's CNN F1 (0.960) does not follow from its precision and recall: 2·0.941·0.943/1.884 = 0.942.
        let f1 = try #require(Self.failing("CNN F1"))
        #expect(f1.computed.hasPrefix("2PR/(P+R) = 0.9420") && f1.printed.hasSuffix("F1 0.960"))
        // Study B's CNN class areas differ between Table 2 and the conclusions.
        #expect(Self.failing("CNN very high area") != nil && Self.failing("CNN very low area") != nil)
        // Study A's Table 4 PPM block repeats Table 3's (all eight columns), and the PPM-CNN's UN columns
        // repeat COV 0.10's: the paper's UN varies c′ and φ′ only, so nothing makes them equal.
        let repeats = Self.report.checks.filter { !$0.consistent && $0.subject.hasPrefix("PPM percent") && $0.subject.contains("Table 4") }
        #expect(repeats.count == 8)
        #expect(Self.failing("PPM-CNN percent_area: Table 3 0.10 = Table 4 UN") != nil)
        // Study A's best L2 factor lies outside its search range.
        #expect(Self.failing("l2_factor best") != nil)
    }

    @Test func passesWhatAddsUp() {
        for subject in ["BP F1", "LSTM F1", "BP total area", "CNN total area", "CNN landslides", "BP accuracy"] {
            #expect(Self.report.checks.contains { $0.consistent && $0.subject.contains(subject) }, "\(subject)")
        }
        let sums = Self.report.checks.filter { $0.study == "A" && $0.check == AuditCheck.percentagesSumTo100.rawValue }
        #expect(sums.count == 32 && sums.allSatisfy { $0.consistent })
        // Study A's own Table 3 shows the POF < 0.5 sampler's degeneracy: classes IV + V of the PPM hold the
        // same area (34.08 %) and landslides (76.71 %) at every COV.
        let invariant = Self.report.checks.filter { $0.check == AuditCheck.invariantUnderCOV.rawValue }
        #expect(invariant.count == 2 && invariant.allSatisfy { $0.consistent })
    }

    @Test func everyCheckRunsAndTheReportCountsThem() {
        let counts = Self.report.byCheck
        #expect(counts.count == AuditCheck.allCases.count)
        for c in counts where c.check != AuditCheck.crossReferences.rawValue || FileManager.default.fileExists(atPath: Self.papers) {
            #expect(c.checked > 0, "\(c.check) never ran")
        }
        #expect(counts.map(\.findings).reduce(0, +) == Self.report.inconsistencies)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: papers), "needs ../shared/papers"))
    func crossReferencesFindStudyBsTable5() throws {
        let c = try #require(Self.failing("Table 5 cited"))
        #expect(c.study == "B" && c.computed.contains("numbered up to 3"))
    }
}

/// Each check on a small hand-made table where it must fire and on one where it must not.
@Suite struct AuditCheckTests {
    typealias A = PaperAudit

    @Test func valueInsideRange() {
        #expect(A.valueInsideRange("X", subject: "s", range: [0, 1], value: 0.5).consistent)
        #expect(!A.valueInsideRange("X", subject: "s", range: [0, 1], value: 1.5).consistent)
    }

    @Test func percentagesSumTo100() {
        #expect(A.percentagesSumTo100("X", subject: "s", values: [20, 30, 50.01]).consistent)   // within 3 × 0.005
        #expect(!A.percentagesSumTo100("X", subject: "s", values: [20, 30, 49.9]).consistent)
    }

    @Test func repeatedColumns() {
        let a = PrintedColumn(table: 3, model: "M", quantity: "q", scenario: "s1", values: [1, 2, 3, 4, 90])
        var b = a; b.scenario = "s2"
        #expect(A.repeatedColumns("X", [a, b]).count == 1)
        b.values[0] = 1.5
        #expect(A.repeatedColumns("X", [a, b]).isEmpty)
    }

    @Test func frequencyRatioRises() {
        #expect(A.frequencyRatioRises("X", subject: "s", landslides: [5, 10, 15, 30, 40], area: [40, 30, 15, 10, 5]).consistent)
        #expect(!A.frequencyRatioRises("X", subject: "s", landslides: [40, 30, 15, 10, 5], area: [5, 10, 15, 30, 40]).consistent)
    }

    @Test func f1AndAccuracyFromPrecisionAndRecall() throws {
        // P = 0.8, R = 0.9: F1 = 1.44/1.7 = 0.847; at 50 % positives, accuracy = 0.45 + 0.5 − 0.45·0.25 = 0.8375.
        let good = PrintedMetrics(model: "M", values: ["precision": 0.8, "recall": 0.9, "f1": 0.847, "accuracy": 0.838])
        #expect(try #require(A.f1FromPrecisionRecall("X", good)).consistent)
        #expect(try #require(A.accuracyFromPrecisionRecall("X", good, positiveShare: 0.5)).consistent)
        let bad = PrintedMetrics(model: "M", values: ["precision": 0.8, "recall": 0.9, "f1": 0.86, "accuracy": 0.9])
        let fired709 = try #require(A.f1FromPrecisionRecall("X", bad))
        #expect(!fired709.consistent)
        let fired81 = try #require(A.accuracyFromPrecisionRecall("X", bad, positiveShare: 0.5))
        #expect(!fired81.consistent)
    }

    @Test func totalsAgreeAcrossModels() {
        #expect(A.totalsAgree("X", what: "area", totals: [("a", 100), ("b", 100.01)], tolerance: 0.05, decimals: 2).allSatisfy { $0.consistent })
        #expect(!A.totalsAgree("X", what: "area", totals: [("a", 100), ("b", 101)], tolerance: 0.05, decimals: 2).allSatisfy { $0.consistent })
    }

    @Test func areasAgreeBetweenSections() {
        #expect(A.areaAgreesBetweenSections("X", subject: "s", table: 10, elsewhere: 10.02, tolerance: 0.05).consistent)
        #expect(!A.areaAgreesBetweenSections("X", subject: "s", table: 10, elsewhere: 12, tolerance: 0.05).consistent)
    }

    @Test func areaFromCellCounts() {
        // 1,000,000 cells of 30 m = 900 km².
        #expect(A.areaFromCells("X", subject: "s", cells: 1_000_000, cellMeters: 30, areaKm2: 905).consistent)
        #expect(!A.areaFromCells("X", subject: "s", cells: 1_000_000, cellMeters: 30, areaKm2: 1000).consistent)
    }

    static func table(percentLandslides: [Double] = [25, 75], ivs: [Double]? = nil, slides: [Double] = [1, 3],
                      factor: String = "slope", unit: String = "°", ranges: [(Double, Double)] = [(0, 20), (20.01, 60)]) -> FactorTable {
        // 100 + 300 cells; 1 + 3 landslides: % area 25/75, IV = ln(0.25/0.25) = 0 for both.
        let cells = [100.0, 300]
        let iv = ivs ?? zip(slides, cells).map { log(($0 / 4) / ($1 / 400)) }
        return FactorTable(factor: factor, unit: unit, classes: (0..<2).map {
            FactorClass([ranges[$0].0, ranges[$0].1, cells[$0], 100 * cells[$0] / 400, slides[$0], percentLandslides[$0], iv[$0]])
        })
    }

    @Test func sharesFromCounts() {
        #expect(A.sharesFromCounts("X", Self.table(), inventory: 4).allSatisfy { $0.consistent })
        #expect(!A.sharesFromCounts("X", Self.table(percentLandslides: [20, 80]), inventory: 4).allSatisfy { $0.consistent })
        #expect(!A.sharesFromCounts("X", Self.table(), inventory: 5).allSatisfy { $0.consistent })
    }

    @Test func informationValueFromCounts() {
        #expect(A.informationValues("X", Self.table()).allSatisfy { $0.consistent })
        #expect(!A.informationValues("X", Self.table(ivs: [0.1, 0])).allSatisfy { $0.consistent })
        // No landslide in a class: −∞, whatever is printed.
        #expect(!A.informationValues("X", Self.table(percentLandslides: [0, 100], ivs: [0, 0.288], slides: [0, 4])).allSatisfy { $0.consistent })
    }

    @Test func rangesAndUnits() {
        #expect(A.rangesAndUnits("X", Self.table(), cellMeters: 30).allSatisfy { $0.consistent })
        #expect(!A.rangesAndUnits("X", Self.table(ranges: [(0, 20), (20.01, 95)]), cellMeters: 30).allSatisfy { $0.consistent })  // slope > 90°
        #expect(!A.rangesAndUnits("X", Self.table(unit: "m"), cellMeters: 30).allSatisfy { $0.consistent })                       // slope in m
        #expect(!A.rangesAndUnits("X", Self.table(ranges: [(0, 30), (20, 60)]), cellMeters: 30).allSatisfy { $0.consistent })    // overlap
        #expect(!A.rangesAndUnits("X", Self.table(factor: "road_distance", unit: "m", ranges: [(0, 0.02), (0.021, 0.09)]),
                                  cellMeters: 30).allSatisfy { $0.consistent })
        #expect(A.parameterUnit("X", name: "unit_weight_kN_m3", value: 25, unit: "kN/m³")?.consistent == true)
        #expect(A.parameterUnit("X", name: "unit_weight_kN_m3", value: 25, unit: "kg/m³")?.consistent == false)
    }

    @Test func crossReferences() {
        let good = "As Fig. 1 and Table 1 show.\nFig. 1. A map.\nTable 1\nrows"
        #expect(A.crossReferences("X", text: good).allSatisfy { $0.consistent })
        let bad = "As Fig. 2 and Table 3 show.\nFig. 1. A map.\nTable 1\nrows"
        let checks = A.crossReferences("X", text: bad)
        #expect(checks.filter { !$0.consistent }.map(\.subject).sorted() == ["Fig. 2 cited", "Table 3 cited"])
    }

    static let columns = [
        PrintedColumn(table: 3, model: "M", quantity: "percent_landslides", scenario: "a", values: [10, 10, 10, 30, 40]),
        PrintedColumn(table: 3, model: "M", quantity: "percent_area", scenario: "a", values: [40, 20, 20, 10, 10]),
        PrintedColumn(table: 3, model: "M", quantity: "percent_landslides", scenario: "b", values: [10, 10, 20, 30, 30]),
        PrintedColumn(table: 3, model: "M", quantity: "percent_area", scenario: "b", values: [30, 20, 20, 15, 15]),
    ]

    @Test func statementsAgainstTheTable() {
        func holds(_ s: [String: Any]) -> Bool { A.statementA(s, Self.columns).allSatisfy { $0.consistent } }
        // Class V's area falls from a to b (10 → 15 is a rise): "decreases" must fire, "increases" must not.
        let base: [String: Any] = ["kind": "monotone", "table": 3, "model": "M", "quantity": "percent_area", "classes": [5], "across": ["a", "b"]]
        #expect(holds(base.merging(["direction": "increasing"]) { $1 }))
        #expect(!holds(base.merging(["direction": "decreasing"]) { $1 }))
        // FR(V) = 4 at a, 2 at b.
        #expect(holds(["kind": "monotone", "direction": "decreasing", "table": 3, "model": "M", "quantity": "frequency_ratio",
                       "classes": [5], "across": ["a", "b"]]))
        #expect(holds(["kind": "equals", "values": [20], "decimals": 0, "table": 3, "model": "M", "quantity": "percent_area",
                       "classes": [4, 5], "scenario": "a"]))
        #expect(!holds(["kind": "equals", "values": [25], "decimals": 0, "table": 3, "model": "M", "quantity": "percent_area",
                        "classes": [4, 5], "scenario": "a"]))
        // FR(V)/FR(I) = 4/0.25 = 16 at a; (30/15)/(10/30) = 6 at b.
        let ratio: [String: Any] = ["kind": "ratio_at_least", "table": 3, "quantity": "frequency_ratio", "classes": [5], "reference_class": 1]
        #expect(holds(ratio.merging(["factor": 10, "across": ["a"]]) { $1 }))
        #expect(!holds(ratio.merging(["factor": 10, "across": ["a", "b"]]) { $1 }))
        let less: [String: Any] = ["kind": "less_than", "table": 3, "model": "M", "quantity": "percent_area", "classes": [5]]
        #expect(holds(less.merging(["pairs": [["a", "b"]]]) { $1 }))
        #expect(!holds(less.merging(["pairs": [["b", "a"]]]) { $1 }))
    }

    @Test func studyBStatementsAgainstTheirTables() {
        let metrics = [PrintedMetrics(model: "P", values: ["auc": 0.9, "f1": 0.95]), PrintedMetrics(model: "Q", values: ["auc": 0.95, "f1": 0.91])]
        let counts = ["P": [10.0, 20, 70]]
        func holds(_ s: [String: Any], _ b: [String: Any] = [:]) -> Bool {
            let c = A.statementB(s, metrics: metrics, counts: counts, b: b)
            return !c.isEmpty && c.allSatisfy { $0.consistent }
        }
        #expect(holds(["kind": "share_of_total", "model": "P", "class": 3, "count": 70, "percent": 70.0]))
        #expect(!holds(["kind": "share_of_total", "model": "P", "class": 3, "count": 70, "percent": 72.0]))
        #expect(holds(["kind": "all_above", "threshold": 0.9, "fields": ["f1"]]))
        #expect(!holds(["kind": "all_above", "threshold": 0.9, "fields": ["auc"]]))
        #expect(holds(["kind": "greatest", "among": "metrics_auc", "item": "Q"]))
        #expect(!holds(["kind": "greatest", "among": "metrics_auc", "item": "P"]))
        let b: [String: Any] = ["sampler_auc": ["random": 0.9, "iv": 0.99]]
        #expect(holds(["kind": "greatest", "among": "sampler_auc", "item": "iv"], b))
        #expect(!holds(["kind": "greatest", "among": "sampler_auc", "item": "random"], b))
    }

    @Test func invariantUnderCOV() throws {
        let same = [PrintedColumn(table: 3, model: "PPM", quantity: "percent_area", scenario: "a", values: [60, 5, 1, 4, 30]),
                    PrintedColumn(table: 3, model: "PPM", quantity: "percent_area", scenario: "b", values: [50, 10, 6, 10, 24])]
        #expect(try #require(A.invariantUnderCOV("X", quantity: "percent_area", columns: same)).consistent)
        var moved = same
        moved[1].values = [50, 10, 5, 10, 25]
        let fired168 = try #require(A.invariantUnderCOV("X", quantity: "percent_area", columns: moved))
        #expect(!fired168.consistent)
    }
}
