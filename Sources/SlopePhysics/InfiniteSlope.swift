import Foundation
import Reliability

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
        let sinB = sin(beta), cosB = cos(beta), tanB = tan(beta)
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
    @inline(__always)
    public static func wettingFront<T: ReliabilityScalar>(infiltrationMeters: T, porosity n: T, finalSaturation sf: T,
                                                          initialSaturation so: T, soilDepthMeters hs: T,
                                                          slopeRadians beta: Double) -> T {
        let depth = infiltrationMeters / (n * (sf - so) * cos(beta))
        return T.minimum(depth, hs)
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

/// The limit state g = FOS − 1 of one cell, with the eight parameters of METHODS.md A3 in this order:
/// c′ (kPa), φ′ (°), n, S_f, S_o, γ_sat (kN/m³), k_s (m/s), h_s (m).
public struct InfiniteSlopeLimitState: LimitState {
    public static let parameterNames = ["cohesion_kPa", "friction_angle_deg", "porosity", "final_saturation",
                                        "initial_saturation", "unit_weight_kN_m3", "ks_m_per_s", "soil_depth_m"]

    public var slopeRadians: Double
    public var profile: PressureProfile
    public var wettingFront: WettingFrontSource

    public init(slopeRadians: Double, profile: PressureProfile, wettingFront: WettingFrontSource) {
        self.slopeRadians = slopeRadians
        self.profile = profile
        self.wettingFront = wettingFront
    }

    /// The wetting-front depth for parameters x.
    @inline(__always) public func wettingFrontDepth<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        switch wettingFront {
        case let .fixed(meters):
            return T(meters)
        case let .supply(rates, seconds):
            var infiltrated = T(0)
            for (rate, dt) in zip(rates, seconds) {
                infiltrated = infiltrated + T.minimum(T(rate), x[6]) * dt
            }
            return InfiniteSlope.wettingFront(infiltrationMeters: infiltrated, porosity: x[2], finalSaturation: x[3],
                                              initialSaturation: x[4], soilDepthMeters: x[7], slopeRadians: slopeRadians)
        }
    }

    public func factorOfSafety<T: ReliabilityScalar>(_ x: Vector8<T>) -> T {
        InfiniteSlope.factorOfSafety(cohesionKPa: x[0], frictionAngleDegrees: x[1], unitWeightKNPerCubicMeter: x[5],
                                     wettingFrontMeters: wettingFrontDepth(x), soilDepthMeters: x[7],
                                     slopeRadians: slopeRadians, profile: profile)
    }

    public func callAsFunction<T: ReliabilityScalar>(_ x: Vector8<T>) -> T { factorOfSafety(x) - 1 }
}
