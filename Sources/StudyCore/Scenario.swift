import Foundation
import Reliability
import SlopePhysics

extension ParameterSpec {
    /// The marginal for a given mean: cov 0 is fixed; truncated normals are N(mean, sd) cut at 0.
    public static func marginal(mean: Double, cov: Double, distribution: ParameterDistribution) -> Marginal {
        let sd = abs(mean) * cov
        guard cov > 0 else { return .fixed(mean) }
        switch distribution {
        case .normal: return .normal(mean: mean, sd: sd)
        case .lognormal: return .lognormal(mean: mean, sd: sd)
        case .uniform: return .uniform(mean: mean, sd: sd)
        case .truncatedNormal: return .truncatedNormal(mu: mean, sigma: sd, lower: 0, upper: .infinity)
        }
    }
}

/// The uncertainty scenarios of Study A (METHODS.md A3), applied to a study's parameter means.
///
/// - `config`: the study's own COVs, distributions and correlations.
/// - `cov-0.01`, `cov-0.10`, `cov-0.20`, `cov-0.30`: all eight parameters normal with that COV, uncorrelated.
/// - `UN`, `CN`, `UL`, `CL`: only c′ and φ′ random, COV 0.10 (implied by Study A: its PPM-CNN "UN"
///   column equals the COV 0.10 column), normal (N) or lognormal (L), uncorrelated (U) or with
///   ρ(c′, φ′) = −0.3 on the equivalent normals (C).
///
/// The raw value is the scenario's name on the command line, in configs and in results files.
public enum Scenario: String, CaseIterable, Sendable, Codable {
    case config
    case cov001 = "cov-0.01"
    case cov010 = "cov-0.10"
    case cov020 = "cov-0.20"
    case cov030 = "cov-0.30"
    case uncorrelatedNormal = "UN"
    case correlatedNormal = "CN"
    case uncorrelatedLognormal = "UL"
    case correlatedLognormal = "CL"

    /// Study A's COV sweep (Table 3) and correlation/distribution grid (Table 4), in their column order.
    public static let covSweep: [Scenario] = [.cov001, .cov010, .cov020, .cov030]
    public static let correlationGrid: [Scenario] = [.uncorrelatedNormal, .correlatedNormal, .uncorrelatedLognormal,
                                                     .correlatedLognormal]

    /// Every name, for messages.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The scenario called `name`, or an error listing the names there are (for `--scenario`).
    public static func named(_ name: String) throws -> Scenario {
        guard let scenario = Scenario(rawValue: name) else { throw ScenarioError(name: name) }
        return scenario
    }

    /// The COV of the random parameters; nil for `config` (the study's own).
    public var cov: Double? {
        switch self {
        case .config: nil
        case .cov001: 0.01
        case .cov010: 0.10
        case .cov020: 0.20
        case .cov030: 0.30
        case .uncorrelatedNormal, .correlatedNormal, .uncorrelatedLognormal, .correlatedLognormal: 0.10
        }
    }

    /// The column heading of Study A's Tables 3–4: the COV (`0.01`) or the grid code (`UN`).
    public var tableColumn: String {
        switch self {
        case .cov001, .cov010, .cov020, .cov030: String(rawValue.dropFirst(4))
        default: rawValue
        }
    }

    /// A label for figures: `COV 0.01`, `UN`, `config`.
    public var label: String {
        switch self {
        case .cov001, .cov010, .cov020, .cov030: "COV " + tableColumn
        default: rawValue
        }
    }

    /// The per-cell uncertainty of this scenario on `config`'s means.
    /// - Parameter convention: overrides the config's correlation convention when given.
    /// - Parameter parameters: a zone's parameters in place of the config's (``ZoneMap/parameters``).
    public func uncertainty(_ config: StudyConfig, convention: CorrelationConvention? = nil,
                            parameters: SoilParameters? = nil) throws -> CellUncertainty {
        let convention = convention ?? config.correlationConvention
        let p = parameters ?? config.parameters
        let order = SoilParameter.allCases  // c′, φ′, n, S_f, S_o, γ, k_s, h_s: the limit state's order
        func build(_ spec: (SoilParameter) -> (cov: Double, distribution: ParameterDistribution),
                   correlations: [ParameterCorrelation]) throws -> CellUncertainty {
            var marginals = order.map { q -> Marginal in
                let s = spec(q)
                return ParameterSpec.marginal(mean: p[q].mean ?? 1, cov: s.cov, distribution: s.distribution)
            }
            let depth = spec(.soilDepth)
            marginals[7] = ParameterSpec.marginal(mean: 1, cov: depth.cov, distribution: depth.distribution)
            let random = order.indices.filter { marginals[$0].isRandom }
            var rows = random.map { i in random.map { $0 == i ? 1.0 : 0.0 } }
            for c in correlations {
                guard let i = random.firstIndex(of: order.firstIndex(of: c.a)!),
                      let j = random.firstIndex(of: order.firstIndex(of: c.b)!) else {
                    throw StudyConfigError(file: config.configPath, line: nil, key: "correlations",
                                           problem: "\(c.a.rawValue)–\(c.b.rawValue) involves a parameter with COV 0; expected random parameters")
                }
                rows[i][j] = c.rho
                rows[j][i] = c.rho
            }
            var correlation: CorrelationMatrix
            do {
                correlation = try CorrelationMatrix(rows)
                if convention == .natafCorrected && !correlation.isIdentity {
                    // The correction depends on the marginals' shapes only (location-scale families), so the
                    // soil depth's template at mean 1 serves every cell.
                    correlation = try NatafCorrection.normalSpaceCorrelation(correlation, marginals: random.map { marginals[$0] })
                }
            } catch {
                // Name the config, the key and the parameters: the matrix is `correlations` over the random parameters.
                let names = random.map { order[$0].rawValue }
                let problem: String
                if case let CorrelationError.notPositiveDefinite(eigenvalue, i, j) = error {
                    problem = String(format: "the coefficients are not consistent (the matrix over %@ is not positive definite, smallest eigenvalue %.3g); check %@–%@ (ρ = %.2f), the largest",
                                     names.joined(separator: ", "), eigenvalue, names[i], names[j], rows[i][j])
                } else {
                    problem = "the matrix over \(names.joined(separator: ", ")) is unusable: \(error)"
                }
                throw StudyConfigError(file: config.configPath, line: nil, key: "correlations", problem: problem)
            }
            return CellUncertainty(marginals: marginals, soilDepth: { h in
                ParameterSpec.marginal(mean: h, cov: depth.cov, distribution: depth.distribution)
            }, correlation: correlation)
        }
        switch self {
        case .config:
            return try build({ (p[$0].cov, p[$0].distribution) }, correlations: config.correlations)
        case .cov001, .cov010, .cov020, .cov030:
            let cov = self.cov!
            return try build({ _ in (cov, .normal) }, correlations: [])
        case .uncorrelatedNormal, .correlatedNormal, .uncorrelatedLognormal, .correlatedLognormal:
            let lognormal = self == .uncorrelatedLognormal || self == .correlatedLognormal
            let correlated = self == .correlatedNormal || self == .correlatedLognormal
            let distribution: ParameterDistribution = lognormal ? .lognormal : .normal
            let strength: Set<SoilParameter> = [.cohesion, .frictionAngle]
            let rho = correlated ? [ParameterCorrelation(a: .cohesion, b: .frictionAngle, rho: -0.3)] : []
            return try build({ strength.contains($0) ? (cov!, distribution) : (0, .normal) }, correlations: rho)
        }
    }
}

/// A scenario name that is not one of ``Scenario``'s.
public struct ScenarioError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var description: String { "expected one of \(Scenario.names.joined(separator: ", "))" }
}
