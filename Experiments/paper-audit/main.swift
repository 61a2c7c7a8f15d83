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
            Checks: F1 from precision and recall; frequency ratios from their two percentages; percentages \
            summing to 100; columns repeated under another scenario; values outside their own stated ranges; \
            totals and areas that disagree between tables and sections. Exit status 0 either way: finding \
            inconsistencies is the tool working.
            """)

    @Option(help: "The published numbers (YAML; default: the file shipped with the harness).") var published = PublishedNumbers.path
    @Option(help: "Directory for results.json.") var out: String?

    func run() throws {
        do {
            let report = try PaperAudit.run(published: published)
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
