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
        Terms(cohesionKPa: c, frictionAngleDegrees: phi, unitWeightKNPerCubicMeter: gamma, soilDepthMeters: hs,
              slope: slope, profile: profile).factorOfSafety(wettingFrontMeters: zw)
    }

    /// The parts of FOS that do not depend on the wetting front, so that FOS at two fronts (below and at
    /// the soil-depth cap) costs one tan φ′.
    struct Terms<T: ReliabilityScalar> {
        let c: T, gamma: T, hs: T, tanPhi: T, slope: SlopeTrigonometry, profile: PressureProfile

        @inline(__always) init(cohesionKPa c: T, frictionAngleDegrees phi: T, unitWeightKNPerCubicMeter gamma: T,
                               soilDepthMeters hs: T, slope: SlopeTrigonometry, profile: PressureProfile) {
            self.c = c
            self.gamma = gamma
            self.hs = hs
            tanPhi = T.tan(phi * (Double.pi / 180))
            self.slope = slope
            self.profile = profile
        }

        @inline(__always) func factorOfSafety(wettingFrontMeters zw: T) -> T {
            let sinB = slope.sin, cosB = slope.cos, tanB = slope.tan
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
///
/// One buffer: the n sorted rates, then P(0…n), then D(0…n). A map reuses one table per thread and
/// rebuilds it in place only when a cell's supply series differs from the previous cell's.
public struct InfiltrationTable: Sendable {
    public private(set) var steps: Int
    @usableFromInline var storage: [Double]

    /// The table of a supply series (m/s) over steps of the given durations (s).
    public init(metersPerSecond rates: [Double], seconds: [Double]) {
        steps = 0
        storage = []
        rebuild(metersPerSecond: rates, seconds: seconds)
    }

    /// The same for another series, in place (no allocation when the buffer is not shared and the
    /// number of steps has not grown).
    public mutating func rebuild(metersPerSecond rates: [Double], seconds: [Double]) {
        precondition(rates.count == seconds.count, "one duration per supply rate")
        let n = rates.count
        steps = n
        let size = 3 * n + 2
        if storage.count != size { storage = [Double](repeating: 0, count: size) }
        storage.withUnsafeMutableBufferPointer { buffer in
            // Sort (rate, duration) pairs by rate: rates into [0, n), durations into the D block for now.
            let durations = buffer.baseAddress! + (2 * n + 1)
            for i in 0..<n {
                var j = i
                let r = rates[i], t = seconds[i]
                while j > 0 && buffer[j - 1] > r {
                    buffer[j] = buffer[j - 1]
                    durations[j] = durations[j - 1]
                    j -= 1
                }
                buffer[j] = r
                durations[j] = t
            }
            let prefix = buffer.baseAddress! + n
            var total = 0.0
            for i in 0..<n { total += durations[i] }
            // P(j + 1) = P(j) + s_j Δt_j and D(j) = total − Σ_{i<j} Δt_i, each Δt_j read before D(j) replaces it.
            prefix[0] = 0
            var above = total
            for j in 0..<n {
                let t = durations[j]
                prefix[j + 1] = prefix[j] + buffer[j] * t
                durations[j] = above
                above -= t
            }
            durations[n] = above
        }
    }

    /// Σ min(supply_t, k)·Δt (m).
    @inline(__always) func infiltrated<T: ReliabilityScalar>(_ k: T) -> T {
        storage.withUnsafeBufferPointer { b in
            let n = steps
            var j = 0
            while j < n && b[j] <= k.value { j += 1 }
            return k * b[2 * n + 1 + j] + b[n + j]
        }
    }
}

/// The limit state g = FOS − 1 of one cell, with the eight parameters of METHODS.md A3 in this order:
/// c′ (kPa), φ′ (°), n, S_f, S_o, γ_sat (kN/m³), k_s (m/s), h_s (m).
///
/// The wetting front is capped at the soil depth, z_w = min(z, h_s). For every profile FOS has the form
/// A/(γ z_w sinβ cosβ) + B with A = c′ (profiles b, c) or c′ + γ_w cos²β h_s tanφ′ (profile a), so
/// wherever c′ ≥ 0 and φ′ ≥ 0 FOS falls as the front deepens and FOS(min(z, h_s)) =
/// max(FOS(z), FOS(h_s)): g is the larger of two smooth pieces (``PiecewiseLimitState``), the front
/// below the cap and the front at it. The limit state is *defined* as that maximum everywhere. This is
/// the model itself in the physical region; in the non-physical tails of normal marginals (c′ < 0 or
/// φ′ < 0, beyond 3.3 SD at COV 0.3) it extends g continuously without the kink turning over, where
/// min(z, h_s) would make FOS → −∞ as h_s → 0 and FORM chase that limit. (The k_s kink inside the
/// infiltration sum stays; the importance-sampling check reports it.)
public struct InfiniteSlopeLimitState: PiecewiseLimitState {
    public static let parameterNames = ["cohesion_kPa", "friction_angle_deg", "porosity", "final_saturation",
                                        "initial_saturation", "unit_weight_kN_m3", "ks_m_per_s", "soil_depth_m"]

    /// Where the front comes from: a given depth, or Σ min(supply, k_s)·Δt through the table.
    enum Front: Sendable {
        case fixed(Double)
        case infiltration(InfiltrationTable)
    }

    public var slopeRadians: Double { slope.radians }
    public let slope: SlopeTrigonometry
    public var profile: PressureProfile
    let front: Front

    public init(slopeRadians: Double, profile: PressureProfile, wettingFront: WettingFrontSource) {
        slope = SlopeTrigonometry(slopeRadians)
        self.profile = profile
        switch wettingFront {
        case let .fixed(meters): front = .fixed(meters)
        case let .supply(rates, seconds): front = .infiltration(InfiltrationTable(metersPerSecond: rates, seconds: seconds))
        }
    }

    /// A rainfall-driven cell from its infiltration table (for maps, which reuse tables).
    public init(slope: SlopeTrigonometry, profile: PressureProfile, infiltration: InfiltrationTable) {
        self.slope = slope
        self.profile = profile
        front = .infiltration(infiltration)
    }

    /// The front below the cap, z: a fixed depth, or I/(n(S_f − S_o) cos β) with I = Σ min(supply, k_s)·Δt.
    /// No moisture deficit makes the front "infinitely" deep (10⁶ h_s), so the capped piece applies.
    @inline(__always) func uncappedFront<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        switch front {
        case let .fixed(meters):
            return T(meters)
        case let .infiltration(table):
            let ks = x[6].value > 0 ? x[6] : T(0)  // a negative conductivity (normal tails) infiltrates nothing
            let deficit = x[2] * (x[3] - x[4])
            guard deficit.value > 0 else { return x[7] * 1e6 }
            return table.infiltrated(ks) / (deficit * slope.cos)
        }
    }

    /// The wetting-front depth for parameters x: a fixed depth as given; a rainfall-driven one capped at h_s.
    @inline(__always) public func wettingFrontDepth<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        if case let .fixed(meters) = front { return T(meters) }
        return T.minimum(uncappedFront(x), x[7])
    }

    /// FOS − 1 with the front below the cap (at z) and at it (at h_s), sharing tan φ′ and the terms that
    /// do not depend on the front. A fixed front is never capped: both pieces are g at that depth.
    public func pieces<T: ReliabilityScalar>(_ x: Vector8<T>) -> (first: T, second: T) {
        let hs = x[7]
        let z = uncappedFront(x)
        let terms = InfiniteSlope.Terms(cohesionKPa: x[0], frictionAngleDegrees: x[1], unitWeightKNPerCubicMeter: x[5],
                                        soilDepthMeters: hs, slope: slope, profile: profile)
        let below = terms.factorOfSafety(wettingFrontMeters: z) - 1
        if case .fixed = front { return (below, below) }
        return (below, terms.factorOfSafety(wettingFrontMeters: hs) - 1)
    }

    /// FOS: at the capped front, as the larger of the two pieces (see the type's documentation).
    public func factorOfSafety<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        let (below, at) = pieces(x)
        return T.maximum(below, at) + 1
    }

    public func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        let (below, at) = pieces(x)
        return T.maximum(below, at)
    }
}
