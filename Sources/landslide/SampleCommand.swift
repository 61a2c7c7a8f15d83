import ArgumentParser
import Foundation
import Stages
import StudyCore
import Susceptibility

extension SamplerKind: ExpressibleByArgument {}
extension ClassedFactor.Method: ExpressibleByArgument {}

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw non-landslide samples by one of the studies' samplers; write them with the landslides as CSV.",
        discussion: """
            Samplers: random (outside landslide cells), buffer (outside --buffer-m of every landslide), slope \
            (slope ≤ --max-slope-deg), information-value (the 'very low' class of the IV model on the study's \
            factors.networks, by default 13 terrain factors, PCA-weighted; a categorical layer classed by its \
            codes), pof (stable region of the PPM after --pof-threshold and opening/closing). The sampler \
            settings default to the study config's samplers section (Study B's 1000 m and 3°, Study A's 0.5 \
            and 3 × 3 unless the config says otherwise). \
            All are seeded, 1:1 by default (--ratio), keep --spacing-m between samples and from landslides, \
            and never use landslide cells or cells within --exclusion-m of them. Writes OUT (x,y,lslpts) and \
            OUT.json (candidate count, settings, provenance; the IV table for the IV sampler) and, for the \
            IV sampler, OUT.iv.tif (the total information value map).
            """)

    @OptionGroup var options: StudyOptions
    @Option(help: "Sampler.") var sampler: SamplerKind = .random
    @Option(help: "Output CSV.") var out: String
    @Option(help: "Negatives per landslide.") var ratio = 1.0
    @Option(name: .customLong("spacing-m"), help: "Minimum distance between samples (m).") var spacingM = 0.0
    @Option(name: .customLong("exclusion-m"), help: "No candidate within this distance of a landslide (m).") var exclusionM = 0.0
    @Option(name: .customLong("buffer-m"), help: "Buffer of the buffer sampler (m; default: the study's samplers.buffer_m, 1000).")
    var bufferM: Double?
    @Option(name: .customLong("max-slope-deg"), help: "Slope limit of the slope sampler (degrees; default: samplers.slope_max_deg, 3).")
    var maxSlopeDeg: Double?
    @Option(name: .customLong("pof-threshold"), help: "POF threshold of the pof sampler (default: samplers.pof_threshold, 0.5).")
    var pofThreshold: Float?
    @Option(name: .customLong("kernel-open"), parsing: .unconditional,
            help: "Opening kernel side (cells, odd, 1…15) of the pof sampler (default: samplers.open_kernel, 3).")
    var kernelOpen: Int?
    @Option(name: .customLong("kernel-close"), parsing: .unconditional,
            help: "Closing kernel side (cells, odd, 1…15) of the pof sampler (default: samplers.close_kernel, 3).")
    var kernelClose: Int?
    @Option(help: "Uncertainty scenario of the pof sampler (default: cov-0.10).", transform: Scenario.named) var scenario: Scenario = .cov010
    @Option(name: .customLong("factor-classing"), help: "Information-value factor classes: natural-breaks or quantiles.")
    var factorClassing: ClassedFactor.Method = .naturalBreaks
    @Option(help: "Seed (default: the study's).") var seed: UInt64?

    func validate() throws {
        guard ratio > 0 else { throw ValidationError("--ratio must be > 0") }
        if let t = pofThreshold, !(t > 0 && t <= 1) {
            throw ValidationError("--pof-threshold must be a probability in (0, 1], got \(t)")
        }
        guard spacingM >= 0, exclusionM >= 0, (bufferM ?? 0) >= 0 else { throw ValidationError("distances must be ≥ 0") }
        // The config's samplers.open_kernel / close_kernel take the same range: an odd side from 1 to 15 cells
        // (a side beyond the grid's would erase every candidate, slowly).
        for (flag, side) in [("--kernel-open", kernelOpen), ("--kernel-close", kernelClose)] {
            if let side, !(1...15).contains(side) || side % 2 == 0 {
                throw ValidationError("\(flag) must be an odd side from 1 to 15 cells, got \(side)")
            }
        }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            var o = SampleRun.Options()
            o.sampler = sampler
            o.common.ratio = ratio
            o.common.minimumSpacingMeters = spacingM
            o.common.exclusionBufferMeters = exclusionM
            o.common.seed = seed ?? config.seed
            o.bufferMeters = bufferM
            o.maximumSlopeDegrees = maxSlopeDeg
            o.pofThreshold = pofThreshold
            o.kernelOpen = kernelOpen
            o.kernelClose = kernelClose
            o.scenario = scenario
            o.factorClassing = factorClassing
            let s = try SampleRun.run(try StudyContext(config), options: o, outputPath: out)
            print("sample: \(s.sampler): \(s.negatives) negatives for \(s.landslides) landslides from \(s.candidates) candidate cells → \(out)")
        }
    }
}
