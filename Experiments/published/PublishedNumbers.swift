import Foundation
import Yams

/// The two studies' published numbers, read from `published.yaml` beside this file (shipped with the
/// harness as a resource): the one place they are typed. The paper audit checks them, the experiments
/// print them beside ours, the twin takes Study A's basin and Table 2 from them, and the paper quotes
/// them. Keys follow the file; see its comments for where each number was printed.
public struct PublishedNumbers: Sendable, Decodable {
    public struct StudyA: Sendable, Decodable {
        public struct Hyperparameter: Sendable, Decodable {
            public var name: String
            public var range: [Double]
            public var `default`: Double
            public var best: Double
        }
        /// One column of Table 3 or 4: five class shares (I–V) of one model, quantity and scenario.
        public struct TableColumn: Sendable, Decodable {
            public var table: Int
            public var model: String
            public var quantity: String
            public var scenario: String
            public var values: [Double]
        }
        public struct Basin: Sendable, Decodable {
            public var areaKm2: Double
            public var elevationMinM: Double
            public var elevationMaxM: Double
            public var elevationMeanM: Double
            public var cellSizeM: Double
            public var soilDepthMinM: Double
            public var soilDepthMaxM: Double
            /// Not printed: implied by the smallest shares of Tables 3–4 (0.27 % = 1/365).
            public var landslidesInferred: Int
            enum CodingKeys: String, CodingKey {
                case areaKm2 = "area_km2", elevationMinM = "elevation_min_m", elevationMaxM = "elevation_max_m"
                case elevationMeanM = "elevation_mean_m", cellSizeM = "cell_size_m", soilDepthMinM = "soil_depth_min_m"
                case soilDepthMaxM = "soil_depth_max_m", landslidesInferred = "landslides_inferred"
            }
        }
        public var citation: String
        public var basin: Basin
        /// The CNN's six input factors.
        public var cnnFactors: [String]
        /// The storm: `rain_mm` and the hours of rain the maps are for (`map_hours`).
        public var storm: [String: Double]
        /// The POF threshold of each PPM-CNN variant that thresholds.
        public var samplerThresholds: [String: Double]
        /// Table 2's means, keyed as the study configs' parameters (`cohesion_kPa`, …).
        public var table2Means: [String: Double]
        public var table1Hyperparameters: [Hyperparameter]
        /// Figs. 9–10: AUC by model (`CNN`, `PPM`, `PPM-CNN(N)`, …).
        public var auc: [String: Double]
        /// Fig. 8: Pearson r of AUC with `threshold`, `kernel_open`, `kernel_close`.
        public var structureSensitivityPearson: [String: Double]
        public var tables: [TableColumn]
        public var highAndVeryHighPercentArea: [String: Double]
        enum CodingKeys: String, CodingKey {
            case citation, basin, auc, tables, storm
            case cnnFactors = "cnn_factors", samplerThresholds = "sampler_thresholds"
            case table2Means = "table2_means", table1Hyperparameters = "table1_hyperparameters"
            case structureSensitivityPearson = "structure_sensitivity_pearson"
            case highAndVeryHighPercentArea = "high_and_very_high_percent_area"
        }

        /// Table 3 or 4's column for `model` and `scenario` (`0.01` … or `UN` …) as (%landslides, %area).
        public func classShares(table: Int, model: String, scenario: String) -> (landslides: [Double], area: [Double])? {
            func column(_ quantity: String) -> [Double]? {
                tables.first { $0.table == table && $0.model == model && $0.scenario == scenario && $0.quantity == quantity }?.values
            }
            guard let l = column("percent_landslides"), let a = column("percent_area") else { return nil }
            return (l, a)
        }

        /// Table 1's best value of each hyperparameter, by name.
        public var table1Best: [String: Double] {
            Dictionary(uniqueKeysWithValues: table1Hyperparameters.map { ($0.name, $0.best) })
        }
    }

    public struct StudyB: Sendable, Decodable {
        public var citation: String
        /// Fig. 8: the CNN's AUC by sampler (`random`, `buffer`, `slope`, `information_value`).
        public var samplerAuc: [String: Double]
        /// The samplers' settings (`buffer_m`, `maximum_slope_deg`).
        public var samplerSettings: [String: Double]
        public var factorsCandidate: Int
        public var pcaThreshold: Double
        public var factorsKept: [String]
        /// Fig. 3's weights of the eight factors below the threshold.
        public var factorWeightsDropped: [String: Double]
        /// Table 3: accuracy, precision, recall, F1 and AUC by network (`BP`, `LSTM`, `CNN`).
        public var metrics: [String: [String: Double]]
        /// Table 2: area (km²) and landslides per class, very low → very high, by network.
        public var classAreasKm2: [String: [Double]]
        public var classLandslides: [String: [Double]]
        public var conclusionsCnnAreaKm2: [String: Double]
        enum CodingKeys: String, CodingKey {
            case citation, metrics
            case factorsCandidate = "factors_candidate", pcaThreshold = "pca_threshold", factorsKept = "factors_kept"
            case factorWeightsDropped = "factor_weights_dropped"
            case samplerAuc = "sampler_auc", samplerSettings = "sampler_settings", classAreasKm2 = "class_areas_km2", classLandslides = "class_landslides"
            case conclusionsCnnAreaKm2 = "conclusions_cnn_area_km2"
        }
    }

    public var studyA: StudyA
    public var studyB: StudyB
    enum CodingKeys: String, CodingKey { case studyA = "study_a", studyB = "study_b" }

    /// The file: `Experiments/published/published.yaml` of the checkout, else the built-in copy.
    public static var path: String { resourcePath("published") }

    /// Reads and decodes a published-numbers file.
    public static func load(_ path: String = PublishedNumbers.path) throws -> PublishedNumbers {
        try decodeYAML(PublishedNumbers.self, at: path, schema: "the published-numbers schema")
    }

    /// The shipped numbers; a broken file is a defect of the harness itself, not of user input.
    public static let shipped: PublishedNumbers = {
        do { return try load() } catch { fatalError("\(error)") }
    }()
}

public struct PublishedNumbersError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
}

/// What reproduces each figure and table of the two papers (`coverage.yaml`).
public struct Coverage: Sendable, Decodable {
    public struct Entry: Sendable, Decodable {
        /// "Fig. 9", "Table 3".
        public var item: String
        public var subject: String
        /// The experiment and its output files (under figures/<experiment>/<study>/), when reproduced.
        public var experiment: String?
        public var outputs: [String]?
        /// Why it is not reproduced, when it is not.
        public var reason: String?
    }

    public var studyA: [Entry]
    public var studyB: [Entry]
    enum CodingKeys: String, CodingKey { case studyA = "study_a", studyB = "study_b" }

    /// The checkout's `Experiments/published/coverage.yaml`, else the copy built into the harness.
    public static var path: String { resourcePath("coverage") }

    public static func load(_ path: String = Coverage.path) throws -> Coverage {
        try decodeYAML(Coverage.self, at: path, schema: "the coverage schema")
    }
}

/// `Experiments/published/<name>.yaml` of the checkout the command runs in (the Makefile and the tests
/// run from its root), else the copy built into the harness.
func resourcePath(_ name: String) -> String {
    let inCheckout = "Experiments/published/\(name).yaml"
    if FileManager.default.fileExists(atPath: inCheckout) { return inCheckout }
    return Bundle.module.path(forResource: name, ofType: "yaml") ?? inCheckout
}

/// Reads and decodes one of the YAML files here; errors name the file and what was wrong.
func decodeYAML<T: Decodable>(_ type: T.Type, at path: String, schema: String) throws -> T {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw PublishedNumbersError(path: path, problem: "cannot read the file (\(error.localizedDescription))")
    }
    do { return try YAMLDecoder().decode(T.self, from: text) } catch {
        throw PublishedNumbersError(path: path, problem: "not \(schema): \(error)")
    }
}
