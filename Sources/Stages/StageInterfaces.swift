import Foundation
import Terrain

/// What a stage consumes and produces, by name and unit (as landlab components declare their fields):
/// the contract between stages, checked against the study's layer registry by the tests.
public struct StageInterface: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var unit: String
        public init(_ name: String, _ unit: String) { self.name = name; self.unit = unit }
    }

    public var stage: String
    /// Layers of the study (``StudyContext/layer(_:)`` names) the stage reads.
    public var consumes: [Field]
    /// Other inputs: config sections, files, another stage's output.
    public var alsoReads: [String]
    /// What it writes.
    public var produces: [Field]

    /// Every stage behind the `landslide` CLI, in data-flow order.
    public static let all: [StageInterface] = [
        StageInterface(stage: "terrain", consumes: [.init("elevation", "m")], alsoReads: ["soil_depth (config)"],
                       produces: TerrainProducts.catalogue.map { .init($0.name, $0.unit) }),
        StageInterface(stage: "ppm",
                       consumes: [.init("slope", "degree"), .init("d8", "code"), .init("soil_depth", "m")],
                       alsoReads: ["parameters, correlations (config)", "rainfall (config: hyetograph)", "scenario"],
                       produces: [.init("wetting_front", "m"), .init("infiltration", "m"), .init("runoff", "m"),
                                  .init("fos", "1"), .init("beta", "1"), .init("pof", "probability"),
                                  .init("iterations", "count"), .init("status", "code")]),
        StageInterface(stage: "sample",
                       consumes: [.init("slope", "degree")] + FactorLayers.studyBTerrainFactors.map { .init($0, "layer unit") },
                       alsoReads: ["inventory (config)", "pof (ppm, for the pof sampler)"],
                       produces: [.init("samples", "x, y in the DEM's CRS; lslpts 0/1"), .init("total information value", "1")]),
        StageInterface(stage: "train", consumes: FactorLayers.studyAChannels.map { .init($0, "layer unit") },
                       alsoReads: ["samples (sample) or evaluation_points (config)", "factors by model"],
                       produces: [.init("model", "JSON"), .init("metrics", "AUC, accuracy, precision, recall, F1")]),
        StageInterface(stage: "map", consumes: [.init("the model's factors", "layer unit")], alsoReads: ["model (train)"],
                       produces: [.init("susceptibility", "probability")]),
    ]
}
