import ArgumentParser
import Foundation
import GeoRaster
import NeuralNet
import Stages
import StudyCore

extension ModelKind: ExpressibleByArgument {}
extension ValidationProtocol: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train and evaluate a susceptibility model; write its metrics as JSON.",
        discussion: """
            Models: glm (logistic regression), bp (13–6–2, Levenberg–Marquardt), lstm, cnn-1d (Study B), \
            patch-cnn (Study A's 17 × 17 CNN). Factors default to the model's own set (glm: the lsl set — SAGA \
            slope, plan and profile curvature, elevation, log10 catchment area; bp/lstm/cnn-1d: 13 terrain \
            factors; patch-cnn: slope, aspect, elevation, D8 flow direction, soil depth); every factor is \
            standardised over the study's valid cells. Samples: --samples CSV (x, y, lslpts; e.g. from \
            `landslide sample`), else the study's evaluation points; --negatives N keeps all landslides and N \
            random non-landslides. Protocols: split (stratified 70/30), external (--test CSV), cv (random \
            k-fold), spatial-cv (k-means on coordinates), the last two --repeats times. Networks stop early \
            on 15 % of each training set. --save-model writes the model fitted on all samples, for \
            `landslide map`.
            """)

    @OptionGroup var options: StudyOptions
    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).") var model: ModelKind = .glm
    @Option(help: "Comma-separated factor names (default: the model's set).") var factors: String?
    @Option(name: .customLong("protocol"), help: "Validation: \(ValidationProtocol.allCases.map(\.rawValue).joined(separator: ", ")).")
    var protocolKind: ValidationProtocol = .split
    @Option(help: "Samples CSV with x, y, lslpts (default: the study's evaluation points).") var samples: String?
    @Option(help: "Test CSV for --protocol external.") var test: String?
    @Option(help: "Keep all landslides and this many random non-landslides.") var negatives: Int?
    @Option(help: "Folds for cv and spatial-cv.") var folds = 5
    @Option(help: "Repetitions of the split or cross-validation.") var repeats = 1
    // Numeric options parse their value unconditionally, so `--epochs -1` reaches `validate` (and its
    // message) instead of being read as another option.
    @Option(parsing: .unconditional, help: "Training epochs, ≥ 1 (default: the model's published setting).") var epochs: Int?
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Mini-batch size, 1…65,536.") var batchSize: Int?
    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "Initial learning rate, > 0.") var learningRate: Double?
    @Option(parsing: .unconditional, help: "L2 regularisation factor, ≥ 0.") var l2: Double?
    @Option(parsing: .unconditional, help: "Dropout probability (patch-cnn), in [0, 1).") var dropout: Double?
    @Option(parsing: .unconditional, help: "Convolution kernel size (patch-cnn: 1…5, so the 17 × 17 patch survives three convolutions and two poolings).")
    var kernel: Int?
    @Option(parsing: .unconditional, help: "Convolution channels, \(TrainCommand.channelRange.lowerBound)…\(TrainCommand.channelRange.upperBound).")
    var channels: Int?
    @Option(help: "Seed (default: the study's).") var seed: UInt64?
    @Option(help: "Metrics JSON to write.") var out: String?
    @Flag(help: "Print only the summary line (no line per fold).") var quiet = false
    @Option(name: .customLong("save-model"), help: "Write the model fitted on all samples to this JSON file.") var saveModel: String?

    static let channelRange = 1...1024
    static let batchRange = 1...65_536

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be ≥ 2") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
        if protocolKind == .external, test == nil { throw ValidationError("--protocol external needs --test CSV") }
        if let d = dropout, !(0..<1).contains(d) { throw ValidationError("--dropout must be in [0, 1), got \(d)") }
        if let e = epochs, e < 1 { throw ValidationError("--epochs must be ≥ 1, got \(e)") }
        if let b = batchSize, !Self.batchRange.contains(b) {
            throw ValidationError("--batch-size must be in 1…65,536, got \(b)")
        }
        if let r = learningRate, !(r.isFinite && r > 0) { throw ValidationError("--learning-rate must be a finite number > 0, got \(r)") }
        if let l = l2, !(l.isFinite && l >= 0) { throw ValidationError("--l2 must be a finite number ≥ 0, got \(l)") }
        if let c = channels, !Self.channelRange.contains(c) {
            throw ValidationError("--channels must be in \(Self.channelRange.lowerBound)…\(Self.channelRange.upperBound), got \(c)")
        }
        if let k = kernel {
            guard k >= 1 else { throw ValidationError("--kernel must be ≥ 1, got \(k)") }
            // The patch CNN's 17 × 17 patch shrinks by k − 1 in each of three convolutions and by 1 in each of
            // two poolings; its last feature map must keep at least one cell.
            if model == .patchCNN, NeuralNet.Models.patchCNNFeatureSide(patch: TrainRun.Options().patch, kernel: k) < 1 {
                throw ValidationError("--kernel \(k) leaves nothing of the 17 × 17 patch (three \(k) × \(k) convolutions and two poolings); use 1…5")
            }
        }
    }

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            var o = TrainRun.Options()
            o.model = model
            o.factors = factors?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            o.protocolKind = protocolKind
            o.samplesPath = samples
            o.testPath = test
            o.negatives = negatives
            o.folds = folds
            o.repeats = repeats
            o.seed = seed ?? config.seed
            o.settings.epochs = epochs; o.settings.batchSize = batchSize; o.settings.learningRate = learningRate
            o.settings.l2 = l2; o.settings.dropout = dropout; o.settings.kernel = kernel; o.settings.channels = channels
            let quiet = quiet
            let s = try TrainRun.run(try StudyContext(config), options: o, outputPath: out, modelPath: saveModel) { line in
                if !quiet { FileHandle.standardError.write(Data("train: \(line)\n".utf8)) }
            }
            let dropped = s.foldsDropped > 0
                ? String(format: "; %d of %d folds dropped: one class only", s.foldsDropped, s.foldsPlanned) : ""
            print(String(format: "train: %@ on %@, %@: AUC %.4f ± %.4f over %d evaluations%@ (accuracy %.4f, F1 %.4f) in %.1f s",
                         s.model, s.study, s.protocolName, s.auc.mean, s.auc.sd, s.evaluations.count, dropped, s.accuracy.mean,
                         s.f1.mean, s.seconds))
            if let out { print("train: metrics → \(out)") }
            if let saveModel { print("train: model → \(saveModel)") }
        }
    }
}

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Score every cell with a model from `landslide train --save-model`; write a susceptibility GeoTIFF.",
        discussion: """
            Writes P(landslide) per cell (float32, nodata −9999 where a factor is missing) with the study's \
            grid and CRS and provenance in the metadata. The patch CNN runs as a dense map: its convolutions \
            once over the padded raster, equal to cutting a 17 × 17 patch per cell (cells near the edge or \
            nodata see 0, the factor mean, outside).
            """)

    @OptionGroup var options: StudyOptions
    @Option(help: "Model JSON from `landslide train --save-model`.") var model: String
    @Option(help: "Output GeoTIFF.") var out: String
    @Option(help: ArgumentHelp("""
        Score and write only tile i of N: a band of whole rows, georeferenced where it lies (the CNN reads \
        the patch radius of rows around it); `gdalbuildvrt` puts the N tiles together into the whole map.
        """, valueName: "i/N"), transform: { try RasterTile(parsing: $0) })
    var tile: RasterTile?

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            let trained = try MapRun.readModel(model)
            let start = Date()
            let grid = try MapRun.run(try StudyContext(config), model: trained, tile: tile) {
                FileHandle.standardError.write(Data("map: \($0)\n".utf8))
            }
            let provenance = Provenance.current(configDigest: config.configDigest, seed: config.seed)
            try RasterIO.writeGeoTIFF(grid, to: out, metadata: provenance.geoTIFFMetadata,
                                      bandDescription: "P(landslide), \(trained.kind.rawValue)")
            let valid = (0..<grid.count).filter { grid.isValid(at: $0) }.count
            print(String(format: "map: %@ scored %d cells%@ in %.1f s → %@", trained.kind.rawValue, valid,
                         tile.map { " (tile \($0))" } ?? "",
                         Date().timeIntervalSince(start), out))
        }
    }
}
