import StudyCore
import Stages
import Twin
import ExperimentKit
import PublishedNumbers
import Testing
import TestSupport

/// The audit finds, by computation from the printed numbers, at least the inconsistencies METHODS.md's
/// last section names — and passes the checks that do add up.
@Suite struct PaperAuditTests {
    static let report: PaperAudit.Report = try! PaperAudit.run(published: PublishedNumbers.path)

    static func failing(_ subject: String) -> PaperAudit.Check? {
        report.checks.first { !$0.consistent && $0.subject.contains(subject) }
    }

    @Test func findsTheInconsistenciesMethodsNames() throws {
        // Study B's CNN F1 (0.960) does not follow from its precision and recall: 2·0.941·0.943/1.884 = 0.942.
        let f1 = try #require(Self.failing("CNN F1"))
        #expect(f1.computed == "0.9420" && f1.printed == "0.960")
        // Study B's CNN class areas differ between Table 2 and the conclusions.
        #expect(Self.failing("CNN very high area") != nil && Self.failing("CNN very low area") != nil)
        // Study A's Table 4 PPM block repeats Table 3's (all eight columns).
        let repeats = Self.report.checks.filter { !$0.consistent && $0.subject.hasPrefix("PPM percent") && $0.subject.contains("Table 4") }
        #expect(repeats.count == 8)
        // Study A's best L2 factor lies outside its search range.
        #expect(Self.failing("l2_factor best") != nil)
    }

    @Test func passesWhatAddsUp() {
        // BP and LSTM F1 follow from their precision and recall; every model's areas and landslides add
        // up to the same totals; UN's PPM-CNN column equals COV 0.10's by construction.
        for subject in ["BP F1", "LSTM F1", "BP total area", "CNN total area", "CNN landslides", "Table 3 0.10 = Table 4 UN"] {
            #expect(Self.report.checks.contains { $0.consistent && $0.subject.contains(subject) }, "\(subject)")
        }
        let sums = Self.report.checks.filter { $0.check.hasPrefix("percentages sum to 100") }
        #expect(sums.count == 32 && sums.allSatisfy { $0.consistent })
    }
}
