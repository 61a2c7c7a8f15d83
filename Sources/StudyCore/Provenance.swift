import Crypto
import Foundation
import GeoRaster

/// The harness's own version, recorded in every output.
public let harnessVersion = "0.1.0"

/// Where an output came from: code, configuration, seed, tools and time.
///
/// Written into every GeoTIFF's metadata (keys `LANDSLIDE_*`, visible with `gdalinfo`) and as the
/// `provenance` object of every results JSON.
public struct Provenance: Codable, Sendable, Equatable {
    /// `git rev-parse HEAD` of the harness's checkout, or "unknown" outside one.
    public var gitCommit: String
    /// Whether tracked files differed from that commit (`nil` when unknown).
    public var gitDirty: Bool?
    /// SHA-256 of the study config file's bytes, when a config was used.
    public var configDigest: String?
    /// The run's seed, when the output depends on one.
    public var seed: UInt64?
    /// `harnessVersion`.
    public var toolVersion: String
    /// GDAL's release name.
    public var gdalVersion: String
    /// UTC time of the run, ISO 8601 to the second.
    public var createdUTC: String

    public init(gitCommit: String, gitDirty: Bool?, configDigest: String?, seed: UInt64?,
                toolVersion: String, gdalVersion: String, createdUTC: String) {
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.configDigest = configDigest
        self.seed = seed
        self.toolVersion = toolVersion
        self.gdalVersion = gdalVersion
        self.createdUTC = createdUTC
    }

    /// The provenance of a run now, in this process.
    public static func current(configDigest: String? = nil, seed: UInt64? = nil,
                               date: Date = Provenance.runDate()) -> Provenance {
        let git = GitState.current
        return Provenance(gitCommit: git.commit, gitDirty: git.dirty, configDigest: configDigest, seed: seed,
                          toolVersion: harnessVersion, gdalVersion: GeoRaster.gdalVersion,
                          createdUTC: Provenance.utcString(date))
    }

    /// The time a run records: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
    /// convention) when set, so that two runs of the same inputs write byte-identical files; else now.
    public static func runDate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
        if let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text.trimmingCharacters(in: .whitespaces)) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }

    /// GeoTIFF metadata items.
    public var geoTIFFMetadata: [String: String] {
        var items = [
            "LANDSLIDE_GIT_COMMIT": gitCommit,
            "LANDSLIDE_TOOL_VERSION": toolVersion,
            "LANDSLIDE_GDAL_VERSION": gdalVersion,
            "LANDSLIDE_CREATED_UTC": createdUTC,
        ]
        if let gitDirty { items["LANDSLIDE_GIT_DIRTY"] = gitDirty ? "yes" : "no" }
        if let configDigest { items["LANDSLIDE_CONFIG_SHA256"] = configDigest }
        if let seed { items["LANDSLIDE_SEED"] = String(seed) }
        return items
    }

    static func utcString(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// The git commit of the checkout the running executable was built in.
///
/// Found by running `git rev-parse HEAD` in the executable's directory (a build under `.build/` sits
/// inside the checkout); `LANDSLIDE_GIT_COMMIT` in the environment overrides it, for installed copies.
struct GitState: Sendable {
    var commit: String
    var dirty: Bool?

    static let current: GitState = {
        let environment = ProcessInfo.processInfo.environment
        if let commit = environment["LANDSLIDE_GIT_COMMIT"], !commit.isEmpty {
            return GitState(commit: commit, dirty: nil)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        let directory = executable.deletingLastPathComponent().path
        guard let commit = run(["-C", directory, "rev-parse", "HEAD"]), !commit.isEmpty else {
            return GitState(commit: "unknown", dirty: nil)
        }
        let status = run(["-C", directory, "status", "--porcelain", "--untracked-files=no"])
        return GitState(commit: commit, dirty: status.map { !$0.isEmpty })
    }()

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// SHA-256 digests (FIPS 180-4) of config files, by swift-crypto.
public enum ConfigDigest {
    /// The digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func sha256Hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        Crypto.SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
