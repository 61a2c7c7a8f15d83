import CGDAL
import Foundation

/// A point in map coordinates (x = easting or longitude, y = northing or latitude).
public struct MapPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Points read from a vector file, with their attribute columns as text.
public struct PointSet: Sendable {
    public var points: [MapPoint]
    public var crs: CRS?
    /// Column name → one value per point (OGR's string rendering).
    public var attributes: [String: [String]]
    /// Where the points came from (for messages).
    public var source: String

    public init(points: [MapPoint], crs: CRS?, attributes: [String: [String]] = [:], source: String) {
        self.points = points
        self.crs = crs
        self.attributes = attributes
        self.source = source
    }

    public var count: Int { points.count }

    /// The points in `target` (a copy; unchanged when already there). Points without a CRS are
    /// taken to be in `target` already.
    public func reprojected(to target: CRS) throws -> PointSet {
        guard let crs, !crs.isSame(as: target) else {
            var copy = self
            copy.crs = target
            return copy
        }
        var xs = points.map(\.x), ys = points.map(\.y)
        try CoordinateTransform(from: crs, to: target).apply(x: &xs, y: &ys, label: source)
        var copy = self
        copy.points = zip(xs, ys).map { MapPoint(x: $0, y: $1) }
        copy.crs = target
        return copy
    }

    /// The values of `column` parsed as numbers; throws naming the first row that is not one.
    public func numericColumn(_ column: String) throws -> [Double] {
        guard let texts = attributes[column] else {
            throw GeoRasterError.invalidVector(
                path: source,
                reason: "no column '\(column)'; columns are \(attributes.keys.sorted().joined(separator: ", "))")
        }
        return try texts.enumerated().map { i, text in
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw GeoRasterError.invalidVector(path: source,
                                                   reason: "row \(i + 1): '\(column)' = '\(text)' is not a number")
            }
            return v
        }
    }
}

/// One polygon: an exterior ring then any holes, each ring a closed list of vertices.
public struct MapPolygon: Sendable, Equatable {
    public var rings: [[MapPoint]]
    public init(rings: [[MapPoint]]) { self.rings = rings }

    /// Planar area in squared map units (shoelace; holes subtracted).
    public var area: Double {
        func ringArea(_ ring: [MapPoint]) -> Double {
            guard ring.count >= 3 else { return 0 }
            var sum = 0.0
            for i in 0..<ring.count {
                let a = ring[i], b = ring[(i + 1) % ring.count]
                sum += a.x * b.y - b.x * a.y
            }
            return abs(sum) / 2
        }
        guard let exterior = rings.first else { return 0 }
        return ringArea(exterior) - rings.dropFirst().map(ringArea).reduce(0, +)
    }
}

extension MapPolygon {
    /// The area centroid (holes subtracted), by the shoelace moments; the vertices' mean for a
    /// degenerate polygon of no area.
    public var centroid: MapPoint {
        var a = 0.0, cx = 0.0, cy = 0.0
        for (k, ring) in rings.enumerated() where ring.count >= 3 {
            var ra = 0.0, rx = 0.0, ry = 0.0
            for i in 0..<ring.count {
                let p = ring[i], q = ring[(i + 1) % ring.count]
                let cross = p.x * q.y - q.x * p.y
                ra += cross; rx += (p.x + q.x) * cross; ry += (p.y + q.y) * cross
            }
            // The exterior counts positively and holes negatively, whatever their winding.
            let sign: Double = (k == 0) == (ra >= 0) ? 1 : -1
            a += sign * ra / 2; cx += sign * rx / 6; cy += sign * ry / 6
        }
        guard abs(a) > 0, let exterior = rings.first, !exterior.isEmpty else {
            let all = rings.flatMap { $0 }
            return MapPoint(x: all.map(\.x).reduce(0, +) / Double(max(all.count, 1)), y: all.map(\.y).reduce(0, +) / Double(max(all.count, 1)))
        }
        return MapPoint(x: cx / a, y: cy / a)
    }
}

/// Polygons read from a vector file.
public struct PolygonSet: Sendable {
    public var polygons: [MapPolygon]
    public var crs: CRS?
    public var source: String

    /// Total planar area in squared map units.
    public var area: Double { polygons.map(\.area).reduce(0, +) }

    /// The polygons in `target` (vertices transformed one by one).
    public func reprojected(to target: CRS) throws -> PolygonSet {
        guard let crs, !crs.isSame(as: target) else {
            var copy = self
            copy.crs = target
            return copy
        }
        let transform = CoordinateTransform(from: crs, to: target)
        var copy = self
        copy.crs = target
        copy.polygons = try polygons.map { polygon in
            MapPolygon(rings: try polygon.rings.map { ring in
                var xs = ring.map(\.x), ys = ring.map(\.y)
                try transform.apply(x: &xs, y: &ys, label: source)
                return zip(xs, ys).map { MapPoint(x: $0, y: $1) }
            })
        }
        return copy
    }
}

/// How to read points from a vector file.
public struct PointReadOptions: Sendable {
    /// For CSV: the columns holding x and y.
    public var xColumn: String
    public var yColumn: String
    /// The CRS to assume when the file does not carry one (CSV never does).
    public var assumedCRS: CRS?
    /// The layer to read; the first when `nil`.
    public var layer: String?

    public init(xColumn: String = "x", yColumn: String = "y", assumedCRS: CRS? = nil, layer: String? = nil) {
        self.xColumn = xColumn
        self.yColumn = yColumn
        self.assumedCRS = assumedCRS
        self.layer = layer
    }
}

/// Reading point and polygon layers through OGR (CSV, GeoJSON, GeoPackage, Shapefile, …).
public enum VectorIO {
    /// Reads every feature of a point layer.
    ///
    /// CSV files are read with their x/y columns as geometry (OGR's `X_POSSIBLE_NAMES`); other formats
    /// use their point geometries. Features with no geometry, or a non-point geometry, are errors
    /// naming the feature.
    public static func readPoints(_ path: String, options: PointReadOptions = PointReadOptions()) throws -> PointSet {
        let isCSV = path.lowercased().hasSuffix(".csv")
        let openOptions = isCSV
            ? [("X_POSSIBLE_NAMES", options.xColumn), ("Y_POSSIBLE_NAMES", options.yColumn),
               ("KEEP_GEOM_COLUMNS", "YES")]
            : []
        return try withLayer(path, layerName: options.layer, openOptions: openOptions) { layer in
            let definition = OGR_L_GetLayerDefn(layer)
            let fieldCount = Int(OGR_FD_GetFieldCount(definition))
            let names = (0..<fieldCount).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(definition, Int32($0)))) }
            for (i, name) in names.enumerated() {
                if let first = names.firstIndex(of: name), first < i {
                    throw GeoRasterError.invalidVector(
                        path: path, reason: "column '\(name)' appears twice (columns \(first + 1) and \(i + 1)); expected unique column names")
                }
            }
            if isCSV {
                for column in [options.xColumn, options.yColumn] where !names.contains(column) {
                    throw GeoRasterError.invalidVector(
                        path: path, reason: "no column '\(column)'; columns are \(names.joined(separator: ", "))")
                }
            }
            var points: [MapPoint] = []
            var attributes = [String: [String]](uniqueKeysWithValues: names.map { ($0, []) })
            OGR_L_ResetReading(layer)
            var featureNumber = 0
            while let feature = OGR_L_GetNextFeature(layer) {
                defer { OGR_F_Destroy(feature) }
                featureNumber += 1
                guard let geometry = OGR_F_GetGeometryRef(feature) else {
                    throw GeoRasterError.invalidVector(
                        path: path, reason: "feature \(featureNumber) has no geometry (empty or non-numeric x/y?)")
                }
                let type = flatType(geometry)
                guard type == wkbPoint else {
                    throw GeoRasterError.invalidVector(
                        path: path,
                        reason: "feature \(featureNumber) is a \(geometryName(geometry)); expected points")
                }
                points.append(MapPoint(x: OGR_G_GetX(geometry, 0), y: OGR_G_GetY(geometry, 0)))
                for (i, name) in names.enumerated() {
                    attributes[name]!.append(String(cString: OGR_F_GetFieldAsString(feature, Int32(i))))
                }
            }
            let crs = try layerCRS(layer, path: path) ?? options.assumedCRS
            return PointSet(points: points, crs: crs, attributes: attributes, source: path)
        }
    }

    /// Whether the layer's first feature with a geometry is a polygon or multipolygon (a CSV never is).
    public static func holdsPolygons(_ path: String, layer: String? = nil) throws -> Bool {
        if path.lowercased().hasSuffix(".csv") { return false }
        return try withLayer(path, layerName: layer, openOptions: []) { handle in
            OGR_L_ResetReading(handle)
            while let feature = OGR_L_GetNextFeature(handle) {
                defer { OGR_F_Destroy(feature) }
                guard let geometry = OGR_F_GetGeometryRef(feature) else { continue }
                let type = flatType(geometry)
                return type == wkbPolygon || type == wkbMultiPolygon
            }
            return false
        }
    }

    /// Reads every polygon (and the parts of every multipolygon) of a layer.
    public static func readPolygons(_ path: String, assumedCRS: CRS? = nil, layer: String? = nil) throws -> PolygonSet {
        try withLayer(path, layerName: layer, openOptions: []) { handle in
            var polygons: [MapPolygon] = []
            OGR_L_ResetReading(handle)
            var featureNumber = 0
            while let feature = OGR_L_GetNextFeature(handle) {
                defer { OGR_F_Destroy(feature) }
                featureNumber += 1
                guard let geometry = OGR_F_GetGeometryRef(feature) else { continue }
                switch flatType(geometry) {
                case wkbPolygon:
                    polygons.append(polygon(geometry))
                case wkbMultiPolygon:
                    for part in 0..<OGR_G_GetGeometryCount(geometry) {
                        polygons.append(polygon(OGR_G_GetGeometryRef(geometry, part)))
                    }
                default:
                    throw GeoRasterError.invalidVector(
                        path: path,
                        reason: "feature \(featureNumber) is a \(geometryName(geometry)); expected polygons")
                }
            }
            guard !polygons.isEmpty else {
                throw GeoRasterError.invalidVector(path: path, reason: "no polygon in the layer")
            }
            return PolygonSet(polygons: polygons, crs: try layerCRS(handle, path: path) ?? assumedCRS, source: path)
        }
    }

    private static func polygon(_ geometry: OGRGeometryH?) -> MapPolygon {
        var rings: [[MapPoint]] = []
        for r in 0..<OGR_G_GetGeometryCount(geometry) {
            let ring = OGR_G_GetGeometryRef(geometry, r)
            let n = OGR_G_GetPointCount(ring)
            rings.append((0..<n).map { MapPoint(x: OGR_G_GetX(ring, $0), y: OGR_G_GetY(ring, $0)) })
        }
        return MapPolygon(rings: rings)
    }

    private static func flatType(_ geometry: OGRGeometryH) -> OGRwkbGeometryType {
        OGR_GT_Flatten(OGR_G_GetGeometryType(geometry))
    }

    private static func geometryName(_ geometry: OGRGeometryH) -> String {
        OGR_G_GetGeometryName(geometry).map { String(cString: $0) } ?? "unknown geometry"
    }

    private static func layerCRS(_ layer: OGRLayerH, path: String) throws -> CRS? {
        guard let reference = OGR_L_GetSpatialRef(layer) else { return nil }
        return try CRS(handle: reference, source: path)
    }

    private static func withLayer<R>(_ path: String, layerName: String?, openOptions: [(String, String)],
                                     _ body: (OGRLayerH) throws -> R) throws -> R {
        GDALEnvironment.ensureRegistered()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoRasterError.fileNotFound(path: path) }
        let options = GDALStringList(values: openOptions.map { "\($0.0)=\($0.1)" })
        defer { options.free() }
        GDALEnvironment.resetError()
        guard let ds = GDALOpenEx(path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY), nil, options.constPointer, nil) else {
            throw GeoRasterError.notAVector(path: path,
                                            reason: GDALEnvironment.lastError(or: "no vector driver recognises it"))
        }
        defer { GDALClose(ds) }
        let layer: OGRLayerH?
        if let layerName {
            layer = GDALDatasetGetLayerByName(ds, layerName)
            guard layer != nil else {
                throw GeoRasterError.invalidVector(path: path, reason: "no layer named '\(layerName)'")
            }
        } else {
            guard GDALDatasetGetLayerCount(ds) > 0 else {
                throw GeoRasterError.invalidVector(path: path, reason: "the file has no layer")
            }
            layer = GDALDatasetGetLayer(ds, 0)
        }
        return try body(layer!)
    }
}
