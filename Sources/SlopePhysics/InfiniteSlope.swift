import Foundation
import Reliability

/// sin β, cos β, tan β of a slope angle β (radians).
public struct SlopeTrigonometry: Sendable {
    public let radians: Double
    public let sin: Double
    public let cos: Double
    public let tan: Double
    public init(_ radians: Double) {
        self.radians = radians
        sin = Foundation.sin(radians)
        cos = Foundation.cos(radians)
        tan = Foundation.tan(radians)
    }
}

/// Pore-water pressure at the wetting front (Rahardjo et al. 1995; METHODS.md A2).
public enum PressureProfile: String, Sendable, CaseIterable, Codable {
    /// Suction: u_w = −γ_w (H − z_w) cos²β, H = h_s.
    case a
    /// Zero: u_w = 0.
    case b
    /// Saturated: u_w = γ_w z_w cos²β.
    case c
}

/// Unit weight of water, kN/m³.
public let waterUnitWeightKNPerCubicMeter = 9.81

/// The infinite-slope stability model with the failure plane at the wetting front (χ = 1):
///
///     FOS = c′ / (γ_sat z_w sinβ cosβ) + tanφ′ / tanβ − u_w tanφ′ / (γ_sat z_w sinβ cosβ)
///
/// (METHODS.md A2). Written once for any ``ReliabilityScalar`` so that FORM differentiates it exactly.
/// Units: c′ kPa, φ′ degrees, γ kN/m³, z_w and h_s m, β radians.
public enum InfiniteSlope {
    @inline(__always)
    public static func factorOfSafety<T: ReliabilityScalar>(cohesionKPa c: T, frictionAngleDegrees phi: T,
                                                            unitWeightKNPerCubicMeter gamma: T, wettingFrontMeters zw: T,
                                                            soilDepthMeters hs: T, slopeRadians beta: Double,
                                                            profile: PressureProfile) -> T {
        factorOfSafety(cohesionKPa: c, frictionAngleDegrees: phi, unitWeightKNPerCubicMeter: gamma, wettingFrontMeters: zw,
                       soilDepthMeters: hs, slope: SlopeTrigonometry(beta), profile: profile)
    }

    /// The same with the slope's sine, cosine and tangent precomputed (they are fixed per cell).
    @inline(__always)
    public static func factorOfSafety<T: ReliabilityScalar>(cohesionKPa c: T, frictionAngleDegrees phi: T,
                                                            unitWeightKNPerCubicMeter gamma: T, wettingFrontMeters zw: T,
                                                            soilDepthMeters hs: T, slope: SlopeTrigonometry,
                                                            profile: PressureProfile) -> T {
        let sinB = slope.sin, cosB = slope.cos, tanB = slope.tan
        let tanPhi = T.tan(phi * (Double.pi / 180))
        let normal = gamma * zw * (sinB * cosB)
        let base = c / normal + tanPhi / tanB
        switch profile {
        case .b:
            return base
        case .c:
            let uw = zw * (waterUnitWeightKNPerCubicMeter * cosB * cosB)
            return base - uw * tanPhi / normal
        case .a:
            let uw = -((hs - zw) * (waterUnitWeightKNPerCubicMeter * cosB * cosB))
            return base - uw * tanPhi / normal
        }
    }

    /// Wetting-front depth after infiltrating `infiltrationMeters` of water into soil of porosity n
    /// from saturation S_o to S_f, on slope β, capped at the soil depth (METHODS.md A2):
    ///
    ///     z_w = min(I·t / ((θ_s − θ_o) cos β), h_s),  θ_s = n S_f, θ_o = n S_o.
    ///
    /// A moisture deficit n(S_f − S_o) ≤ 0 (which normal parameter distributions allow) means the soil
    /// cannot take more water: the front is at h_s at once, the limit of the formula as the deficit
    /// falls to 0⁺ (so the function stays continuous there).
    @inline(__always)
    public static func wettingFront<T: ReliabilityScalar>(infiltrationMeters: T, porosity n: T, finalSaturation sf: T,
                                                          initialSaturation so: T, soilDepthMeters hs: T,
                                                          slopeRadians beta: Double) -> T {
        wettingFront(infiltrationMeters: infiltrationMeters, porosity: n, finalSaturation: sf, initialSaturation: so,
                     soilDepthMeters: hs, cosSlope: cos(beta))
    }

    @inline(__always)
    static func wettingFront<T: ReliabilityScalar>(infiltrationMeters: T, porosity n: T, finalSaturation sf: T,
                                                   initialSaturation so: T, soilDepthMeters hs: T, cosSlope: Double) -> T {
        let deficit = n * (sf - so)
        guard deficit.value > 0 else { return hs }
        return T.minimum(infiltrationMeters / (deficit * cosSlope), hs)
    }
}

/// Where a cell's wetting front comes from.
public enum WettingFrontSource: Sendable {
    /// A given depth (m).
    case fixed(meters: Double)
    /// Water supply per step (rain plus run-on, m/s) and step durations (s): the cell infiltrates
    /// Σ min(supply_t, k_s)·Δt_t, with k_s the (random) saturated conductivity.
    case supply(metersPerSecond: [Double], seconds: [Double])
}

/// Σ min(s_t, k)·Δt as a function of k: with the supplies sorted, it is P(j) + k·D(j), where j counts
/// the supplies ≤ k, P(j) sums their s·Δt and D(j) the durations of the others — exactly the sum of
/// minima (ties go to the supply, as `minimum` does), with derivative D(j) in k.
struct InfiltrationTable: Sendable {
    let sortedRates: [Double]
    let prefixVolume: [Double]     // P(j), j = 0…n
    let secondsAbove: [Double]     // D(j), j = 0…n

    init?(_ source: WettingFrontSource) {
        guard case let .supply(rates, seconds) = source else { return nil }
        let order = rates.indices.sorted { rates[$0] < rates[$1] }
        sortedRates = order.map { rates[$0] }
        var prefix = [0.0], total = seconds.reduce(0, +), above = [total]
        for i in order {
            prefix.append(prefix.last! + rates[i] * seconds[i])
            above.append(above.last! - seconds[i])
        }
        prefixVolume = prefix
        secondsAbove = above
    }

    @inline(__always) func infiltrated<T: ReliabilityScalar>(_ k: T) -> T {
        var j = 0
        while j < sortedRates.count && sortedRates[j] <= k.value { j += 1 }
        return k * secondsAbove[j] + prefixVolume[j]
    }
}

/// The limit state g = FOS − 1 of one cell, with the eight parameters of METHODS.md A3 in this order:
/// c′ (kPa), φ′ (°), n, S_f, S_o, γ_sat (kN/m³), k_s (m/s), h_s (m).
public struct InfiniteSlopeLimitState: PiecewiseLimitState {
    /// How the wetting front is capped at the soil depth.
    public enum Cap: Sendable {
        /// z_w = min(z, h_s): the model.
        case exact
        /// z_w = z (the piece below the cap).
        case uncapped
        /// z_w = h_s (the piece at the cap).
        case capped
    }

    public static let parameterNames = ["cohesion_kPa", "friction_angle_deg", "porosity", "final_saturation",
                                        "initial_saturation", "unit_weight_kN_m3", "ks_m_per_s", "soil_depth_m"]

    public var slopeRadians: Double { slope.radians }
    public let slope: SlopeTrigonometry
    public var profile: PressureProfile
    public var wettingFront: WettingFrontSource {
        didSet { infiltration = InfiltrationTable(wettingFront) }
    }
    public var cap: Cap = .exact
    /// The supply series in a form that gives Σ min(supply_t, k_s)·Δt in O(steps) doubles and one dual
    /// multiply-add.
    var infiltration: InfiltrationTable?

    public init(slopeRadians: Double, profile: PressureProfile, wettingFront: WettingFrontSource) {
        slope = SlopeTrigonometry(slopeRadians)
        self.profile = profile
        self.wettingFront = wettingFront
        infiltration = InfiltrationTable(wettingFront)
    }

    /// The pieces either side of the soil-depth cap. FOS decreases as z_w grows (for c′ ≥ 0, φ′ > 0, all
    /// three profiles), so FOS(min(z, h_s)) = max(FOS(z), FOS(h_s)): g is the maximum of the two pieces.
    /// (The k_s kink inside the infiltration sum stays; the importance-sampling check reports it.)
    public var pieces: [InfiniteSlopeLimitState] {
        var below = self, at = self
        below.cap = .uncapped
        at.cap = .capped
        return [below, at]
    }

    /// The wetting-front depth for parameters x.
    @inline(__always) public func wettingFrontDepth<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        switch wettingFront {
        case let .fixed(meters):
            return T(meters)
        case .supply:
            let ks = x[6].value > 0 ? x[6] : T(0)  // a negative conductivity (normal tails) infiltrates nothing
            let infiltrated = infiltration!.infiltrated(ks)
            switch cap {
            case .exact:
                return InfiniteSlope.wettingFront(infiltrationMeters: infiltrated, porosity: x[2], finalSaturation: x[3],
                                                  initialSaturation: x[4], soilDepthMeters: x[7], cosSlope: slope.cos)
            case .uncapped:
                let deficit = x[2] * (x[3] - x[4])
                // No deficit: the front is "infinitely" deep, so the capped piece is the larger g.
                guard deficit.value > 0 else { return x[7] * 1e6 }
                return infiltrated / (deficit * slope.cos)
            case .capped:
                return x[7]
            }
        }
    }

    /// Both pieces (below the cap, at the cap) sharing the infiltration and the deficit.
    public func pieceValues<T: ReliabilityScalar>(_ x: Vector8<T>) -> (T, T) {
        let hs = x[7]
        let below: T
        switch wettingFront {
        case let .fixed(meters):
            below = T(meters)
        case .supply:
            let ks = x[6].value > 0 ? x[6] : T(0)
            let deficit = x[2] * (x[3] - x[4])
            below = deficit.value > 0 ? infiltration!.infiltrated(ks) / (deficit * slope.cos) : hs * 1e6
        }
        func g(_ zw: T) -> T {
            InfiniteSlope.factorOfSafety(cohesionKPa: x[0], frictionAngleDegrees: x[1], unitWeightKNPerCubicMeter: x[5],
                                         wettingFrontMeters: zw, soilDepthMeters: hs, slope: slope, profile: profile) - 1
        }
        return (g(below), g(hs))
    }

    public func factorOfSafety<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        InfiniteSlope.factorOfSafety(cohesionKPa: x[0], frictionAngleDegrees: x[1], unitWeightKNPerCubicMeter: x[5],
                                     wettingFrontMeters: wettingFrontDepth(x), soilDepthMeters: x[7],
                                     slope: slope, profile: profile)
    }

    public func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T { factorOfSafety(x) - 1 }
}
