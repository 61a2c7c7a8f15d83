import Foundation
import Testing
import TestSupport

/// The bad-input matrix (Tests/BadInput/cases.tsv): every hostile-but-realistic input in it gives one
/// line `error: …` matching the row's pattern, a non-zero exit that is not a crash, a signal or a hang,
/// and leaves nothing behind — no output file or folder in the folder the command ran in, no change to
/// its inputs. The inputs are made by Tests/BadInput/make-inputs.py from the repository's study and the
/// shared Loja data.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct BadInputMatrixTests {
    /// One row of cases.tsv.
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let arguments: [String]
        let expected: String
        var testDescription: String { id }
    }

    static let folder = TestPaths.repositoryRoot.appendingPathComponent("Tests/BadInput")

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("cases.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard !line.hasPrefix("#"), !line.hasPrefix("id\t"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count == 3 else { return Case(id: "malformed row: \(line)", arguments: [], expected: "") }
            return Case(id: columns[0], arguments: columns[1].split(separator: " ").map(String.init), expected: columns[2])
        }
    }()

    /// The inputs, made once per test run, and what they hold (name → size and modification time).
    static let inputs: Result<(TemporaryDirectory, [String: String]), any Error> = Result {
        let dir = try TemporaryDirectory()
        let made = try runProcess("python3", [folder.appendingPathComponent("make-inputs.py").path, dir.url.path,
                                              TestPaths.dataRoot.path, TestPaths.repositoryRoot.path])
        guard made.status == 0 else { throw InputsError(message: "make-inputs.py failed: \(made.stderr)") }
        return (dir, try snapshot(dir.url))
    }

    struct InputsError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    static func snapshot(_ url: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            let a = try FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(name).path)
            out[name] = "\(a[.size] ?? 0) \((a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        return out
    }

    @Test func theMatrixHasAtLeastSixtyCases() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.id)).count == Self.cases.count, "case ids are unique")
        #expect(!Self.cases.contains { $0.id.hasPrefix("malformed") })
    }

    @Test(arguments: cases)
    func badInputIsRefusedCleanly(_ row: Case) throws {
        let (inputs, before) = try Self.inputs.get()
        let work = try TemporaryDirectory()
        let substitutions = ["{in}": inputs.url.path, "{data}": TestPaths.dataRoot.path,
                             "{repo}": TestPaths.repositoryRoot.path]
        let arguments = row.arguments.map { word in
            substitutions.reduce(word) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LANDSLIDE_DATA_ROOT"] = TestPaths.dataRoot.path
        // A hang is a failure too: `timeout` ends the command after two minutes (exit 124).
        let result = try runProcess("timeout", ["-k", "5", "120", landslideBinary] + arguments,
                                    environment: environment, currentDirectory: work.url)
        let lines = result.stderr.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let errors = lines.filter { $0.hasPrefix("error: ") }
        #expect(result.status != 0 && result.status < 124 && !result.signalled,
                "exit \(result.status): a non-zero exit, not a crash (≥ 128), a signal or a timeout (124); stderr: \(result.stderr)")
        #expect(errors.count == 1 && lines.last == errors.first,
                "one line `error: …`, last on stderr; stderr was:\n\(result.stderr)")
        if let line = errors.first {
            let message = String(line.dropFirst("error: ".count))
            #expect(message.range(of: row.expected, options: .regularExpression) != nil,
                    "'\(message)' does not match /\(row.expected)/")
        }
        #expect(!lines.contains { $0.contains("Fatal error") || $0.contains("Stack dump") || $0.contains("Backtrace") })
        let left = try work.contents(), after = try Self.snapshot(inputs.url)
        #expect(left.isEmpty, "left behind: \(left)")
        #expect(after == before, "the inputs are unchanged")
    }
}
