import Foundation
import GeoRaster
import SlopePhysics
import Stages
import StudyCore

/// The readers a user's files reach first, as fuzz targets: each takes arbitrary bytes and must
/// either return or throw — never trap, hang or exhaust memory. A thrown error's message is rendered
/// too (formatting an error is where a hostile file once crashed a reader).
///
/// Built two ways (see `make fuzz`): with `-sanitize=fuzzer -D FUZZING`, libFuzzer's `main` drives
/// ``run(_:_:)`` through `LLVMFuzzerTestOneInput` (the target chosen by `LANDSLIDE_FUZZ_TARGET`);
/// in the normal build, `landslide-fuzz TARGET FILE…` replays files through the same target, which is
/// how `make test` runs the corpus and every crash the fuzzer found.
enum FuzzTarget: String, CaseIterable {
    /// `StudyConfig.load`: YAML, keys, ranges, data paths.
    case config
    /// `VectorIO.readPoints` on a CSV, then the label column as numbers.
    case points
    /// `Hyetograph.read(csvText:)`: a storm's elapsed hours and intensities.
    case hyetograph
    /// `MapRun.decodeModel`: a model file from `landslide train --save-model`.
    case model

    /// A private scratch folder for the readers that need a file (the config, OGR's CSV driver).
    static let scratch: String = {
        let dir = NSTemporaryDirectory() + "landslide-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static let dataRoot = ProcessInfo.processInfo.environment["LANDSLIDE_DATA_ROOT"] ?? "../shared/data"

    /// Feeds one input to the target; returns what the reader said (a summary or the error's text).
    @discardableResult
    func run(_ bytes: Data) -> String {
        do {
            switch self {
            case .config:
                let path = Self.scratch + "/study.yaml"
                try bytes.write(to: URL(fileURLWithPath: path))
                let config = try StudyConfig.load(path, dataRoot: Self.dataRoot)
                return "config \(config.name)"
            case .points:
                let path = Self.scratch + "/points.csv"
                try bytes.write(to: URL(fileURLWithPath: path))
                let set = try VectorIO.readPoints(path)
                let labels = try? set.numericColumn("lslpts")
                return "points \(set.count), labels \(labels?.count ?? 0)"
            case .hyetograph:
                let storm = try Hyetograph.read(csvText: String(decoding: bytes, as: UTF8.self), source: "fuzz.csv")
                return "hyetograph \(storm)"
            case .model:
                let model = try MapRun.decodeModel(bytes, path: "fuzz.json")
                return "model \(model.kind) on \(model.factors.count) factors"
            }
        } catch {
            return "error: \(error)"
        }
    }
}

#if FUZZING
/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = ProcessInfo.processInfo.environment["LANDSLIDE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set LANDSLIDE_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    target.run(Data(bytes: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The program's entry: SwiftPM links an executable target's `main` to `<module>_main`, so libFuzzer's
/// own `main` is not used; this hands the command line to libFuzzer's driver instead.
@_cdecl("landslide_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { data, size in fuzzOneInput(data, size) }
}
#else
/// Replays files (or every file in folders) through a target: `landslide-fuzz TARGET PATH…`.
@main
struct Replay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let target = FuzzTarget(rawValue: first), arguments.count >= 2 else {
            FileHandle.standardError.write(Data("""
                usage: landslide-fuzz TARGET PATH…  (TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))
                Replays each file, or every file in each folder, through the reader; exit 0 when none crashed.

                """.utf8))
            exit(64)
        }
        var files: [String] = []
        for path in arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                FileHandle.standardError.write(Data("error: \(path): not found\n".utf8))
                exit(1)
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        var errors = 0
        for file in files {
            let data = FileManager.default.contents(atPath: file) ?? Data()
            if target.run(data).hasPrefix("error: ") { errors += 1 }
        }
        print("landslide-fuzz \(target.rawValue): \(files.count) inputs replayed, no crash (\(errors) refused with an error)")
    }
}
#endif
