import Foundation
import GeoRaster
import Yams

/// A study: where its data is, what it assumes about the soil and the storm, and its seed.
///
/// Decoded from one YAML file per study (`Experiments/studies/*.yaml`) by ``StudyConfig/load(_:dataRoot:environment:)``,
/// which validates every value and resolves every path. The schema is documented in
/// `Experiments/studies/README.md`.
public struct StudyConfig: Sendable {
    /// Short identifier, used in output paths (letters, digits, '-' and '_').
    public var name: String
    /// Human title.
    public var title: String
    /// The configuration file, as given.
    public var configPath: String
    /// SHA-256 of the configuration file's bytes.
    public var configDigest: String
    /// The folder data paths are resolved against, and how it was chosen.
    public var dataRoot: String
    public var dataRootSource: DataRootSource
    /// Elevation raster (m).
    public var demPath: String
    /// Further layers on the DEM's grid, by name, in file order.
    public var layers: [StudyLayer]
    /// Landslide inventory points.
    public var inventory: PointSource
    /// Labelled evaluation points (landslides and non-landslides), if any.
    public var evaluationPoints: PointSource?
    /// Study-area polygon(s), if any.
    public var studyAreaPath: String?
    /// How soil thickness is obtained.
    public var soilDepth: SoilDepthModel
    /// The random soil parameters (means, COVs, distributions).
    public var parameters: SoilParameters
    /// Correlations between parameters (METHODS.md A3), read under `correlationConvention`.
    public var correlations: [ParameterCorrelation]
    public var correlationConvention: CorrelationConvention
    /// The storm.
    public var rainfall: RainfallSpec
    /// `rainfall.scale`: every intensity of the storm multiplied by this (default 1; an ablation's "what if
    /// the storm were twice as strong").
    public var rainfallScale: Double
    /// The study's base seed; every stochastic stage derives its generator from it.
    public var seed: UInt64
    /// Soil parameters per class of a categorical layer (`zones`); nil: `parameters` everywhere.
    public var zones: SoilZones? = nil
    /// The layers each model family takes (`factors`).
    public var factors = FactorChoice()
    /// The negative samplers' settings (`samplers`).
    public var samplers = SamplerSettings()

    /// The layer named `name` in the config, if any.
    public func layer(named name: String) -> StudyLayer? { layers.first { $0.name == name } }
    /// The names of the config's categorical layers.
    public var categoricalLayers: Set<String> { Set(layers.filter { $0.kind == .categorical }.map(\.name)) }
}

/// How the data root was chosen (highest precedence first).
public enum DataRootSource: String, Sendable, Codable {
    case commandLine = "--data-root"
    case config = "config data_root"
    case environment = "LANDSLIDE_DATA_ROOT"
    case defaultPath = "default ../shared/data"
}

/// A point file and how to read it.
public struct PointSource: Sendable {
    public var path: String
    public var xColumn: String
    public var yColumn: String
    /// CRS to assume when the file carries none (CSV).
    public var crs: String?
    /// Column with 1 for landslide, 0 for non-landslide (evaluation points).
    public var labelColumn: String?
    /// What to do with points off the grid or on nodata.
    public var offGrid: OffGridPolicy
    /// With a polygon inventory: which cells of each polygon are its samples (`inventory.polygon_cells`).
    public var polygonCells: PolygonCells = .all

    /// Options for ``VectorIO/readPoints(_:options:)``.
    public func readOptions() throws -> PointReadOptions {
        PointReadOptions(xColumn: xColumn, yColumn: yColumn, assumedCRS: try crs.map { try CRS($0) })
    }
}

/// What a sample is when the inventory holds polygons (landslide scarps or bodies): every cell whose
/// centre lies inside is a landslide cell either way, and no negative may fall on one.
public enum PolygonCells: String, Sendable, CaseIterable, Codable {
    /// Every cell inside the polygon is a sample.
    case all
    /// One sample per polygon: the cell holding its area centroid, or where the centroid falls outside
    /// the polygon (a crescent scarp), the polygon's cell nearest to it.
    case centroid
    /// One sample per polygon: its highest cell (the initiation zone, as initiation-zone studies take it).
    case highest
}

/// Soil thickness model (METHODS.md A1).
public enum SoilDepthModel: Sendable, Equatable {
    /// Z-model: h = h_max − (Z − Z_min)/(Z_max − Z_min) · (h_max − h_min).
    case zModel(minMeters: Double, maxMeters: Double)
    /// One depth everywhere.
    case uniform(meters: Double)
}

/// Probability distributions a parameter may follow.
public enum ParameterDistribution: String, Sendable, CaseIterable, Codable {
    case normal, lognormal, uniform
    case truncatedNormal = "truncated-normal"
}

/// The eight random parameters of METHODS.md A2–A3, named as in the shared reference file.
public enum SoilParameter: String, Sendable, CaseIterable, Codable {
    case cohesion = "cohesion_kPa"
    case frictionAngle = "friction_angle_deg"
    case porosity
    case finalSaturation = "final_saturation"
    case initialSaturation = "initial_saturation"
    case unitWeight = "unit_weight_kN_m3"
    case saturatedConductivity = "ks_m_per_s"
    case soilDepth = "soil_depth_m"

    /// The range the mean must lie in, with the symbol used in messages.
    var meanRange: NumberRange {
        switch self {
        case .cohesion: return NumberRange.nonNegative.named("c′ (kPa)")
        case .frictionAngle: return NumberRange.between(0, 90, closed: false).named("φ′ (°)")
        case .porosity: return NumberRange.openUnit.named("n")
        case .finalSaturation: return NumberRange(lower: 0, lowerInclusive: false, upper: 1, upperInclusive: true).named("S_f")
        case .initialSaturation: return NumberRange.between(0, 1).named("S_o")
        case .unitWeight: return NumberRange.positive.named("γ_sat (kN/m³)")
        case .saturatedConductivity: return NumberRange.positive.named("k_s (m/s)")
        case .soilDepth: return NumberRange.positive.named("h_s (m)")
        }
    }
}

/// Mean, coefficient of variation and distribution of one parameter.
public struct ParameterSpec: Sendable, Equatable {
    /// The mean; `nil` for soil depth when it comes from the soil-depth model cell by cell.
    public var mean: Double?
    /// Coefficient of variation σ/μ; 0 means fixed.
    public var cov: Double
    public var distribution: ParameterDistribution
}

/// All eight parameters.
public struct SoilParameters: Sendable, Equatable {
    public var specs: [SoilParameter: ParameterSpec]
    public subscript(parameter: SoilParameter) -> ParameterSpec { specs[parameter]! }
}

/// A correlation coefficient between two parameters.
public struct ParameterCorrelation: Sendable, Equatable {
    public var a: SoilParameter
    public var b: SoilParameter
    public var rho: Double
}

/// What a correlation coefficient between two parameters means (METHODS.md A3).
public enum CorrelationConvention: String, Sendable, CaseIterable, Codable {
    /// ρ applies to the equivalent normals (as published; a Nataf model with normal-space correlation ρ).
    case equivalentNormal = "equivalent-normal"
    /// ρ is the correlation of the physical variables; the normal-space one is solved for (Nataf).
    case natafCorrected = "nataf-corrected"
}

/// The storm.
public enum RainfallSpec: Sendable, Equatable {
    /// Constant intensity for a duration, from a dry start.
    case constant(intensityMillimetersPerHour: Double, durationHours: Double)
    /// A hyetograph file (CSV: elapsed hours, intensity in mm/h), evaluated at `evaluateAtHours`
    /// (the whole storm when `nil`).
    case hyetograph(path: String, evaluateAtHours: Double?)
}

extension StudyConfig {
    /// Reads, validates and resolves a study configuration.
    ///
    /// - Parameters:
    ///   - path: the YAML file.
    ///   - dataRoot: the `--data-root` flag, if given; it wins over the config's `data_root`, which
    ///     wins over `LANDSLIDE_DATA_ROOT`, which wins over `../shared/data` (relative to the current
    ///     directory). A config's `data_root` is relative to the config file.
    ///   - environment: the process environment (injected for tests).
    /// - Throws: ``StudyConfigError`` naming the key, line and allowed range; ``GeoRasterError/fileNotFound(path:)``
    ///   for the config itself.
    public static func load(_ path: String, dataRoot: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StudyConfig {
        guard FileManager.default.fileExists(atPath: path) else { throw GeoRasterError.fileNotFound(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudyConfigError(file: path, line: nil, key: "", problem: "cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw StudyConfigError(file: path, line: nil, key: "", problem: "the file is empty; expected a YAML mapping")
            }
            root = node
        } catch let error as StudyConfigError {
            throw error
        } catch let error as YamlError {
            throw Self.yamlError(error, file: path, text: text)
        }
        return try decode(root, file: path, digest: ConfigDigest.sha256Hex(data), dataRootFlag: dataRoot, environment: environment)
    }

    /// A YAML error on one line with its line number: for a duplicated key, the line of the second
    /// occurrence (Yams reports the mapping's start) and of the first.
    static func yamlError(_ error: YamlError, file: String, text: String) -> StudyConfigError {
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let indent = context.mark.column - 1
            let at = lines.indices.filter { i in
                guard i >= context.mark.line - 1 else { return false }
                let line = lines[i]
                guard line.prefix(indent).allSatisfy({ $0 == " " }), line.dropFirst(indent).hasPrefix(key) else { return false }
                let rest = line.dropFirst(indent + key.count).drop { $0 == " " }
                return rest.hasPrefix(":")
            }
            if at.count >= 2 {
                return StudyConfigError(file: file, line: at[1] + 1, key: key,
                                        problem: "appears twice in the same mapping (first on line \(at[0] + 1)); expected each key once")
            }
            return StudyConfigError(file: file, line: context.mark.line, key: key,
                                    problem: "appears more than once in the mapping that starts here; expected each key once")
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let around = context.map { " (\($0.text) on line \($0.mark.line))" } ?? ""
            return StudyConfigError(file: file, line: mark.line, key: "",
                                    problem: "not valid YAML: \(problem) at column \(mark.column)\(around)")
        default:
            return StudyConfigError(file: file, line: nil, key: "", problem: "not valid YAML: \(Self.oneLine(error))")
        }
    }

    /// The parser's message on one line, its control characters (a binary file's bytes, quoted by
    /// the parser) shown as `\u{…}` escapes so that they cannot garble the terminal.
    private static func oneLine(_ error: Error) -> String {
        let text = String(describing: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.prefix(2).joined(separator: " ")
        return text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
    }

    static let topLevelKeys = ["name", "title", "data_root", "dem", "layers", "inventory", "evaluation_points",
                               "study_area", "soil_depth", "parameters", "correlations", "correlation_convention",
                               "rainfall", "seed", "zones", "factors", "samplers"]
    static let pointKeys = ["path", "x_column", "y_column", "crs", "label_column", "off_grid"]

    static func decode(_ root: Node, file: String, digest: String, dataRootFlag: String?,
                       environment: [String: String]) throws -> StudyConfig {
        let top = try ConfigMapping(root, path: "", file: file, allowed: topLevelKeys)
        let configDirectory = URL(fileURLWithPath: file).deletingLastPathComponent()

        let name = try top.string("name")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw top.error("name", "'\(name)' may hold only letters, digits, '-' and '_' (it names output folders)")
        }

        // Data root, by precedence.
        let (rootPath, rootSource): (String, DataRootSource)
        if let flag = dataRootFlag {
            (rootPath, rootSource) = (flag, .commandLine)
        } else if let configured = try top.optionalString("data_root") {
            (rootPath, rootSource) = (resolve(configured, against: configDirectory.path), .config)
        } else if let variable = environment["LANDSLIDE_DATA_ROOT"], !variable.isEmpty {
            (rootPath, rootSource) = (variable, .environment)
        } else {
            (rootPath, rootSource) = ("../shared/data", .defaultPath)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootPath, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StudyConfigError(
                file: file, line: top["data_root"]?.mark?.line, key: "data_root",
                problem: "data root '\(rootPath)' (\(rootSource.rawValue)) is not a folder; expected the folder "
                    + "holding the study's data: pass --data-root DIR or set LANDSLIDE_DATA_ROOT")
        }

        /// A data file under the root, which must exist.
        func dataFile(_ mapping: ConfigMapping, _ key: String) throws -> String {
            let relative = try mapping.string(key)
            let full = resolve(relative, against: rootPath)
            guard FileManager.default.fileExists(atPath: full) else {
                throw mapping.error(key, "file '\(full)' not found; expected a file under the data root '\(rootPath)'")
            }
            return full
        }

        func pointSource(_ key: String, labelled: Bool) throws -> PointSource {
            let m = try top.mapping(key, allowed: pointKeys + (labelled ? [] : ["polygon_cells"]))
            var source = PointSource(
                path: try dataFile(m, "path"),
                xColumn: try m.optionalString("x_column") ?? "x",
                yColumn: try m.optionalString("y_column") ?? "y",
                crs: try m.optionalString("crs"),
                labelColumn: try m.optionalString("label_column"),
                offGrid: try m.choice("off_grid", default: OffGridPolicy.drop))
            if !labelled { source.polygonCells = try m.choice("polygon_cells", default: PolygonCells.all) }
            if let crs = source.crs {
                do { _ = try CRS(crs) } catch { throw m.error("crs", "'\(crs)' is not a CRS GDAL knows; expected e.g. EPSG:32717") }
            }
            if labelled, source.labelColumn == nil {
                throw m.error("label_column", "missing; expected the column holding 1 (landslide) or 0")
            }
            return source
        }

        let layers = try top.freeMapping("layers").map { entry -> StudyLayer in
            let key = "layers.\(entry.key)"
            let relative: String, kind: StudyLayer.Kind
            if let text = entry.value.string, !text.isEmpty {
                (relative, kind) = (text, .continuous)
            } else if case .mapping = entry.value {
                let m = try ConfigMapping(entry.value, path: key, file: file, allowed: ["path", "type"])
                (relative, kind) = (try m.string("path"), try m.choice("type", default: StudyLayer.Kind.continuous))
            } else {
                throw StudyConfigError(file: file, line: entry.line, key: key,
                                       problem: "expected a file path or {path, type: categorical|continuous}")
            }
            let full = resolve(relative, against: rootPath)
            guard FileManager.default.fileExists(atPath: full) else {
                throw StudyConfigError(file: file, line: entry.line, key: key,
                                       problem: "file '\(full)' not found; expected a raster under the data root '\(rootPath)'")
            }
            return StudyLayer(name: entry.key, path: full, kind: kind)
        }

        let soilDepth = try decodeSoilDepth(top)
        let parameters = try decodeParameters(top, soilDepth: soilDepth)
        var config = StudyConfig(
            name: name,
            title: try top.optionalString("title") ?? name,
            configPath: file,
            configDigest: digest,
            dataRoot: rootPath,
            dataRootSource: rootSource,
            demPath: try dataFile(top, "dem"),
            layers: layers,
            inventory: try pointSource("inventory", labelled: false),
            evaluationPoints: top.has("evaluation_points") ? try pointSource("evaluation_points", labelled: true) : nil,
            studyAreaPath: top.has("study_area") ? try dataFile(top, "study_area") : nil,
            soilDepth: soilDepth,
            parameters: parameters,
            correlations: try decodeCorrelations(top),
            correlationConvention: try top.choice("correlation_convention", default: CorrelationConvention.equivalentNormal),
            rainfall: try decodeRainfall(top, configDirectory: configDirectory.path),
            rainfallScale: try top.mapping("rainfall", allowed: ["constant", "hyetograph", "evaluate_at_h", "scale"])
                .optionalDouble("scale", NumberRange.positive.named("rainfall scale")) ?? 1,
            seed: try top.unsignedInteger("seed"))
        config.zones = try decodeZones(top, layers: layers, parameters: parameters)
        config.factors = try decodeFactors(top)
        config.samplers = try decodeSamplers(top)
        return config
    }

    /// `path` itself when absolute, else `base/path`.
    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return path }
        return (base as NSString).appendingPathComponent(path)
    }

    static func decodeSoilDepth(_ top: ConfigMapping) throws -> SoilDepthModel {
        enum Kind: String, CaseIterable { case zModel = "z-model", uniform }
        let m = try top.mapping("soil_depth", allowed: ["model", "min_m", "max_m", "depth_m"])
        switch try m.choice("model") as Kind {
        case .zModel:
            let lo = try m.double("min_m", NumberRange.positive.named("h_min (m)"))
            let hi = try m.double("max_m", NumberRange(lower: lo, lowerInclusive: false, upper: nil, upperInclusive: true)
                .named("h_max (m)"))
            if m.has("depth_m") { throw m.error("depth_m", "not used by the z-model; remove it") }
            return .zModel(minMeters: lo, maxMeters: hi)
        case .uniform:
            for key in ["min_m", "max_m"] where m.has(key) { throw m.error(key, "not used by a uniform depth; remove it") }
            return .uniform(meters: try m.double("depth_m", NumberRange.positive.named("h (m)")))
        }
    }

    static func decodeParameters(_ top: ConfigMapping, soilDepth: SoilDepthModel) throws -> SoilParameters {
        try decodeParameters(try top.mapping("parameters", allowed: SoilParameter.allCases.map(\.rawValue)), base: nil)
    }

    /// The eight parameters under `all`; with a `base`, a parameter or field left out takes the base's
    /// (a zone's entries over `parameters`).
    static func decodeParameters(_ all: ConfigMapping, base: SoilParameters?) throws -> SoilParameters {
        var specs: [SoilParameter: ParameterSpec] = [:]
        for parameter in SoilParameter.allCases {
            if let base, !all.has(parameter.rawValue) { specs[parameter] = base[parameter]; continue }
            let m = try all.mapping(parameter.rawValue, allowed: ["mean", "cov", "distribution"])
            if let inherited = base?[parameter] {
                var spec = inherited
                if parameter == .soilDepth, m.has("mean") {
                    throw m.error("mean", "the soil depth's mean comes from soil_depth (z-model or uniform); remove it here")
                }
                if parameter != .soilDepth, m.has("mean") { spec.mean = try m.double("mean", parameter.meanRange) }
                if m.has("cov") { spec.cov = try m.double("cov", NumberRange.nonNegative.named("COV")) }
                if m.has("distribution") { spec.distribution = try m.choice("distribution") }
                if spec.distribution == .lognormal, let mean = spec.mean, mean <= 0 {
                    throw m.error("mean", "\(mean) is out of range for a lognormal; expected mean > 0")
                }
                specs[parameter] = spec
                continue
            }
            let mean: Double?
            if parameter == .soilDepth {
                // The mean comes from the soil-depth model, cell by cell.
                if m.has("mean") {
                    throw m.error("mean", "the soil depth's mean comes from soil_depth (z-model or uniform); remove it here")
                }
                mean = nil
            } else {
                mean = try m.double("mean", parameter.meanRange)
            }
            let cov = try m.double("cov", NumberRange.nonNegative.named("COV"))
            let distribution: ParameterDistribution = try m.choice("distribution", default: .normal)
            if distribution == .lognormal, let mean, mean <= 0 {
                throw m.error("mean", "\(mean) is out of range for a lognormal; expected mean > 0")
            }
            specs[parameter] = ParameterSpec(mean: mean, cov: cov, distribution: distribution)
        }
        if let so = specs[.initialSaturation]?.mean, let sf = specs[.finalSaturation]?.mean, so >= sf {
            let key = all.has("initial_saturation") ? "initial_saturation" : "final_saturation"
            let m = all.has(key) ? try all.mapping(key, allowed: ["mean", "cov", "distribution"]) : nil
            let problem = "S_o = \(so) is not below S_f = \(sf); expected initial saturation < final saturation"
            throw m?.error("mean", problem) ?? StudyConfigError(file: all.file, line: all.node.mark?.line, key: all.path, problem: problem)
        }
        return SoilParameters(specs: specs)
    }

    /// `zones: {layer, classes: {CODE: {PARAMETER: {mean, cov, distribution}}}}`.
    static func decodeZones(_ top: ConfigMapping, layers: [StudyLayer], parameters: SoilParameters) throws -> SoilZones? {
        guard let m = try top.optionalMapping("zones", allowed: ["layer", "classes"]) else { return nil }
        let name = try m.string("layer")
        guard let layer = layers.first(where: { $0.name == name }) else {
            throw m.error("layer", "'\(name)' is not one of the study's layers (\(layers.map(\.name).joined(separator: ", "))); "
                          + "expected a categorical layer named under layers")
        }
        guard layer.kind == .categorical else {
            throw m.error("layer", "'\(name)' is continuous; expected a layer declared {path: …, type: categorical}")
        }
        var classes: [Int: SoilParameters] = [:]
        let entries = try m.freeMapping("classes")
        guard !entries.isEmpty else { throw m.error("classes", "missing or empty; expected CODE: {PARAMETER: {mean, cov, distribution}}") }
        for entry in entries {
            let key = "zones.classes.\(entry.key)"
            guard let code = Int(entry.key) else {
                throw StudyConfigError(file: top.file, line: entry.line, key: key, problem: "'\(entry.key)' is not a whole-number class code")
            }
            let zone = try ConfigMapping(entry.value, path: key, file: top.file, allowed: SoilParameter.allCases.map(\.rawValue))
            classes[code] = try decodeParameters(zone, base: parameters)
        }
        return SoilZones(layer: name, classes: classes)
    }

    /// `factors: {patch_cnn, networks, glm}`: lists of layer names (checked against the study's layers
    /// when the study is loaded, where the derived layers are known).
    static func decodeFactors(_ top: ConfigMapping) throws -> FactorChoice {
        guard let m = try top.optionalMapping("factors", allowed: ["patch_cnn", "networks", "glm"]) else { return FactorChoice() }
        func list(_ key: String) throws -> [String]? {
            guard m.has(key) else { return nil }
            let names = try m.sequence(key).map { node -> String in
                guard let text = node.string, !text.isEmpty else { throw m.error(key, "expected a list of layer names") }
                return text
            }
            guard !names.isEmpty else { throw m.error(key, "empty; expected at least one layer name") }
            guard Set(names).count == names.count else { throw m.error(key, "a layer is listed twice") }
            return names
        }
        return FactorChoice(patchCNN: try list("patch_cnn"), networks: try list("networks"), glm: try list("glm"))
    }

    /// `samplers: {buffer_m, slope_max_deg, pof_threshold, open_kernel, close_kernel}`.
    static func decodeSamplers(_ top: ConfigMapping) throws -> SamplerSettings {
        var s = SamplerSettings()
        guard let m = try top.optionalMapping("samplers", allowed: ["buffer_m", "slope_max_deg", "pof_threshold",
                                                                     "open_kernel", "close_kernel"]) else { return s }
        if let b = try m.optionalDouble("buffer_m", NumberRange.nonNegative.named("buffer (m)")) { s.bufferMeters = b }
        if let d = try m.optionalDouble("slope_max_deg", NumberRange.between(0, 90).named("slope (°)")) { s.slopeMaxDegrees = d }
        if let t = try m.optionalDouble("pof_threshold", NumberRange.openUnit.named("POF")) { s.pofThreshold = t }
        for key in ["open_kernel", "close_kernel"] where m.has(key) {
            let k = try m.double(key, NumberRange.between(1, 15).named("side (cells)"))
            guard k == k.rounded(), Int(k) % 2 == 1 else { throw m.error(key, "\(k) is not an odd whole number; expected an odd side from 1 to 15") }
            if key == "open_kernel" { s.openKernel = Int(k) } else { s.closeKernel = Int(k) }
        }
        return s
    }

    static func decodeCorrelations(_ top: ConfigMapping) throws -> [ParameterCorrelation] {
        let names = SoilParameter.allCases.map(\.rawValue).joined(separator: ", ")
        var seen: Set<String> = []
        return try top.sequence("correlations").enumerated().map { i, node in
            let m = try ConfigMapping(node, path: "correlations[\(i)]", file: top.file, allowed: ["a", "b", "rho"])
            func parameter(_ key: String) throws -> SoilParameter {
                let text = try m.string(key)
                guard let p = SoilParameter(rawValue: text) else { throw m.error(key, "'\(text)' is not one of \(names)") }
                return p
            }
            let a = try parameter("a"), b = try parameter("b")
            guard a != b else { throw m.error("b", "a parameter cannot be correlated with itself") }
            let pair = [a.rawValue, b.rawValue].sorted().joined(separator: "|")
            guard seen.insert(pair).inserted else { throw m.error("b", "this pair is already listed") }
            return ParameterCorrelation(a: a, b: b, rho: try m.double("rho", NumberRange.between(-1, 1).named("ρ")))
        }
    }

    static func decodeRainfall(_ top: ConfigMapping, configDirectory: String) throws -> RainfallSpec {
        let m = try top.mapping("rainfall", allowed: ["constant", "hyetograph", "evaluate_at_h", "scale"])
        switch (m.has("constant"), m.has("hyetograph")) {
        case (true, false):
            let c = try m.mapping("constant", allowed: ["intensity_mm_per_h", "duration_h"])
            if m.has("evaluate_at_h") { throw m.error("evaluate_at_h", "only for a hyetograph; a constant storm is evaluated at its end") }
            return .constant(intensityMillimetersPerHour: try c.double("intensity_mm_per_h", NumberRange.nonNegative.named("P (mm/h)")),
                             durationHours: try c.double("duration_h", NumberRange.positive.named("duration (h)")))
        case (false, true):
            // Hyetographs ship with the harness, beside the study configs.
            let relative = try m.string("hyetograph")
            let full = resolve(relative, against: configDirectory)
            guard FileManager.default.fileExists(atPath: full) else {
                throw m.error("hyetograph", "file '\(full)' not found; expected a CSV beside the config")
            }
            return .hyetograph(path: full, evaluateAtHours: try m.optionalDouble("evaluate_at_h", NumberRange.positive.named("t (h)")))
        default:
            throw top.error("rainfall", "expected exactly one of 'constant' or 'hyetograph'")
        }
    }
}
