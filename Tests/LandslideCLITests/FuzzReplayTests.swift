import Foundation
import Testing
import TestSupport

/// The fuzz targets' seed corpus and every crash the fuzzer has found (Fuzz/crashes/<target>/),
/// replayed through the readers in the normal build: each input returns or throws, none traps.
@Suite(.enabled(if: TestPaths.lojaAvailable, "needs ../shared/data/loja"))
struct FuzzReplayTests {
    static let binary = URL(fileURLWithPath: landslideBinary).deletingLastPathComponent()
        .appendingPathComponent("landslide-fuzz").path

    @Test(arguments: ["config", "points", "hyetograph", "model"])
    func corpusAndCrashesReplayWithoutACrash(target: String) throws {
        let (inputs, _) = try BadInputMatrixTests.inputs.get()
        let root = TestPaths.repositoryRoot
        let crashes = root.appendingPathComponent("Fuzz/crashes/\(target)").path
        var paths = [inputs.url.path]
        switch target {
        case "config": paths.append(root.appendingPathComponent("Experiments/studies/loja.yaml").path)
        case "points": paths.append(TestPaths.loja("points_rsaga_all.csv"))
        case "hyetograph": paths.append(root.appendingPathComponent("Experiments/studies/storm_2013-07-21_reconstructed.csv").path)
        default: break
        }
        if FileManager.default.fileExists(atPath: crashes) { paths.append(crashes) }
        var environment = ProcessInfo.processInfo.environment
        environment["LANDSLIDE_DATA_ROOT"] = TestPaths.dataRoot.path
        let result = try runProcess(Self.binary, [target] + paths, environment: environment)
        #expect(result.status == 0 && !result.signalled, "exit \(result.status); stderr: \(result.stderr)")
        #expect(result.stdout.contains("landslide-fuzz \(target):") && result.stdout.contains("no crash"), "\(result.stdout)")
    }
}
