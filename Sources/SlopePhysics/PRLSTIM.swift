import Foundation
import GeoRaster
import Terrain

/// Soil hydraulic parameters of one soil class (at their means).
public struct SoilHydraulics: Sendable {
    public var porosity: Double
    public var finalSaturation: Double
    public var initialSaturation: Double
    public var saturatedConductivityMetersPerSecond: Double

    public init(porosity: Double, finalSaturation: Double, initialSaturation: Double,
                saturatedConductivityMetersPerSecond: Double) {
        self.porosity = porosity
        self.finalSaturation = finalSaturation
        self.initialSaturation = initialSaturation
        self.saturatedConductivityMetersPerSecond = saturatedConductivityMetersPerSecond
    }
}

/// The state of the basin after a storm.
public struct PRLSTIMResult: Sendable {
    /// Wetting-front depth z_w (m), per cell (0 where dry; nodata cells 0).
    public var wettingFrontMeters: [Double]
    /// Water infiltrated, Σ I·Δt (m).
    public var infiltrationMeters: [Double]
    /// Water passed downslope, Σ R_d·Δt (m over the cell).
    public var runoffMeters: [Double]
    /// Supply (rain + run-on, m/s) of every cell at every step: `supply[step * cells + cell]`,
    /// for the FORM coupling (METHODS.md A3).
    public var supplyMetersPerSecond: [Float]
    /// Step durations (s).
    public var stepSeconds: [Double]
    /// Water balance over the valid cells, in m·cell (depth summed over cells).
    public var rainIn: Double
    public var infiltrated: Double
    public var outflowAtOutlets: Double

    /// Relative water-balance error |rain − infiltration − outflow| / rain.
    public var balanceError: Double { rainIn > 0 ? abs(rainIn - infiltrated - outflowAtOutlets) / rainIn : 0 }
}

/// PRL-STIM: transient rainfall infiltration with runoff routing (METHODS.md A2; Cui et al. 2024).
///
/// At each step and cell, in D8 order from ridge to outlet:
///
///     supply = P + R_u          (rain plus run-on from upslope neighbours)
///     I      = min(supply, k_s) (infiltration, bounded by saturated conductivity)
///     R_d    = supply − I       (excess, passed to the D8 receiver; lost at outlets)
///     z_w    = min(z_w + I·Δt / ((θ_s − θ_o) cos β), h_s),  θ = n·S
///
/// Cells have equal area, so rates (m/s) pass between them unchanged. Once z_w reaches h_s the cell
/// keeps infiltrating at min(supply, k_s) (the column drains; water is conserved as infiltration),
/// as the published scheme states. Cost O(cells · steps); the topological order is reused each step.
public enum PRLSTIM {
    public static func run(routing: FlowRouting, slopeDegrees: Grid<Float>, soilDepthMeters: Grid<Float>,
                           soil: SoilHydraulics, steps: [(seconds: Double, metersPerSecond: Double)]) -> PRLSTIMResult {
        run(routing: routing, slopeDegrees: slopeDegrees, soilDepthMeters: soilDepthMeters, soils: [soil], zoneOfCell: nil,
            steps: steps)
    }

    /// The same with soil zones: cell c's soil is `soils[zoneOfCell[c]]` (TRIGRS's property zones); without
    /// `zoneOfCell`, `soils[0]` everywhere. Run-on crosses zone boundaries as it comes.
    public static func run(routing: FlowRouting, slopeDegrees: Grid<Float>, soilDepthMeters: Grid<Float>,
                           soils: [SoilHydraulics], zoneOfCell: [UInt16]?,
                           steps: [(seconds: Double, metersPerSecond: Double)]) -> PRLSTIMResult {
        let n = slopeDegrees.count
        let directions = routing.directions
        let deficits = soils.map { $0.porosity * ($0.finalSaturation - $0.initialSaturation) }
        let conductivities = soils.map(\.saturatedConductivityMetersPerSecond)
        var zw = [Double](repeating: 0, count: n)
        var infiltration = zw, runoff = zw
        var supplyRecord = [Float](repeating: 0, count: n * steps.count)
        var runOn = [Double](repeating: 0, count: n)
        let cosBeta = slopeDegrees.values.map { cos(Double($0) * .pi / 180) }
        var rainIn = 0.0, infiltrated = 0.0, outflow = 0.0
        for (k, step) in steps.enumerated() {
            for i in 0..<n { runOn[i] = 0 }
            let p = step.metersPerSecond, dt = step.seconds
            for index in routing.order {
                let c = Int(index)
                let zone = zoneOfCell.map { Int($0[c]) } ?? 0
                let ks = conductivities[zone], deficit = deficits[zone]
                let supply = p + runOn[c]
                supplyRecord[k * n + c] = Float(supply)
                let infiltrationRate = min(supply, ks)
                let excess = supply - infiltrationRate
                if let r = directions.receiver(of: c) { runOn[r] += excess } else { outflow += excess * dt }
                rainIn += p * dt
                infiltrated += infiltrationRate * dt
                infiltration[c] += infiltrationRate * dt
                runoff[c] += excess * dt
                zw[c] = min(zw[c] + infiltrationRate * dt / (deficit * cosBeta[c]), Double(soilDepthMeters.values[c]))
            }
        }
        return PRLSTIMResult(wettingFrontMeters: zw, infiltrationMeters: infiltration, runoffMeters: runoff,
                             supplyMetersPerSecond: supplyRecord, stepSeconds: steps.map(\.seconds), rainIn: rainIn,
                             infiltrated: infiltrated, outflowAtOutlets: outflow)
    }
}

/// How the storm met the soil (issue G2's degeneracy report): where infiltration was limited by the
/// supply (I = supply ≤ k_s at every step: no runoff, the front depends on rain, slope and soil depth
/// only) and where by the soil's capacity (supply > k_s at some step: runoff is generated and routed).
public struct InfiltrationRegime: Codable, Sendable, Equatable {
    /// Cells counted (valid and, when a mask is given, inside it).
    public var cells: Int
    public var supplyLimitedCells: Int
    public var capacityLimitedCells: Int
    /// The rain's peak intensity and k_s (mm/h): when the peak is below k_s no cell can be capacity-limited
    /// without run-on, and there is no run-on without runoff.
    public var peakRainMillimetersPerHour: Double
    public var saturatedConductivityMillimetersPerHour: Double
    /// Water passed downslope, Σ R_d·Δt over the counted cells × cell area (m³).
    public var routedRunoffCubicMeters: Double

    public var supplyLimitedShare: Double { cells > 0 ? Double(supplyLimitedCells) / Double(cells) : 0 }
}

extension PRLSTIMResult {
    /// The infiltration regime of every valid cell (inside `mask` when given), for a soil of saturated
    /// conductivity `saturatedConductivityMetersPerSecond`, with cells of `cellAreaSquareMeters`.
    /// With `zones`, cell c's conductivity is `ks[zoneOfCell[c]]` (the reported k_s stays the first zone's).
    public func regime(saturatedConductivityMetersPerSecond baseKs: Double, rainMetersPerSecond: [Double],
                       valid: [Bool], cellAreaSquareMeters: Double,
                       zones: (zoneOfCell: [UInt16], ks: [Double])? = nil) -> InfiltrationRegime {
        let n = valid.count, steps = stepSeconds.count
        var cells = 0, capacity = 0, runoffDepth = 0.0
        for c in 0..<n where valid[c] {
            let ks = zones.map { $0.ks[Int($0.zoneOfCell[c])] } ?? baseKs
            cells += 1
            if (0..<steps).contains(where: { Double(supplyMetersPerSecond[$0 * n + c]) > ks * (1 + 1e-6) }) { capacity += 1 }
            runoffDepth += runoffMeters[c]
        }
        return InfiltrationRegime(cells: cells, supplyLimitedCells: cells - capacity, capacityLimitedCells: capacity,
                                  peakRainMillimetersPerHour: (rainMetersPerSecond.max() ?? 0) * 3.6e6,
                                  saturatedConductivityMillimetersPerHour: baseKs * 3.6e6,
                                  routedRunoffCubicMeters: runoffDepth * cellAreaSquareMeters)
    }
}
