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
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(TrainedModel.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw MapError.modelMismatch("\(path) is not a model written by `landslide train --save-model` (\(error))")
        }
    }

    /// P(landslide) per cell (NaN where a factor is missing), as a grid like the DEM.
    public static func run(_ context: StudyContext, model: TrainedModel, progress: (String) -> Void = { _ in }) throws -> Grid<Float> {
        let factors = try FactorLayers.load(context, names: model.factors)
        let scores = try score(model, factors: factors, progress: progress)
        let nodata: Float = -9999
        return Grid(like: context.dem, nodata: nodata, values: scores.map { $0.isNaN ? nodata : $0 })
    }

    /// P(landslide) for every analysed cell of `factors` (NaN where a factor is missing or outside the study area).
    public static func score(_ model: TrainedModel, factors: FactorLayers, progress: (String) -> Void = { _ in }) throws -> [Float] {
        let moments = zip(model.means, model.sds).map { (mean: $0, sd: $1) }
        let valid = factors.valid
        let cells = valid.indices.filter { valid[$0] }
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
                scores = try DenseMap.probabilities(net, factors: factors.raster(moments: moments))
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
