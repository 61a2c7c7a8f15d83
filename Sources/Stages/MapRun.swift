import Foundation
import GeoRaster
import NeuralNet
import Randomness
import StudyCore
import Susceptibility

/// Scoring every cell of a study with a trained model (`landslide map`).
public enum MapRun {
    public enum MapError: Error, CustomStringConvertible {
        case modelMismatch(String)
        public var description: String { switch self { case let .modelMismatch(s): "model file: \(s)" } }
    }

    /// Reads a model written by `landslide train --save-model`.
    public static func readModel(_ path: String) throws -> TrainedModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MapError.modelMismatch("\(path): not found or unreadable; expected a model from `landslide train --save-model`")
        }
        return try decodeModel(data, path: path)
    }

    /// Decodes and checks a model file's bytes (`path` names it in errors).
    public static func decodeModel(_ data: Data, path: String) throws -> TrainedModel {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let model: TrainedModel
        do { model = try decoder.decode(TrainedModel.self, from: data) } catch let error as DecodingError {
            throw MapError.modelMismatch("\(path) is not a model written by `landslide train --save-model`: \(Self.describe(error))")
        }
        try check(model, path: path)
        return model
    }

    /// A decoding error in a sentence: where in the file, and what was wrong there.
    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : "at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + ": "
        }
        switch error {
        case let .keyNotFound(key, context): return "\(at(context.codingPath))missing key '\(key.stringValue)'"
        case let .typeMismatch(type, context): return "\(at(context.codingPath))expected \(type)"
        case let .valueNotFound(type, context): return "\(at(context.codingPath))expected \(type), found null"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(at(context.codingPath))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// What the file must hold for scoring to be defined: one mean and one positive SD per factor, and a
    /// network a map can build and afford (a hand-edited or truncated file otherwise crashes the scoring
    /// or maps NaN). JSON itself holds no infinities or NaNs.
    static func check(_ model: TrainedModel, path: String) throws {
        func bad(_ what: String) -> MapError { .modelMismatch("\(path): \(what); write the model again with `landslide train --save-model`") }
        guard !model.factors.isEmpty else { throw bad("no factors") }
        guard model.means.count == model.factors.count, model.sds.count == model.factors.count else {
            throw bad("\(model.factors.count) factors but \(model.means.count) means and \(model.sds.count) SDs")
        }
        if let k = model.means.indices.first(where: { !model.means[$0].isFinite || !(model.sds[$0].isFinite && model.sds[$0] > 0) }) {
            throw bad("factor \(model.factors[k]) has mean \(model.means[k]) and SD \(model.sds[k]); expected a finite mean and an SD > 0")
        }
        if let c = model.settings.channels, !(1...1024).contains(c) { throw bad("\(c) channels; expected 1…1024") }
        if model.kind == .patchCNN {
            guard (3...65).contains(model.patch), model.patch % 2 == 1 else { throw bad("patch \(model.patch); expected an odd side from 3 to 65") }
            let k = model.settings.kernel ?? 3
            guard k >= 1, NeuralNet.Models.patchCNNFeatureSide(patch: model.patch, kernel: k) >= 1 else {
                throw bad("kernel \(k) leaves nothing of the \(model.patch) × \(model.patch) patch")
            }
        }
        let expected = parameterCounts(model), found = model.parameters.map(\.count)
        guard expected == found else {
            throw bad("its parameters have sizes \(found); a \(model.kind.rawValue) on \(model.factors.count) factors "
                      + "with these settings has \(expected)")
        }
    }

    /// The size of each parameter array of the model's network (a GLM: one array, a coefficient per
    /// factor and the intercept).
    static func parameterCounts(_ model: TrainedModel) -> [Int] {
        var g = SeededGenerator(seed: 0)
        switch model.kind {
        case .glm: return [model.factors.count + 1]
        case .bp:
            return TrainRun.network(.bp, inputs: model.factors.count, settings: model.settings, patch: model.patch,
                                    generator: &g).double!.parameters.map(\.value.count)
        case .lstm, .cnn1D, .patchCNN:
            return TrainRun.network(model.kind, inputs: model.factors.count, settings: model.settings, patch: model.patch,
                                    generator: &g).float!.parameters.map(\.value.count)
        }
    }

    /// P(landslide) per cell (nodata where a factor is missing), as a grid like the DEM; with a tile,
    /// the tile's band of rows only, georeferenced where it lies.
    ///
    /// A tile scores only its band's cells and equals the whole map's there bit for bit: the factor
    /// layers are read whole (their hydrology needs the whole basin), the patch CNN's dense map runs the
    /// whole map's blocks of rows that meet the band (each reading the patch radius of rows around it),
    /// and the pointwise models score the whole map's batches that hold a band cell.
    public static func run(_ context: StudyContext, model: TrainedModel, tile: RasterTile? = nil,
                           progress: (String) -> Void = { _ in }) throws -> Grid<Float> {
        let dem = context.dem
        if let tile, !tile.fits(rows: dem.rows) {
            throw RasterTileError("--tile \(tile): the study's grid has only \(dem.rows) rows; use at most \(dem.rows) tiles")
        }
        let factors = try FactorLayers.load(context, names: model.factors)
        let scores = try score(model, factors: factors, rows: tile?.rows(of: dem.rows), progress: progress)
        let nodata: Float = -9999
        return Grid(like: dem, nodata: nodata, values: scores.map { $0.isNaN ? nodata : $0 }).slice(tile)
    }

    /// P(landslide) for every analysed cell of `factors` (NaN where a factor is missing or outside the study area);
    /// with `rows`, for the cells of those rows (and whatever else their blocks or batches hold).
    public static func score(_ model: TrainedModel, factors: FactorLayers, rows band: Range<Int>? = nil,
                             progress: (String) -> Void = { _ in }) throws -> [Float] {
        try StageClock.shared.time("maps") { try scoreUntimed(model, factors: factors, rows: band, progress: progress) }
    }

    static func scoreUntimed(_ model: TrainedModel, factors: FactorLayers, rows band: Range<Int>?,
                             progress: (String) -> Void) throws -> [Float] {
        let moments = zip(model.means, model.sds).map { (mean: $0, sd: $1) }
        let valid = factors.valid
        var cells = valid.indices.filter { valid[$0] }
        if let band {
            // The whole map's batches of `batch` cells that hold a cell of the band.
            let columns = factors.template.cols, batch = 256
            let first = cells.firstIndex { $0 >= band.lowerBound * columns } ?? cells.count
            let end = cells.firstIndex { $0 >= band.upperBound * columns } ?? cells.count
            cells = first < end ? Array(cells[(first / batch * batch)..<min(cells.count, (end + batch - 1) / batch * batch)]) : []
        }
        var scores = [Float](repeating: .nan, count: valid.count)
        var g = SeededGenerator(seed: 0)
        switch model.kind {
        case .glm:
            guard let beta = model.parameters.first, beta.count == model.factors.count + 1 else {
                throw MapError.modelMismatch("GLM needs \(model.factors.count + 1) coefficients")
            }
            for (c, v) in zip(cells, factors.vectors(at: cells, moments: moments)) {
                var eta = beta[0]
                for k in v.indices { eta += beta[k + 1] * v[k] }
                scores[c] = Float(1 / (1 + exp(-eta)))
            }
        case .bp:
            let net = TrainRun.network(.bp, inputs: model.factors.count, settings: model.settings, patch: model.patch, generator: &g).double!
            try load(net.parameters, model)
            let x = TrainRun.inputs(.bp, cells: cells, factors: factors, raster: nil, moments: moments, patch: model.patch)
            for (c, p) in zip(cells, net.probabilities(x.converted())) { scores[c] = Float(p[1]) }
        case .lstm, .cnn1D, .patchCNN:
            let net = TrainRun.network(model.kind, inputs: model.factors.count, settings: model.settings, patch: model.patch,
                                       generator: &g).float!
            try load(net.parameters, model)
            net.restoreBatchNormState(model.batchNorm.map { $0.map { Float($0) } })
            if model.kind == .patchCNN {
                progress("dense map over \(cells.count) cells")
                scores = try DenseMap.probabilities(net, factors: factors.raster(moments: moments), rows: band)
                for i in scores.indices where !valid[i] { scores[i] = .nan }
            } else {
                let x = TrainRun.inputs(model.kind, cells: cells, factors: factors, raster: nil, moments: moments, patch: model.patch)
                for (c, p) in zip(cells, net.probabilities(x)) { scores[c] = Float(p[1]) }
            }
        }
        return scores
    }

    static func load<S: NetScalar>(_ params: [Parameter<S>], _ model: TrainedModel) throws {
        guard params.count == model.parameters.count,
              zip(params, model.parameters).allSatisfy({ $0.value.count == $1.count }) else {
            throw MapError.modelMismatch("parameter shapes do not match a \(model.kind.rawValue) on \(model.factors.count) factors")
        }
        for (p, v) in zip(params, model.parameters) { p.value = v.map { S($0) } }
    }
}
