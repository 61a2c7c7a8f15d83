import CGDAL
import Foundation

/// A coordinate reference system: its WKT, and its EPSG code when GDAL/PROJ can identify one.
///
/// Values are plain data (Sendable); the OGR objects behind them are created for each operation
/// and destroyed after it.
public struct CRS: Sendable, Equatable, CustomStringConvertible {
    /// The definition as OGC WKT (WKT2 where GDAL exports it).
    public let wkt: String
    /// The EPSG code, when the definition is, or is equivalent to, an EPSG entry.
    public let epsg: Int?
    /// A human name, e.g. "WGS 84 / UTM zone 17S".
    public let name: String

    /// Parses any definition GDAL accepts: "EPSG:32717", WKT, PROJ strings, "urn:ogc:def:crs:…".
    public init(_ definition: String) throws {
        GDALEnvironment.ensureRegistered()
        let handle = OSRNewSpatialReference(nil)
        defer { OSRDestroySpatialReference(handle) }
        GDALEnvironment.resetError()
        guard OSRSetFromUserInput(handle, definition) == OGRERR_NONE else {
            throw GeoRasterError.invalidCRS(source: definition,
                                            reason: GDALEnvironment.lastError(or: "not a CRS definition"))
        }
        self = try CRS(handle: handle, source: definition)
    }

    /// The CRS of a given EPSG code.
    public init(epsg code: Int) throws { try self.init("EPSG:\(code)") }

    /// Reads a CRS out of an OGR spatial reference handle (not taking ownership).
    init(handle: OGRSpatialReferenceH?, source: String) throws {
        guard let handle else { throw GeoRasterError.invalidCRS(source: source, reason: "no CRS") }
        var raw: UnsafeMutablePointer<CChar>? = nil
        guard OSRExportToWkt(handle, &raw) == OGRERR_NONE, let raw else {
            throw GeoRasterError.invalidCRS(source: source, reason: GDALEnvironment.lastError(or: "cannot export WKT"))
        }
        wkt = String(cString: raw)
        VSIFree(raw)
        name = OSRGetName(handle).map { String(cString: $0) } ?? "unnamed"
        epsg = CRS.identifyEPSG(handle)
    }

    /// Parses WKT as stored in a raster; `nil` for an empty string.
    init?(wktFromFile wkt: String, source: String) throws {
        guard !wkt.isEmpty else { return nil }
        try self.init(wkt)
    }

    private static func identifyEPSG(_ handle: OGRSpatialReferenceH) -> Int? {
        func code(_ h: OGRSpatialReferenceH) -> Int? {
            guard let authority = OSRGetAuthorityName(h, nil),
                  String(cString: authority).uppercased() == "EPSG",
                  let value = OSRGetAuthorityCode(h, nil) else { return nil }
            return Int(String(cString: value))
        }
        if let direct = code(handle) { return direct }
        // Try a copy so that the caller's handle is not modified by auto-identification.
        guard let clone = OSRClone(handle) else { return nil }
        defer { OSRDestroySpatialReference(clone) }
        guard OSRAutoIdentifyEPSG(clone) == OGRERR_NONE else { return nil }
        return code(clone)
    }

    /// "EPSG:32717 (WGS 84 / UTM zone 17S)", or the name alone when no EPSG code is known.
    public var description: String {
        if let epsg { return "EPSG:\(epsg) (\(name))" }
        return name
    }

    /// Whether two CRSs describe the same system (GDAL's `OSRIsSame`, ignoring axis-order metadata).
    public func isSame(as other: CRS) -> Bool {
        if wkt == other.wkt { return true }
        if let a = epsg, let b = other.epsg, a == b { return true }
        return withHandle { a in other.withHandle { b in OSRIsSame(a, b) != 0 } }
    }

    /// Calls `body` with a temporary OGR handle for this CRS, in traditional GIS axis order
    /// (x = easting/longitude, y = northing/latitude).
    func withHandle<R>(_ body: (OGRSpatialReferenceH) throws -> R) rethrows -> R {
        GDALEnvironment.ensureRegistered()
        let handle = OSRNewSpatialReference(nil)!
        defer { OSRDestroySpatialReference(handle) }
        _ = OSRSetFromUserInput(handle, wkt)
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
        return try body(handle)
    }
}

/// Transforms coordinates from one CRS to another (x = easting/longitude first).
public struct CoordinateTransform: Sendable {
    public let source: CRS
    public let target: CRS

    public init(from source: CRS, to target: CRS) {
        self.source = source
        self.target = target
    }

    /// Transforms the points in place; `label` names them in an error.
    public func apply(x: inout [Double], y: inout [Double], label: String) throws {
        precondition(x.count == y.count, "x and y must have the same length")
        if x.isEmpty || source.isSame(as: target) { return }
        try source.withHandle { src in
            try target.withHandle { dst in
                guard let transform = OCTNewCoordinateTransformation(src, dst) else {
                    throw GeoRasterError.reprojectionFailed(
                        source: label,
                        reason: "no transformation from \(source) to \(target): "
                            + GDALEnvironment.lastError(or: "unsupported"))
                }
                defer { OCTDestroyCoordinateTransformation(transform) }
                var success = [Int32](repeating: 0, count: x.count)
                let ok = x.withUnsafeMutableBufferPointer { xs in
                    y.withUnsafeMutableBufferPointer { ys in
                        success.withUnsafeMutableBufferPointer { flags in
                            OCTTransformEx(transform, Int32(xs.count), xs.baseAddress, ys.baseAddress, nil,
                                           flags.baseAddress)
                        }
                    }
                }
                let failed = success.filter { $0 == 0 }.count
                if ok == 0 || failed > 0 {
                    throw GeoRasterError.reprojectionFailed(
                        source: label,
                        reason: "\(failed) of \(x.count) points could not be transformed from \(source) to \(target)")
                }
            }
        }
    }
}
