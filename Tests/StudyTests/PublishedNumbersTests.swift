import ExperimentKit
import Foundation
import PublishedNumbers
import StudyCore
import Testing
import TestSupport

/// The studies' published numbers live in one file, which every consumer reads; none is typed in Swift.
@Suite struct PublishedNumbersTests {
    let published = PublishedNumbers.shipped

    /// The file decodes, with the numbers METHODS.md quotes in the places the consumers look for them.
    @Test func theShippedFileDecodes() throws {
        let a = published.studyA, b = published.studyB
        #expect(a.auc.count == 5 && a.tables.count == 32)
        #expect(a.classShares(table: 3, model: "PPM", scenario: "0.01") != nil)
        #expect(a.classShares(table: 4, model: "PPM-CNN", scenario: "CL") != nil)
        #expect(a.table2Means.keys.sorted() == SoilParameter.allCases.filter { $0 != .soilDepth }.map(\.rawValue).sorted())
        #expect(Set(b.metrics.keys) == ["BP", "LSTM", "CNN"])
        #expect(Set(b.samplerAuc.keys) == ["random", "buffer", "slope", "information_value"])
        for column in a.tables { #expect(column.values.count == 5) }
    }

    /// The experiments print what the file says.
    @Test func experimentsQuoteTheFile() {
        #expect(ModelComparison.reported == published.studyA.auc)
    }

    /// No Swift source under Sources/ or Experiments/ types a published number: every AUC, metric,
    /// correlation and Table 3–4 percentage of the file is searched for as a literal. The same digits
    /// may stand for something else; those places are listed here with what they are.
    static let notPublished: [(file: String, number: String, what: String)] = [
        ("Sources/Stages/TrainRun.swift", "0.85", "share of a training set fitted on (15 % watch early stopping)"),
        ("Sources/Charts/BarChart.swift", "0.85", "share of the frame width category labels may take"),
        ("Sources/Charts/BeeswarmChart.swift", "0.85", "marker opacity"),
        ("Sources/Charts/TernaryChart.swift", "0.85", "marker opacity"),
        ("Sources/Charts/RadarChart.swift", "0.85", "label background opacity"),
    ]
    @Test func noPublishedNumberIsTypedInSwift() throws {
        let a = published.studyA, b = published.studyB
        var numbers = Set<String>()
        func add(_ v: Double, _ decimals: Int) { numbers.insert(String(format: "%.\(decimals)f", abs(v))) }
        a.auc.values.forEach { add($0, 2) }
        a.structureSensitivityPearson.values.forEach { add($0, 4) }
        b.samplerAuc.values.forEach { add($0, 3) }
        b.metrics.values.flatMap(\.values).forEach { add($0, 3) }
        // Table 3–4 percentages; those below 1 (e.g. 0.27) are too common in code to be told apart.
        a.tables.flatMap(\.values).filter { $0 >= 1 }.forEach { add($0, 2) }
        let root = TestPaths.repositoryRoot
        var offences: [String] = []
        for folder in ["Sources", "Experiments"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.pathExtension == "swift" else { continue }
                let text = try String(contentsOf: url, encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    for number in numbers where line.contains(number) {
                        let pattern = "(?<![0-9.])" + NSRegularExpression.escapedPattern(for: number) + "(?![0-9])"
                        let file = url.path.replacingOccurrences(of: root.path + "/", with: "")
                        if Self.notPublished.contains(where: { $0.file == file && $0.number == number }) { continue }
                        if line.range(of: pattern, options: .regularExpression) != nil {
                            offences.append("\(url.path.replacingOccurrences(of: root.path + "/", with: "")):\(n + 1): \(number)")
                        }
                    }
                }
            }
        }
        #expect(offences.isEmpty, "published numbers typed in Swift:\n\(offences.joined(separator: "\n"))")
    }
}

/// The coverage file lists every figure and table of both papers, each reproduced or with a reason.
@Suite struct CoverageTests {
    static func numbers(_ kind: String, in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: kind == "Fig." ? #"\bFigs?\.\s?(\d+)"# : #"\bTables?\s?(\d+)"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { "\(kind) \((text as NSString).substring(with: $0.range(at: 1)))" })
    }

    @Test(arguments: [("study-a-cui-2024.txt", "A"), ("study-b-wang-tang-2024.txt", "B")])
    func everyFigureAndTableOfThePaperIsCovered(_ file: String, _ study: String) throws {
        let text = try String(contentsOfFile: TestPaths.dataRoot.deletingLastPathComponent()
            .appendingPathComponent("papers/\(file)").path, encoding: .utf8)
        let coverage = try Coverage.load(TestPaths.repositoryRoot.appendingPathComponent("Experiments/published/coverage.yaml").path)
        let entries = study == "A" ? coverage.studyA : coverage.studyB
        let listed = Set(entries.map(\.item))
        let inPaper = Self.numbers("Fig.", in: text).union(Self.numbers("Table", in: text))
        #expect(inPaper.count >= (study == "A" ? 22 : 11), "the text's figures and tables: \(inPaper.sorted())")
        for item in inPaper.sorted() { #expect(listed.contains(item), "Study \(study): \(item) is in the paper but not in coverage.yaml") }
        for item in listed.subtracting(inPaper).sorted() { Issue.record("Study \(study): coverage.yaml lists \(item), which the paper does not have") }
        #expect(listed.count == entries.count, "an item is listed twice")
        for e in entries {
            let reproduced = e.experiment != nil && !(e.outputs ?? []).isEmpty
            #expect(reproduced != (e.reason != nil), "\(e.item): give an experiment with outputs, or a reason, not both")
        }
    }
}
