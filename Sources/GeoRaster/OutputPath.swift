import Foundation

/// Where an output may go.
public enum OutputPath {
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
