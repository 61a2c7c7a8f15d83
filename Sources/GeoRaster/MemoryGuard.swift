import Foundation

/// Refuses work that cannot fit in memory before allocating any of it.
///
/// A command estimates its peak from the grid's size (bytes a cell, measured: see the callers) and
/// compares it with the memory the machine can give: `MemAvailable` of /proc/meminfo, or the cgroup's
/// limit when that is smaller (a container or a Slurm job). Without the guard a 20,000² DEM died in the
/// allocator with a backtrace after a minute's reading; with it the user hears the figure at once.
public enum MemoryGuard {
    /// Bytes this process may still allocate: `LANDSLIDE_MEMORY_LIMIT_MB` when set (for tests and for
    /// users who share a machine), else the smaller of MemAvailable and the cgroup's remaining limit;
    /// nil when neither can be read (then nothing is refused).
    public static func availableBytes(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        if let text = environment["LANDSLIDE_MEMORY_LIMIT_MB"], let mb = Int(text), mb > 0 { return mb << 20 }
        var best: Int?
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
            best = kb << 10
        }
        if let limitText = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let limit = Int(limitText.trimmingCharacters(in: .whitespacesAndNewlines)) {
            let used = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            best = min(best ?? .max, max(0, limit - used))
        }
        return best
    }

    /// Throws `GeoRasterError.tooLarge` when `cells × bytesPerCell` exceeds what is available.
    /// - Parameters:
    ///   - path: the raster that sets the size (named in the message).
    ///   - work: what needs the memory, e.g. "terrain".
    public static func require(rows: Int, cols: Int, bytesPerCell: Int, path: String, work: String,
                               available: Int? = availableBytes()) throws {
        guard let available else { return }
        let (cells, o1) = rows.multipliedReportingOverflow(by: cols)
        let (needed, o2) = cells.multipliedReportingOverflow(by: bytesPerCell)
        if o1 || o2 || needed > available {
            throw GeoRasterError.tooLarge(path: path, rows: rows, cols: cols, work: work,
                                          neededBytes: o1 || o2 ? .max : needed, availableBytes: available,
                                          bytesPerCell: bytesPerCell)
        }
    }

    /// "1.6 GB", "310 MB": decimal units, as `free -h` and disk tools print them.
    public static func describe(bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e12 { return String(format: "%.1f TB", b / 1e12) }
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        return String(format: "%.0f MB", b / 1e6)
    }
}
