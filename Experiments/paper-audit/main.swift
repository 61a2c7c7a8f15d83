// paper-audit: the studies' published numbers (published.yaml, beside this file) and the consistency
// checks derived from them; prints the report and writes OUT/results.json. `make audit` runs it.
import ArgumentParser
import Foundation
import ExperimentKit
import PublishedNumbers
import StudyCore

@main
struct PaperAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper-audit",
        abstract: "Check the studies' published numbers against each other; report every number that does not add up.",
        discussion: """
            Checks (each finding names its check and quotes the numbers): values inside their stated ranges; \
            percentages summing to 100; columns repeated under another scenario; frequency ratios; F1 and accuracy \
            from precision and recall at the class balance; totals across models; areas between sections and \
            against cell counts × cell size; shares and information values from their counts; factor ranges and \
            units; cross-references to tables and figures (from the papers' texts); the text's directional and \
            numeric statements against the tables they summarise. Exit status 0 either way: findings are the \
            tool working.
            """)

    @Option(help: "The published numbers (YAML; default: the file shipped with the harness).") var published = PublishedNumbers.path
    @Option(help: "The papers' texts (study-a-*.txt, study-b-*.txt) for the cross-reference check (default: ../shared/papers).")
    var papers = "../shared/papers"
    @Option(help: "Directory for results.json.") var out: String?

    func run() throws {
        do {
            var isDirectory: ObjCBool = false
            let havePapers = FileManager.default.fileExists(atPath: papers, isDirectory: &isDirectory) && isDirectory.boolValue
            if !havePapers {
                FileHandle.standardError.write(Data("paper-audit: no papers at \(papers); cross-references not checked (pass --papers)\n".utf8))
            }
            let report = try PaperAudit.run(published: published, papers: havePapers ? papers : nil)
            print(PaperAudit.text(report))
            if let out {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try ResultsDocument(provenance: Provenance.current(configDigest: "published.yaml", seed: 0), results: report)
                    .write(to: (out as NSString).appendingPathComponent("results.json"))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
