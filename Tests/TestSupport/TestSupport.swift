import Foundation

/// Locations and helpers shared by the test targets.
public enum TestPaths {
    /// The package root (two levels above this file's folder).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/data` beside the checkout, or `$LANDSLIDE_DATA_ROOT`.
    public static let dataRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["LANDSLIDE_DATA_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// `../shared/reference/reference_values.json`: values computed independently of the project.
    public static var referenceValues: URL {
        dataRoot.deletingLastPathComponent().appendingPathComponent("reference/reference_values.json")
    }

    /// The reference file parsed as JSON.
    public static func referenceJSON() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: referenceValues)) as? [String: Any] ?? [:]
    }

    /// A file of the Loja data set.
    public static func loja(_ name: String) -> String { dataRoot.appendingPathComponent("loja/\(name)").path }

    /// Whether the shared Loja data is present (it is on CI and developer machines).
    public static var lojaAvailable: Bool { FileManager.default.fileExists(atPath: loja("dem.tif")) }

    /// The committed Loja study configuration.
    public static var lojaConfig: String { repositoryRoot.appendingPathComponent("Experiments/studies/loja.yaml").path }

    /// loja.yaml's text with its config-relative paths (the hyetograph) made absolute, for copies of it
    /// written elsewhere.
    public static func lojaConfigText() throws -> String {
        let studies = repositoryRoot.appendingPathComponent("Experiments/studies").path
        return try String(contentsOfFile: lojaConfig, encoding: .utf8)
            .replacingOccurrences(of: "hyetograph: storm_", with: "hyetograph: \(studies)/storm_")
    }
}

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("landslide-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes text to `name` and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// The names of the files in the folder.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }
}

/// The outcome of running a program.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// The program was killed by a signal (a crash, a trap, the OOM killer); `status` is then the signal.
    public var signalled: Bool = false
}

/// Runs a program (looked up on PATH when not a path) and captures its output.
public func runProcess(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                       currentDirectory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    if program.contains("/") {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
    }
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    // Output goes to files, so that neither stream can fill a pipe and block the child.
    let scratch = try TemporaryDirectory()
    let outPath = scratch.path("stdout"), errPath = scratch.path("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return ProcessResult(status: process.terminationStatus, stdout: read(outPath), stderr: read(errPath),
                         signalled: process.terminationReason == .uncaughtSignal)
}
