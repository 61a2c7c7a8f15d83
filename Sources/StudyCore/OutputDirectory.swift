import Foundation
import GeoRaster

/// A run's output folder, written all-or-nothing: files go to a hidden staging folder beside it and
/// are moved in (each move atomic) only when the whole run has succeeded.
public final class OutputDirectory {
    public let path: String
    private let staging: String
    private var committed = false

    /// Creates the staging folder (and `path`'s parents) or throws naming `path`.
    public init(_ path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        staging = URL(fileURLWithPath: parent)
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            // The system's own words ("Read-only file system", "Permission denied"), not Foundation's error dump.
            var reason = error.localizedDescription
            if mkdir(staging, 0o755) != 0 { reason = String(cString: strerror(errno)) } else { rmdir(staging) }
            throw OutputError(path: path, reason: "cannot create the output folder: \(reason)")
        }
    }

    deinit { if !committed { try? FileManager.default.removeItem(atPath: staging) } }

    /// Where to write `name` during the run.
    public func stagedPath(_ name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// Writes a GeoTIFF into the staging folder.
    public func writeGeoTIFF<T: RasterScalar>(_ grid: Grid<T>, name: String, provenance: Provenance,
                                              description: String) throws {
        do {
            try RasterIO.writeGeoTIFF(grid, to: stagedPath(name), metadata: provenance.geoTIFFMetadata,
                                      bandDescription: description)
        } catch GeoRasterError.writeFailed(_, let reason) {
            // Named where the user asked for it, not by the staging folder's hidden name.
            throw GeoRasterError.writeFailed(path: (path as NSString).appendingPathComponent(name), reason: reason)
        }
    }

    /// Moves every staged file into `path` (created if needed), replacing files of the same name.
    public func commit() throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: staging).sorted() {
                let destination = (path as NSString).appendingPathComponent(name)
                guard rename(stagedPath(name), destination) == 0 else {
                    throw OutputError(path: destination, reason: String(cString: strerror(errno)))
                }
            }
            try FileManager.default.removeItem(atPath: staging)
            committed = true
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError(path: path, reason: error.localizedDescription)
        }
    }
}
