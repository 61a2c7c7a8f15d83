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
    /// The POF sampler's threshold (POF below it is stable) and kernels; nil: the study's `samplers`
    /// (default Study A's 0.5 and 3 × 3). ``resolved(_:)`` fills them in.
    public var pofThresholdSetting: Float?
    public var kernelOpenSetting: Int?
    public var kernelCloseSetting: Int?
    /// The threshold and kernels in use (after ``resolved(_:)``; before it, the published defaults).
    public var pofThreshold: Float { pofThresholdSetting ?? Float(SamplerSettings().pofThreshold) }
    public var kernelOpen: Int { kernelOpenSetting ?? SamplerSettings().openKernel }
    public var kernelClose: Int { kernelCloseSetting ?? SamplerSettings().closeKernel }
    /// The patch CNN's Table 1 settings, replaced (nil: Table 1's, or the reduced network of `--quick`):
    /// convolution channels, kernel side and training epochs.
    public var cnnChannels: Int?
    public var cnnKernel: Int?
    public var cnnEpochs: Int?
    /// The CNN's input patch side in cells (Study A: 17 × 17).
    public var patch = 17
    /// Negatives drawn per training landslide (Study A: 1, a balanced set).
    public var negativesPerLandslide = 1.0
    public init() {}

    /// These settings on `config`: what the command line left unset comes from the study's `samplers`.
    public func resolved(_ config: StudyConfig) -> StudyASettings {
        var s = self
        s.pofThresholdSetting = pofThresholdSetting ?? Float(config.samplers.pofThreshold)
        s.kernelOpenSetting = kernelOpenSetting ?? config.samplers.openKernel
        s.kernelCloseSetting = kernelCloseSetting ?? config.samplers.closeKernel
        return s
    }

    /// `settings` with this study's CNN replacements applied.
    public func network(_ settings: ModelSettings) -> ModelSettings {
        var s = settings
        if let cnnChannels { s.channels = cnnChannels }
        if let cnnKernel { s.kernel = cnnKernel }
        if let cnnEpochs { s.epochs = cnnEpochs }
        return s
    }

    /// The CNN's channels on this study: the config's `factors.patch_cnn`, else the five DEM channels
    /// and the soil type where the study has that layer; and `pof` when ``pofChannel`` is on (supplied
    /// as an extra grid).
    public func channels(_ context: StudyContext) -> [String] {
        (context.config.factors.patchCNN
            ?? FactorLayers.studyAChannels + (context.layerNames.contains(soilTypeLayer) ? [soilTypeLayer] : []))
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
    @Option(name: .customLong("pof-threshold"), help: "POF sampler threshold: POF below it is stable (default: the study's samplers.pof_threshold, 0.5).")
    public var pofThreshold: Float?
    @Option(name: .customLong("open-kernel"), help: "Side (odd cells) of the opening's square kernel, in the POF sampler and Step 6 (default: samplers.open_kernel, 3).")
    public var openKernel: Int?
    @Option(name: .customLong("close-kernel"), help: "Side (odd cells) of the closing's square kernel, in the POF sampler and Step 6 (default: samplers.close_kernel, 3).")
    public var closeKernel: Int?
    @Option(name: .customLong("cnn-channels"), help: "The patch CNN's convolution channels (default: Table 1's 64; 8 with --quick).")
    public var cnnChannels: Int?
    @Option(name: .customLong("cnn-kernel"), help: "The patch CNN's convolution kernel side (default: Table 1's 3).")
    public var cnnKernel: Int?
    @Option(name: .customLong("cnn-epochs"), help: "The patch CNN's training epochs (default: Table 1's 40; 4 with --quick).")
    public var cnnEpochs: Int?
    @Option(help: "The patch CNN's input patch side in cells, odd (default: Study A's 17).")
    public var patch = 17
    @Option(name: .customLong("negatives-per-landslide"), help: "Negatives drawn per training landslide (default: Study A's 1).")
    public var negativesPerLandslide = 1.0

    public init() {}

    public func validate() throws {
        if let t = pofThreshold, !(t > 0 && t < 1) {
            throw ValidationError("--pof-threshold \(t): expected a probability strictly between 0 and 1")
        }
        for (name, value) in [("--open-kernel", openKernel), ("--close-kernel", closeKernel)] {
            guard let k = value, k < 1 || k > 15 || k % 2 == 0 else { continue }
            throw ValidationError("\(name) \(k): expected an odd kernel side from 1 to 15")
        }
        if let c = cnnChannels, !(1...256).contains(c) { throw ValidationError("--cnn-channels \(c): expected 1 to 256") }
        if let k = cnnKernel, !(1...7).contains(k) || k % 2 == 0 { throw ValidationError("--cnn-kernel \(k): expected an odd side from 1 to 7") }
        if let e = cnnEpochs, !(1...1000).contains(e) { throw ValidationError("--cnn-epochs \(e): expected 1 to 1000") }
        guard negativesPerLandslide >= 0.1, negativesPerLandslide <= 20 else {
            throw ValidationError("--negatives-per-landslide \(negativesPerLandslide): expected 0.1 to 20")
        }
        guard (5...33).contains(patch), patch % 2 == 1 else { throw ValidationError("--patch \(patch): expected an odd side from 5 to 33") }
    }

    public var settings: StudyASettings {
        var s = StudyASettings()
        s.profile = profile; s.pofChannel = pofChannel; s.cleanOutputMap = !noCleanMap
        s.soilTypeLayer = soilTypeLayer; s.pofThresholdSetting = pofThreshold
        s.kernelOpenSetting = openKernel; s.kernelCloseSetting = closeKernel
        s.cnnChannels = cnnChannels; s.cnnKernel = cnnKernel; s.cnnEpochs = cnnEpochs; s.patch = patch
        s.negativesPerLandslide = negativesPerLandslide
        return s
    }
}
