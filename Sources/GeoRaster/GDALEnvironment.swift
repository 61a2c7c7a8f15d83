import CGDAL
import Foundation

/// One-time GDAL set-up and error capture.
///
/// GDAL keeps a registry of drivers and reports errors through a handler; by default the handler
/// prints to stderr. The harness installs the quiet handler once, and turns the thread-local
/// "last error" into the `reason` of a typed ``GeoRasterError`` instead.
enum GDALEnvironment {
    /// Registers all drivers and silences GDAL's stderr handler; runs once per process.
    private static let registration: Void = {
        GDALAllRegister()
        CPLSetErrorHandler(CPLQuietErrorHandler)
        // Only when asked for: no network look-ups for CRS grids, no .aux.xml side files.
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO")
        CPLSetConfigOption("OSR_USE_NON_DEPRECATED", "NO")
    }()

    /// Makes sure GDAL is ready; cheap after the first call.
    static func ensureRegistered() { _ = registration }

    /// GDAL's last error message on this thread, or `fallback` when it has none.
    static func lastError(or fallback: String) -> String {
        guard let raw = CPLGetLastErrorMsg() else { return fallback }
        let message = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        return message.isEmpty ? fallback : message
    }

    /// Clears GDAL's last error, so that a later `lastError` refers to the call that follows.
    static func resetError() { CPLErrorReset() }

    /// GDAL's release name, e.g. "3.6.2".
    static var version: String {
        ensureRegistered()
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }
}

/// GDAL's release name, e.g. "3.6.2" (for provenance and `--version`).
public var gdalVersion: String { GDALEnvironment.version }

/// A GDAL `char**` string list built from Swift pairs and freed when done.
struct GDALStringList {
    private(set) var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    init(_ pairs: [(String, String)]) {
        pointer = nil
        for (key, value) in pairs { pointer = CSLSetNameValue(pointer, key, value) }
    }

    init(values: [String]) {
        pointer = nil
        for value in values { pointer = CSLAddString(pointer, value) }
    }

    func free() { CSLDestroy(pointer) }

    /// The list as GDAL's `const char* const*` parameters take it.
    var constPointer: UnsafePointer<UnsafePointer<CChar>?>? {
        pointer.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }
    }
}
