import Foundation
import StudyCore
import Randomness
import Reliability
import SlopePhysics

/// Single-cell PRL-STIM reliability cases in the format of `../shared/reference/reference_values.json`
/// → `infinite_slope_form.cases` (see `../shared/reference/README.md`).
public struct FormCase: Sendable {
    public struct Variable: Sendable {
        public var mean: Double
        public var cov: Double
        public var distribution: ParameterDistribution
    }

    public var name: String
    public var slopeDegrees: Double
    public var profile: PressureProfile
    /// In ``InfiniteSlopeLimitState/parameterNames`` order.
    public var variables: [Variable]
    public var wettingFrontMeters: Double?
    public var rainfall: (intensityMillimetersPerHour: Double, durationHours: Double)?
    public var correlations: [(a: Int, b: Int, rho: Double)]
    /// How `correlations` are read (the reference file's are on the equivalent normals).
    public var correlationConvention: CorrelationConvention = .equivalentNormal

    /// The marginal of a variable: cov 0 is fixed; truncated normals are cut at 0.
    static func marginal(_ v: Variable) -> Marginal {
        ParameterSpec.marginal(mean: v.mean, cov: v.cov, distribution: v.distribution)
    }

    /// The FORM problem of this case (correlations on the equivalent normals).
    public func problem() throws -> ReliabilityProblem<InfiniteSlopeLimitState> {
        let marginals = variables.map(Self.marginal)
        let random = marginals.indices.filter { marginals[$0].isRandom }
        var rows = (0..<random.count).map { i in (0..<random.count).map { $0 == i ? 1.0 : 0.0 } }
        for c in correlations {
            guard let i = random.firstIndex(of: c.a), let j = random.firstIndex(of: c.b) else {
                throw FormCaseError(name: name, problem: "a correlation names a variable with cov 0; expected random variables")
            }
            rows[i][j] = c.rho
            rows[j][i] = c.rho
        }
        let source: WettingFrontSource
        if let z = wettingFrontMeters {
            source = .fixed(meters: z)
        } else if let r = rainfall {
            source = .supply(metersPerSecond: [r.intensityMillimetersPerHour / 1000 / 3600], seconds: [r.durationHours * 3600])
        } else {
            throw FormCaseError(name: name, problem: "neither wetting_front_depth_m nor rainfall given")
        }
        let limitState = InfiniteSlopeLimitState(slopeRadians: slopeDegrees * .pi / 180, profile: profile, wettingFront: source)
        var correlation = try CorrelationMatrix(rows)
        if correlationConvention == .natafCorrected && !correlation.isIdentity {
            correlation = try NatafCorrection.normalSpaceCorrelation(correlation, marginals: random.map { marginals[$0] })
        }
        return try ReliabilityProblem(marginals: marginals, correlation: correlation, limitState: limitState)
    }

    /// Reads the cases from a file holding either the whole reference document or a bare array of cases.
    public static func read(_ path: String) throws -> [FormCase] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormCaseError(name: path, problem: "file not found or unreadable")
        }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw FormCaseError(name: path, problem: "not valid JSON")
        }
        let list: [[String: Any]]
        if let array = json as? [[String: Any]] {
            list = array
        } else if let object = json as? [String: Any],
                  let cases = (object["infinite_slope_form"] as? [String: Any])?["cases"] as? [[String: Any]] ?? object["cases"] as? [[String: Any]] {
            list = cases
        } else {
            throw FormCaseError(name: path, problem: "expected an array of cases or {\"infinite_slope_form\": {\"cases\": […]}}")
        }
        guard !list.isEmpty else { throw FormCaseError(name: path, problem: "no cases; expected at least one") }
        return try list.enumerated().map { index, object in
            do { return try parse(object, index: index) } catch let error as FormCaseError {
                throw FormCaseError(name: "\(path): \(error.name)", problem: error.problem)
            }
        }
    }

    static func parse(_ o: [String: Any], index: Int) throws -> FormCase {
        let name = o["name"] as? String ?? "case \(index + 1)"
        func fail(_ problem: String) -> FormCaseError { FormCaseError(name: name, problem: problem) }
        guard let slope = o["slope_deg"] as? Double, slope > 0, slope < 90 else { throw fail("slope_deg: expected 0 < β < 90") }
        guard let p = o["profile"] as? String, let profile = PressureProfile(rawValue: p) else {
            throw fail("profile: expected \"a\", \"b\" or \"c\"")
        }
        guard let vars = o["variables"] as? [String: Any] else { throw fail("variables: missing") }
        let unknown = Set(vars.keys).subtracting(InfiniteSlopeLimitState.parameterNames)
        guard unknown.isEmpty else { throw fail("variables: unknown \(unknown.sorted()); expected \(InfiniteSlopeLimitState.parameterNames)") }
        let variables = try InfiniteSlopeLimitState.parameterNames.map { key -> Variable in
            guard let v = vars[key] as? [String: Any], let mean = v["mean"] as? Double, let cov = v["cov"] as? Double, cov >= 0 else {
                throw fail("variables.\(key): expected {mean, cov ≥ 0, distribution}")
            }
            let word = v["distribution"] as? String ?? "normal"
            guard let d = ParameterDistribution(rawValue: word) else { throw fail("variables.\(key).distribution: '\(word)'") }
            return Variable(mean: mean, cov: cov, distribution: d)
        }
        var rainfall: (Double, Double)?
        if let r = o["rainfall"] as? [String: Any] {
            guard let i = r["intensity_mm_per_h"] as? Double, let h = r["duration_h"] as? Double, i >= 0, h > 0 else {
                throw fail("rainfall: expected {intensity_mm_per_h ≥ 0, duration_h > 0}")
            }
            rainfall = (i, h)
        }
        let correlations = try (o["correlations"] as? [[String: Any]] ?? []).map { c -> (Int, Int, Double) in
            guard let a = c["a"] as? String, let b = c["b"] as? String, let rho = c["rho"] as? Double,
                  let i = InfiniteSlopeLimitState.parameterNames.firstIndex(of: a),
                  let j = InfiniteSlopeLimitState.parameterNames.firstIndex(of: b), i != j, abs(rho) <= 1 else {
                throw fail("correlations: expected {a, b, rho} with two different parameter names and |rho| ≤ 1")
            }
            return (i, j, rho)
        }
        var convention = CorrelationConvention.equivalentNormal
        if let word = o["correlation_convention"] as? String {
            guard let c = CorrelationConvention(rawValue: word) else {
                throw fail("correlation_convention: '\(word)'; expected equivalent-normal or nataf-corrected")
            }
            convention = c
        }
        return FormCase(name: name, slopeDegrees: slope, profile: profile, variables: variables,
                        wettingFrontMeters: o["wetting_front_depth_m"] as? Double, rainfall: rainfall,
                        correlations: correlations, correlationConvention: convention)
    }
}

public struct FormCaseError: Error, CustomStringConvertible, Sendable {
    public let name: String
    public let problem: String
    public var description: String { "\(name): \(problem)" }
}

/// What `landslide form` prints for one case.
public struct FormCaseResult: Codable, Sendable {
    public var name: String
    public var fosAtMean: Double
    public var wettingFrontAtMeanM: Double
    public var beta: Double
    public var pof: Double
    public var iterations: Int
    public var converged: Bool
    public var method: String
    /// The design point of the random variables, by name.
    public var designPoint: [String: Double]
    public var importanceSampling: SamplingEstimate?
    /// The method behind `pof` and `beta` (`--reliability`); FORM's own values stay in `pofForm` and
    /// `betaForm`, and a sampling method's standard error and sample count in `pofSe` and `samples`.
    public var reliability: String = ReliabilityMethod.form.rawValue
    public var pofForm: Double = .nan
    public var betaForm: Double = .nan
    public var pofSe: Double?
    public var samples: Int?

    /// The case solved by FORM, then, for a sampling `method`, its probability re-estimated to
    /// `stop.covTarget`; `pof` and `beta` (= −Φ⁻¹(pof)) are then the sampling method's.
    public static func run(_ c: FormCase, method: ReliabilityMethod, stop: SamplingStop, importanceSamples: Int?,
                           seed: UInt64) throws -> FormCaseResult {
        var result = try run(c, importanceSamples: importanceSamples, seed: seed)
        result.reliability = method.rawValue
        result.pofForm = result.pof
        result.betaForm = result.beta
        guard method != .form else { return result }
        let p = try c.problem()
        var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        let estimate: SamplingEstimate
        switch method {
        case .importanceSampling:
            estimate = Sampling.importanceSampling(p, centers: [FORM.solve(p).designPointU], stop: stop, generator: &rng)
        case .monteCarlo:
            estimate = Sampling.monteCarlo(p, stop: stop, generator: &rng)
        case .form:
            return result
        }
        result.pof = estimate.probability
        result.beta = -StandardNormal.quantile(estimate.probability)
        result.pofSe = estimate.standardError
        result.samples = estimate.samples
        return result
    }

    public static func run(_ c: FormCase, importanceSamples: Int?, seed: UInt64) throws -> FormCaseResult {
        let p = try c.problem()
        let r = FORM.solve(p)
        var means = Vector8<Double>(repeating: 0)
        for i in 0..<8 { means[i] = c.variables[i].mean }
        var design: [String: Double] = [:]
        for i in p.randomIndices { design[InfiniteSlopeLimitState.parameterNames[i]] = r.designPoint[i] }
        var estimate: SamplingEstimate?
        if let n = importanceSamples, n > 0 {
            var rng = SeededGenerator(seed: seed)
            estimate = Sampling.importanceSampling(p, designPointU: r.designPointU, samples: n, generator: &rng)
        }
        return FormCaseResult(name: c.name, fosAtMean: p.limitState.factorOfSafety(means),
                              wettingFrontAtMeanM: p.limitState.wettingFrontDepth(means), beta: r.beta,
                              pof: r.probabilityOfFailure, iterations: r.iterations, converged: r.converged,
                              method: r.method.description, designPoint: design, importanceSampling: estimate,
                              pofForm: r.probabilityOfFailure, betaForm: r.beta)
    }
}
