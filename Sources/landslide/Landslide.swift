import ArgumentParser
import Foundation
import GeoRaster
import NeuralNet
import Stages
import StudyCore

@main
struct Landslide: ParsableCommand {
    /// Before anything else: OpenBLAS's best kernels for this CPU (``BLASCore``; `LANDSLIDE_BLAS_CORE=as-is`
    /// keeps its own choice) and freed memory kept for reuse (``Allocation``). Then parses and runs the
    /// command; a bad argument is reported as every other error is, on one line `error: …` (naming the
    /// option, with `landslide <command> --help` for the rest), exit status 64 (EX_USAGE).
    static func main() {
        let arguments = joiningNegativeValues(Array(CommandLine.arguments.dropFirst()))
        ThreadsOption.apply(arguments)
        BLASCore.adoptBestCore()
        Allocation.keepFreedMemory()
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }   // --help, --version
            let message = Self.message(for: error).split(whereSeparator: \.isNewline).joined(separator: "; ")
            let subcommand = arguments.first { !$0.hasPrefix("-") }.map { " \($0)" } ?? ""
            FileHandle.standardError.write(Data("error: \(message) (see `landslide\(subcommand) --help`)\n".utf8))
            Foundation.exit(64)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// `--name -5` as `--name=-5`: otherwise the parser reads `-5` as a short flag and reports the option
    /// as having no value ("Missing value for '--epochs'"), where the user gave a value that is out of
    /// range and should hear so from the option's own check. Only a long option followed by a negative
    /// number (digits, `-.5`, `-inf`, `-nan`) is joined; no command takes a negative positional.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a.hasPrefix("--"), a.count > 2, !a.contains("="), i + 1 < arguments.count,
               isNegativeNumber(arguments[i + 1]) {
                out.append("\(a)=\(arguments[i + 1])")
                i += 2
            } else {
                out.append(a)
                i += 1
            }
        }
        return out
    }

    static func isNegativeNumber(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        let rest = word.dropFirst().lowercased()
        return rest.first.map { $0.isNumber || $0 == "." } == true || rest == "inf" || rest == "infinity" || rest == "nan"
    }

    static let configuration = CommandConfiguration(
        commandName: "landslide",
        abstract: "Reproduce landslide-susceptibility studies: physics, reliability, sampling, networks, maps.",
        discussion: """
            Every command reads a study configuration (Experiments/studies/*.yaml) or explicit files, and \
            writes GeoTIFFs and results JSON that record their provenance (git commit, config digest, seed, \
            tool version, time). Data paths resolve against the data root: --data-root, else the config's \
            data_root, else $LANDSLIDE_DATA_ROOT, else ../shared/data.
            """,
        version: "\(harnessVersion) (GDAL \(gdalVersion))",
        subcommands: [Info.self, TerrainCommand.self, PPMCommand.self, FormCommand.self, BreaksCommand.self,
                      EvaluateCommand.self, SampleCommand.self, CompareCommand.self, TrainCommand.self,
                      MapCommand.self, TwinCommand.self])
}

/// `--threads N`, on every command: the worker threads of its parallel loops (default: every core).
///
/// Applied before anything runs (``apply(_:)`` reads it from the raw arguments and sets
/// `LANDSLIDE_THREADS`, which ``WorkerThreads`` reads once and child processes inherit); declared here
/// so that it is parsed, checked and listed in each command's help.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads, 1…1024 (default: every core). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...1024).contains(threads) {
            throw ValidationError("--threads must be in 1…1024, got \(threads)")
        }
    }

    static func apply(_ arguments: [String]) {
        var value: String?
        for (i, a) in arguments.enumerated() {
            if a == "--threads", i + 1 < arguments.count { value = arguments[i + 1] }
            if a.hasPrefix("--threads=") { value = String(a.dropFirst("--threads=".count)) }
        }
        if let value, let n = Int(value), (1...1024).contains(n) { setenv("LANDSLIDE_THREADS", String(n), 1) }
    }
}

/// Options shared by commands that read a study.
struct StudyOptions: ParsableArguments {
    @Argument(help: "The study configuration (YAML), e.g. Experiments/studies/loja.yaml.")
    var study: String

    @Option(name: .customLong("data-root"),
            help: "Folder that the config's data paths are relative to (overrides data_root and $LANDSLIDE_DATA_ROOT).")
    var dataRoot: String?

    func load() throws -> StudyConfig { try StudyConfig.load(study, dataRoot: dataRoot) }
}

/// Runs `body`; a thrown error becomes one line `error: …` on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
