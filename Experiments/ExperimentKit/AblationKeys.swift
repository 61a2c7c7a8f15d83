import Foundation
import StudyCore

/// A setting an ablation can vary (issue G5): a study-config key in dotted form, applied by writing a
/// derived config, or an experiment setting, applied as the experiment's own command-line option.
public struct AblationKey: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A key of the study config (YAML), e.g. ["parameters", "cohesion_kPa", "mean"].
        case config([String])
        /// A multiplier of a number in the study config: the value at the path times the key's value.
        case configScale([String])
        /// An experiment option `--name VALUE`.
        case option(String)
        /// A flag: `--name` when the value is `onValue`, nothing otherwise.
        case flag(String, onValue: Bool)
    }

    public enum ValueType: Sendable, Equatable {
        case real(ClosedRange<Double>, openLower: Bool, openUpper: Bool)
        case integer(ClosedRange<Int>, oddOnly: Bool)
        case boolean
        case choice([String])

        var description: String {
            switch self {
            case let .real(r, lo, hi): "real in \(lo ? "(" : "[")\(fmt(r.lowerBound)), \(fmt(r.upperBound))\(hi ? ")" : "]")"
            case let .integer(r, odd): "\(odd ? "odd " : "")integer in [\(r.lowerBound), \(r.upperBound)]"
            case .boolean: "true or false"
            case let .choice(c): "one of \(c.joined(separator: ", "))"
            }
        }

        private func fmt(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)" }
    }

    public let name: String
    public let kind: Kind
    public let type: ValueType
    public let defaultValue: String
    public let summary: String

    /// The value as the key's type writes it ("0.50" → "0.5"), or an error naming the key and its range.
    public func normalised(_ text: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch type {
        case let .real(r, openLower, openUpper):
            guard let x = Double(t), x.isFinite, r.contains(x), !(openLower && x == r.lowerBound), !(openUpper && x == r.upperBound) else {
                throw AblationError("\(name)=\(text): expected a \(type.description)")
            }
            return String(x)
        case let .integer(r, oddOnly):
            guard let k = Int(t), r.contains(k), !oddOnly || k % 2 == 1 else {
                throw AblationError("\(name)=\(text): expected an \(type.description)")
            }
            return String(k)
        case .boolean:
            switch t.lowercased() {
            case "true", "on", "yes", "1": return "true"
            case "false", "off", "no", "0": return "false"
            default: throw AblationError("\(name)=\(text): expected true or false")
            }
        case let .choice(c):
            guard c.contains(t) else { throw AblationError("\(name)=\(text): expected \(type.description)") }
            return t
        }
    }

    /// Whether the key is set in a derived study config (rather than as an experiment option).
    public var isConfig: Bool {
        switch kind {
        case .config, .configScale: true
        case .option, .flag: false
        }
    }

    /// The command-line words that set this key to `value` (a normalised value); none for config keys.
    func arguments(_ value: String) -> [String] {
        switch kind {
        case .config, .configScale: []
        case let .option(name): ["--\(name)", value]
        case let .flag(name, onValue): (value == "true") == onValue ? ["--\(name)"] : []
        }
    }
}

/// A `--vary` or key value that cannot be used, said in one line.
public struct AblationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum AblationKeys {
    /// The experiments `ablate` runs, and the keys each takes.
    public static let experiments = ["model-comparison"]

    /// Every key of the study config that an ablation can vary (all experiments).
    public static let configKeys: [AblationKey] = {
        var keys: [AblationKey] = []
        let parameters: [(String, ClosedRange<Double>, String)] = [
            ("cohesion_kPa", 0...200, "effective cohesion c′ (kPa)"),
            ("friction_angle_deg", 0...60, "effective friction angle φ′ (degrees)"),
            ("porosity", 0.01...0.99, "porosity"),
            ("final_saturation", 0.01...1, "final degree of saturation"),
            ("initial_saturation", 0...1, "initial degree of saturation"),
            ("unit_weight_kN_m3", 5...40, "unit weight (kN/m³)"),
            ("ks_m_per_s", 1e-9...1e-2, "saturated conductivity k_s (m/s)"),
        ]
        for (p, range, what) in parameters {
            keys.append(AblationKey(name: "parameters.\(p).mean", kind: .config(["parameters", p, "mean"]),
                                    type: .real(range, openLower: range.lowerBound == 0, openUpper: false), defaultValue: "config",
                                    summary: "mean of \(what)"))
        }
        for (p, _, what) in parameters {
            keys.append(AblationKey(name: "parameters.\(p).scale", kind: .configScale(["parameters", p, "mean"]),
                                    type: .real(0...1000, openLower: true, openUpper: false), defaultValue: "1",
                                    summary: "the config's mean of \(what) multiplied by this"))
        }
        for p in parameters.map(\.0) + ["soil_depth_m"] {
            keys.append(AblationKey(name: "parameters.\(p).cov", kind: .config(["parameters", p, "cov"]),
                                    type: .real(0...1, openLower: false, openUpper: false), defaultValue: "config",
                                    summary: "coefficient of variation of \(p)"))
        }
        keys.append(AblationKey(name: "soil_depth.min_m", kind: .config(["soil_depth", "min_m"]),
                                type: .real(0...10, openLower: true, openUpper: false), defaultValue: "config",
                                summary: "Z-model minimum soil depth (m)"))
        keys.append(AblationKey(name: "soil_depth.max_m", kind: .config(["soil_depth", "max_m"]),
                                type: .real(0...20, openLower: true, openUpper: false), defaultValue: "config",
                                summary: "Z-model maximum soil depth (m)"))
        keys.append(AblationKey(name: "rainfall.scale", kind: .config(["rainfall", "scale"]),
                                type: .real(0...100, openLower: true, openUpper: false), defaultValue: "1",
                                summary: "every intensity of the storm multiplied by this"))
        keys.append(AblationKey(name: "rainfall.evaluate_at_h", kind: .config(["rainfall", "evaluate_at_h"]),
                                type: .real(0...240, openLower: true, openUpper: false), defaultValue: "config",
                                summary: "hour of the hyetograph at which slopes are evaluated"))
        return keys
    }()

    /// The model comparison's own settings (its command-line options).
    public static let modelComparisonKeys: [AblationKey] = [
        AblationKey(name: "ppm.profile", kind: .option("profile"), type: .choice(["a", "b", "c"]), defaultValue: "c",
                    summary: "pore-water pressure at the wetting front: a suction, b zero, c saturated"),
        AblationKey(name: "ppm.scenario", kind: .option("scenario"), type: .choice(Scenario.names), defaultValue: "config",
                    summary: "the PPM's uncertainty scenario"),
        AblationKey(name: "sampler.pof_threshold", kind: .option("pof-threshold"),
                    type: .real(0...1, openLower: true, openUpper: true), defaultValue: "0.5",
                    summary: "POF below which a cell is a stable candidate"),
        AblationKey(name: "morphology.open_kernel", kind: .option("open-kernel"), type: .integer(1...15, oddOnly: true),
                    defaultValue: "3", summary: "side of the opening's kernel (POF sampler and Step 6)"),
        AblationKey(name: "morphology.close_kernel", kind: .option("close-kernel"), type: .integer(1...15, oddOnly: true),
                    defaultValue: "3", summary: "side of the closing's kernel (POF sampler and Step 6)"),
        AblationKey(name: "cnn.pof_channel", kind: .flag("pof-channel", onValue: true), type: .boolean, defaultValue: "false",
                    summary: "the POF map as the CNN's extra channel"),
        AblationKey(name: "cnn.clean_map", kind: .flag("no-clean-map", onValue: false), type: .boolean, defaultValue: "true",
                    summary: "Step 6: clean the output map by opening and closing"),
        AblationKey(name: "cnn.channels", kind: .option("cnn-channels"), type: .integer(1...256, oddOnly: false),
                    defaultValue: "64 (8 with --quick)", summary: "the CNN's convolution channels"),
        AblationKey(name: "cnn.kernel", kind: .option("cnn-kernel"), type: .integer(1...7, oddOnly: true), defaultValue: "3",
                    summary: "the CNN's convolution kernel side"),
        AblationKey(name: "cnn.patch", kind: .option("patch"), type: .integer(5...33, oddOnly: true), defaultValue: "17",
                    summary: "the CNN's input patch side (cells)"),
        AblationKey(name: "negatives.ratio", kind: .option("negatives-per-landslide"),
                    type: .real(0.1...20, openLower: false, openUpper: false), defaultValue: "1",
                    summary: "negatives drawn per training landslide"),
        AblationKey(name: "cnn.epochs", kind: .option("cnn-epochs"), type: .integer(1...1000, oddOnly: false),
                    defaultValue: "40 (4 with --quick)", summary: "the CNN's training epochs"),
    ]

    /// The keys `experiment` takes.
    public static func keys(for experiment: String) throws -> [AblationKey] {
        switch experiment {
        case "model-comparison": return configKeys + modelComparisonKeys
        default: throw AblationError("--experiment \(experiment): expected one of \(experiments.joined(separator: ", "))")
        }
    }

    /// The key named `name` for `experiment`, or an error naming it and where the list is.
    public static func key(_ name: String, experiment: String) throws -> AblationKey {
        guard let k = try keys(for: experiment).first(where: { $0.name == name }) else {
            throw AblationError("unknown key '\(name)' for \(experiment); `ablate --help` lists every key")
        }
        return k
    }

    /// The key list as `--help` prints it.
    public static func helpText() -> String {
        var lines: [String] = []
        for experiment in experiments {
            lines.append("Keys for \(experiment) (KEY: type; default — meaning):")
            for k in (try? keys(for: experiment)) ?? [] {
                lines.append("  \(k.name): \(k.type.description); default \(k.defaultValue) — \(k.summary)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
