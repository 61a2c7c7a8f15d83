import ArgumentParser
import Foundation
import GeoRaster
import SlopePhysics
import Stages
import StudyCore
import Susceptibility

/// Study A's choices that the harness used to fix in code, as settings with the study's defaults
/// (METHODS.md A2, A4, A5): the pore-water pressure profile, the POF as a 7th CNN channel, the
/// cleaning of the output map (Step 6), the soil-type channel where the study has a soil layer, and the
/// POF sampler's threshold and kernels.
public struct StudyASettings: Sendable, Codable, Equatable {
    /// Pore-water pressure at the wetting front (a suction, b zero, c saturated); the harness follows c.
    public var profile: PressureProfile = .c
    /// The POF map as a 7th channel of the CNN (Study A is ambiguous: METHODS.md A5); off = sampler only.
    public var pofChannel = false
    /// Step 6: clean the final map by grey-level opening and closing before classing it.
    public var cleanOutputMap = true
    /// The study layer used as the soil-type channel (Study A's 6th factor), when the study has it.
    public var soilTypeLayer = "soil_type"
    /// The POF sampler's threshold (POF below it is stable; Study A: 0.5) and kernels (3 × 3).
    public var pofThreshold: Float = 0.5
    public var kernelOpen = 3
    public var kernelClose = 3
    public init() {}

    /// The CNN's channels on this study: the five DEM channels, the soil type where the study has that
    /// layer, and `pof` when ``pofChannel`` is on (supplied as an extra grid).
    public func channels(_ context: StudyContext) -> [String] {
        FactorLayers.studyAChannels + (context.layerNames.contains(soilTypeLayer) ? [soilTypeLayer] : [])
            + (pofChannel ? ["pof"] : [])
    }

    /// A map cleaned by Step 6 when it is on, else as it is.
    public func cleaned(_ map: [Float], valid: [Bool], grid: Grid<Float>) -> [Float] {
        cleanOutputMap ? MapCleaning.clean(map, valid: valid, rows: grid.rows, cols: grid.cols, openSize: kernelOpen,
                                           closeSize: kernelClose) : map
    }
}

extension PressureProfile: ExpressibleByArgument {}

/// Study A's settings as command-line options, for the experiments of Study A.
public struct StudyAFlags: ParsableArguments {
    @Option(help: "Pore-water pressure profile at the wetting front: a (suction), b (zero), c (saturated; default).")
    public var profile: PressureProfile = .c
    @Flag(name: .customLong("pof-channel"), help: "Give the CNN the POF map as a 7th channel (Study A is ambiguous; default: sampler only).")
    public var pofChannel = false
    @Flag(name: .customLong("no-clean-map"), help: "Skip Step 6 (cleaning the output map by opening and closing).")
    public var noCleanMap = false
    @Option(name: .customLong("soil-type-layer"), help: "Study layer used as the soil-type channel when present (default soil_type).")
    public var soilTypeLayer = "soil_type"
    @Option(name: .customLong("pof-threshold"), help: "POF sampler threshold: POF below it is stable (default 0.5).")
    public var pofThreshold: Float = 0.5

    public init() {}

    public func validate() throws {
        guard pofThreshold > 0, pofThreshold < 1 else {
            throw ValidationError("--pof-threshold \(pofThreshold): expected a probability strictly between 0 and 1")
        }
    }

    public var settings: StudyASettings {
        var s = StudyASettings()
        s.profile = profile; s.pofChannel = pofChannel; s.cleanOutputMap = !noCleanMap
        s.soilTypeLayer = soilTypeLayer; s.pofThreshold = pofThreshold
        return s
    }
}
