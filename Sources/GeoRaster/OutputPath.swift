import Foundation

/// Where an output may go.
public enum OutputPath {
    /// "; the device is full (N kB free)" when less than 1 MB is free under `directory`, else
    /// nil: a write that failed there most likely failed for want of space, which GDAL's own message
    /// ("TIFFRewriteDirectory: Error fetching directory count") does not say.
    public static func spaceNote(_ directory: String) -> String? {
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else { return nil }
        let free = Int(s.f_bavail) * Int(s.f_frsize)
        return free < 1 << 20 ? "; the device is full (\(free / 1024) kB free)" : nil
    }

    /// What stands at `path` when it is not something an output may replace, else nil: outputs are
    /// written beside their path and renamed over it, which would turn a device (`/dev/full`), a named
    /// pipe or a symbolic link into a plain file, or fail on a folder.
    public static func obstacle(at path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),   // lstat: links are not followed
              let type = attributes[.type] as? FileAttributeType else { return nil }
        switch type {
        case .typeRegular: return nil
        case .typeDirectory: return "a folder"
        case .typeSymbolicLink: return "a symbolic link"
        case .typeCharacterSpecial, .typeBlockSpecial: return "a device"
        case .typeSocket: return "a socket"
        default: return "not a regular file"
        }
    }
}
