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
        // The temporary file sits beside the destination, so that the rename is atomic and nothing is left
        // elsewhere (Foundation's `.atomic` stages in a folder under /tmp that it does not always remove).
        let temporary = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        func fail() -> OutputError {
            let reason = String(cString: strerror(errno)), note = OutputPath.spaceNote(directory.path) ?? ""
            unlink(temporary)
            return OutputError(path: path, reason: reason + note)
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw fail() }
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard written else { let error = fail(); close(fd); throw error }
        guard close(fd) == 0 else { throw fail() }
        guard rename(temporary, path) == 0 else { throw fail() }
    }
}

/// An output file could not be written; nothing was left at its path.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): could not write (\(reason)); nothing was written" }
}
