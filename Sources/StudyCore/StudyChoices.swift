import Foundation

/// A study layer: a raster on the DEM's grid holding a measured quantity (`continuous`) or class
/// codes (`categorical`: geology, soil, land use).
///
/// Categorical layers are never standardised: the networks and the GLM take them as indicators of
/// their classes (treatment coding: one 0/1 column per class but the first, so the GLM's intercept
/// stays identifiable), and the information-value model takes each class as it is.
public struct StudyLayer: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case continuous, categorical
    }

    public var name: String
    public var path: String
    public var kind: Kind

    public init(name: String, path: String, kind: Kind = .continuous) {
        self.name = name; self.path = path; self.kind = kind
    }
}

/// `zones`: soil parameters per class of a categorical layer, as TRIGRS's property zones, SHALSTAB
/// and FSLAM take them per geology or soil unit. A class without an entry, and a cell whose class is
/// nodata, uses `parameters`.
public struct SoilZones: Sendable, Equatable {
    /// The categorical layer whose codes are the zones.
    public var layer: String
    /// Every configured class code's parameters: `parameters` with the class's own entries over it.
    public var classes: [Int: SoilParameters]
    /// The configured codes, ascending: zone k + 1 of ``ZoneMap`` is `codes[k]`; zone 0 is `parameters`.
    public var codes: [Int] { classes.keys.sorted() }

    public init(layer: String, classes: [Int: SoilParameters]) {
        self.layer = layer; self.classes = classes
    }
}

/// `factors`: the layers each model family takes, by name (nil: the studies' own sets).
public struct FactorChoice: Sendable, Equatable {
    /// Study A's patch CNN's channels (default: slope, aspect, elevation, d8, soil_depth, and a layer
    /// named `soil_type` where the study has one).
    public var patchCNN: [String]?
    /// Study B's networks (BP, LSTM, 1-D CNN) and its information-value model (default: 13 terrain factors).
    public var networks: [String]?
    /// The logistic-regression baseline (default: the `lsl` set where the study has its layers, else
    /// their DEM equivalents).
    public var glm: [String]?

    public init(patchCNN: [String]? = nil, networks: [String]? = nil, glm: [String]? = nil) {
        self.patchCNN = patchCNN; self.networks = networks; self.glm = glm
    }
}

/// `samplers`: the negative samplers' settings, shared by `landslide sample` and every experiment.
/// Defaults are the studies' published settings (Study B §2.3: a 1,000 m buffer, slope ≤ 3°;
/// Study A Step 4: POF < 0.5, then 3 × 3 opening and closing).
public struct SamplerSettings: Sendable, Equatable, Codable {
    public var bufferMeters = 1000.0
    public var slopeMaxDegrees = 3.0
    public var pofThreshold = 0.5
    public var openKernel = 3
    public var closeKernel = 3
    public init() {}

    /// In results JSON (snake_case) the keys read as the config's: buffer_m, slope_max_deg, …
    enum CodingKeys: String, CodingKey {
        case bufferMeters = "bufferM", slopeMaxDegrees = "slopeMaxDeg", pofThreshold, openKernel, closeKernel
    }
}
