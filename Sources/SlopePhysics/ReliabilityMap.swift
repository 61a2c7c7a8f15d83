import Foundation
import GeoRaster
import Randomness
import Reliability
import Terrain

/// Per-cell outcome codes of ``ReliabilityMap`` (the `status` layer).
public enum CellStatus: UInt8, Sendable {
    /// FORM did not converge: β and POF are nodata there.
    case notConverged = 0
    /// FORM converged; or, with every COV 0 (no random variable), the factor of safety at the means gave
    /// POF 0 or 1 (β is nodata there: ±∞).
    case converged = 1
    /// No wetting front yet (z_w = 0) or a flat cell (β < 0.01°): stable by definition, POF = 0.
    case stableByDefinition = 2
    case nodata = 255
}

/// The random parameters of every cell: eight marginals in ``InfiniteSlopeLimitState`` order,
/// the soil depth's built per cell around the cell's mean depth.
public struct CellUncertainty: Sendable {
    /// Marginals of c′, φ′, n, S_f, S_o, γ_sat, k_s; index 7 (soil depth) is replaced per cell.
    public var marginals: [Marginal]
    /// The soil-depth marginal for a cell whose mean depth is `h` m.
    public var soilDepth: @Sendable (Double) -> Marginal
    /// Normal-space correlation of the random variables (in their order).
    public var correlation: CorrelationMatrix

    public init(marginals: [Marginal], soilDepth: @escaping @Sendable (Double) -> Marginal, correlation: CorrelationMatrix) {
        self.marginals = marginals
        self.soilDepth = soilDepth
        self.correlation = correlation
    }

    public func problem(soilDepthMeters h: Double, limitState: InfiniteSlopeLimitState) throws -> ReliabilityProblem<InfiniteSlopeLimitState> {
        var m = marginals
        m[7] = soilDepth(h)
        return try ReliabilityProblem(marginals: m, correlation: correlation, limitState: limitState)
    }
}

/// FOS at the means, FORM β and POF, iterations, status and design point of every cell.
public struct ReliabilityMap: Sendable {
    public var fos: Grid<Float>
    public var beta: Grid<Float>
    public var pof: Grid<Float>
    public var iterations: Grid<UInt8>
    public var status: Grid<UInt8>
    /// The design point, one grid per parameter (``InfiniteSlopeLimitState/parameterNames``).
    public var designPoint: [Grid<Float>]
    /// With a sampling method (``MapSampling``): FORM's own POF (`pof` is then the sampling estimate),
    /// the estimate's standard error, and the samples each cell took (nil with FORM).
    public var pofForm: Grid<Float>?
    public var pofStandardError: Grid<Float>?
    public var samples: [Int32]?
    public var converged = 0
    public var notConverged = 0
    public var stableByDefinition = 0
    /// Cells solved by the iHLRF fallback.
    public var lineSearchCells = 0
    /// Cells whose active-set FORM ended in a limit cycle with β settled to 1e-4 (relative).
    public var settledCells = 0

    /// Flat cells below this slope are stable by definition.
    public static let flatSlopeDegrees: Float = 0.01

    /// How `pof` is estimated beyond FORM (issue G9): importance sampling around each cell's design
    /// point, or crude Monte Carlo, to `stop`; cell c draws from its own stream of `seed` (the seed
    /// mixed with c), so the map does not depend on the number of threads.
    public struct MapSampling: Sendable {
        public var method: ReliabilityMethod
        public var stop: SamplingStop
        public var seed: UInt64
        public init(method: ReliabilityMethod, stop: SamplingStop, seed: UInt64) {
            self.method = method; self.stop = stop; self.seed = seed
        }
    }

    /// Runs FORM on every valid cell. The supply series comes from PRL-STIM at the mean parameters;
    /// the cell's own parameters are random (METHODS.md A3, "coupling choice").
    public static func compute(slopeDegrees: Grid<Float>, soilDepthMeters: Grid<Float>, storm: PRLSTIMResult,
                               uncertainty: CellUncertainty, profile: PressureProfile,
                               options: FORMOptions = FORMOptions()) throws -> ReliabilityMap {
        try compute(slopeDegrees: slopeDegrees, soilDepthMeters: soilDepthMeters, storm: storm, uncertainties: [uncertainty],
                    zoneOfCell: nil, profile: profile, options: options)
    }

    /// The same with soil zones: cell c's parameters are `uncertainties[zoneOfCell[c]]` (without
    /// `zoneOfCell`, `uncertainties[0]` everywhere).
    public static func compute(slopeDegrees: Grid<Float>, soilDepthMeters: Grid<Float>, storm: PRLSTIMResult,
                               uncertainties: [CellUncertainty], zoneOfCell: [UInt16]?, profile: PressureProfile,
                               options: FORMOptions = FORMOptions(), sampling: MapSampling? = nil) throws -> ReliabilityMap {
        let n = slopeDegrees.count
        let sampled = sampling.map { $0.method != .form } ?? false
        var pofForm = sampled ? [Float](repeating: terrainNodata, count: n) : []
        var pofSE = pofForm
        var samples = sampled ? [Int32](repeating: 0, count: n) : []
        let steps = storm.stepSeconds.count
        var fos = [Float](repeating: terrainNodata, count: n), beta = fos, pof = fos
        var iterations = [UInt8](repeating: 255, count: n)
        var status = [UInt8](repeating: CellStatus.nodata.rawValue, count: n)
        var design = [Float](repeating: terrainNodata, count: n * 8)
        var lineSearch = [UInt8](repeating: 0, count: n)
        // Validate the scenario once (a bad correlation matrix fails here, not per cell); cells reuse it.
        let templates = try uncertainties.map {
            try $0.problem(soilDepthMeters: 1, limitState: InfiniteSlopeLimitState(
                slopeRadians: 0.5, profile: profile, wettingFront: .fixed(meters: 1)))
        }
        fos.withSharedBuffer { fosOut in
            beta.withSharedBuffer { betaOut in
                pof.withSharedBuffer { pofOut in
                    iterations.withSharedBuffer { iterOut in
                        status.withSharedBuffer { statusOut in
                            design.withSharedBuffer { designOut in
                              lineSearch.withSharedBuffer { lineSearchOut in
                               pofForm.withSharedBuffer { pofFormOut in
                                pofSE.withSharedBuffer { seOut in
                                 samples.withSharedBuffer { samplesOut in
                                parallelChunks(n, minimumChunk: 256, chunksPerCore: 32) { range in
                                    // One infiltration table per chunk, rebuilt only when a cell's supply series
                                    // differs from the previous cell's (without run-on, every cell's is the rain).
                                    var rates = [Double](repeating: 0, count: steps)
                                    var table = InfiltrationTable(metersPerSecond: rates, seconds: storm.stepSeconds)
                                    // One problem per zone and chunk too, changed in place from cell to cell.
                                    var problems = templates
                                    for c in range where slopeDegrees.isValid(at: c) && soilDepthMeters.isValid(at: c) {
                                        let zone = zoneOfCell.map { Int($0[c]) } ?? 0
                                        let slope = slopeDegrees.values[c]
                                        let depth = Double(soilDepthMeters.values[c])
                                        if storm.wettingFrontMeters[c] <= 0 || slope < flatSlopeDegrees {
                                            statusOut[c] = CellStatus.stableByDefinition.rawValue
                                            pofOut[c] = 0
                                            continue
                                        }
                                        var same = true
                                        for k in 0..<steps {
                                            let r = Double(storm.supplyMetersPerSecond[k * n + c])
                                            if r != rates[k] { rates[k] = r; same = false }
                                        }
                                        if !same {
                                            // Release the old table first (every zone's problem holds it).
                                            for z in problems.indices { problems[z].limitState = templates[z].limitState }
                                            table.rebuild(metersPerSecond: rates, seconds: storm.stepSeconds)
                                        }
                                        problems[zone].limitState = InfiniteSlopeLimitState(
                                            slope: SlopeTrigonometry(Double(slope) * .pi / 180), profile: profile,
                                            infiltration: table)
                                        problems[zone].replaceMarginal(at: 7, with: uncertainties[zone].soilDepth(depth))
                                        let r = FORM.solve(problems[zone], options: options)
                                        fosOut[c] = Float(r.gAtMean + 1)  // g = FOS − 1
                                        iterOut[c] = UInt8(min(r.iterations, 254))
                                        if r.method == .deterministic {
                                            // Every COV 0: no random variable, so the factor of safety at the means
                                            // decides (POF 1 where FS < 1, else 0); β (±∞) stays nodata.
                                            statusOut[c] = CellStatus.converged.rawValue
                                            pofOut[c] = Float(r.probabilityOfFailure)
                                            continue
                                        }
                                        guard r.converged, r.beta.isFinite else {
                                            statusOut[c] = CellStatus.notConverged.rawValue
                                            continue
                                        }
                                        statusOut[c] = CellStatus.converged.rawValue
                                        betaOut[c] = Float(r.beta)
                                        pofOut[c] = Float(r.probabilityOfFailure)
                                        for i in 0..<8 { designOut[i * n + c] = Float(r.designPoint[i]) }
                                        if r.method == .iHLRF { lineSearchOut[c] = 1 }
                                        if r.method == .activeSetSettled { lineSearchOut[c] = 2 }
                                        if sampled, let sampling {
                                            var g = SeededGenerator(seed: sampling.seed ^ (UInt64(c) &* 0x9E37_79B9_7F4A_7C15))
                                            let e = sampling.method == .monteCarlo
                                                ? Sampling.monteCarlo(problems[zone], stop: sampling.stop, generator: &g)
                                                : Sampling.importanceSampling(problems[zone], centers: [r.designPointU],
                                                                              stop: sampling.stop, generator: &g)
                                            pofFormOut[c] = pofOut[c]
                                            pofOut[c] = Float(e.probability)
                                            seOut[c] = Float(e.standardError)
                                            samplesOut[c] = Int32(e.samples)
                                        }
                                    }
                                }
                                 }
                                }
                               }
                              }
                            }
                        }
                    }
                }
            }
        }
        func grid(_ values: [Float]) -> Grid<Float> { Grid(like: slopeDegrees, nodata: terrainNodata, values: values) }
        var map = ReliabilityMap(
            fos: grid(fos), beta: grid(beta), pof: grid(pof),
            iterations: Grid(like: slopeDegrees, nodata: 255, values: iterations),
            status: Grid(like: slopeDegrees, nodata: 255, values: status),
            designPoint: (0..<8).map { grid(Array(design[($0 * n)..<($0 * n + n)])) })
        if sampled {
            map.pofForm = grid(pofForm)
            map.pofStandardError = grid(pofSE)
            map.samples = samples
        }
        for s in status {
            switch CellStatus(rawValue: s) {
            case .converged: map.converged += 1
            case .notConverged: map.notConverged += 1
            case .stableByDefinition: map.stableByDefinition += 1
            default: break
            }
        }
        map.lineSearchCells = lineSearch.filter { $0 == 1 }.count
        map.settledCells = lineSearch.filter { $0 == 2 }.count
        return map
    }
}
