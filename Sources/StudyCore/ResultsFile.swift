import Foundation
import GeoRaster

/// A results JSON document: the run's provenance beside its results.
public struct ResultsDocument<Results: Encodable>: Encodable {
    public var provenance: Provenance
    public var results: Results

    public init(provenance: Provenance, results: Results) {
        self.provenance = provenance
        self.results = results
    }

    /// Pretty, key-sorted JSON, so that two runs differ only where their numbers do.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Writes the document atomically (temporary file in the same directory, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }
}

/// Whole-file writes that leave either the complete new file or nothing.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `path`, then renames it over `path`.
    public static func write(_ data: Data, to path: String) throws {
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw OutputError(path: path, reason: "directory \(directory.path) does not exist")
        }
        if let obstacle = OutputPath.obstacle(at: path) {
            throw OutputError(path: path, reason: "it is \(obstacle), which an output does not replace; give a file path")
        }
        do {
            try data.write(to: destination, options: .atomic)
        } catch {
            throw OutputError(path: path, reason: error.localizedDescription)
        }
    }
}

/// An output file could not be written; nothing was left at its path.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): could not write (\(reason)); nothing was written" }
}
