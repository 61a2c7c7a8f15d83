import Foundation
import GeoRaster
import NeuralNet
import Randomness
import StudyCore
import Susceptibility

/// The models `landslide train` fits.
public enum ModelKind: String, CaseIterable, Sendable, Codable {
    /// Logistic regression (binomial GLM), the field's baseline.
    case glm
    /// Study B's 13–6–2 back-propagation network, Levenberg–Marquardt.
    case bp
    /// Study B's LSTM over the factor vector.
    case lstm
    /// Study B's 1-D CNN over the factor vector.
    case cnn1D = "cnn-1d"
    /// Study A's 17 × 17 patch CNN.
    case patchCNN = "patch-cnn"

    public var usesPatches: Bool { self == .patchCNN }
}

/// How a model is evaluated (F5, F7: the studies' own protocol and the alternatives).
public enum ValidationProtocol: String, CaseIterable, Sendable, Codable {
    /// The studies' random 70/30 split (stratified by class).
    case split
    /// Train on the samples, test on a fixed external set (`--test`).
    case external
    /// Conventional k-fold cross-validation, repeated.
    case cv
    /// Spatial k-fold cross-validation (k-means on coordinates), repeated.
    case spatialCV = "spatial-cv"
}

/// Hyperparameters; nil means the model's published default (METHODS.md A5 Table 1 "best", B2).
public struct ModelSettings: Sendable, Codable, Equatable {
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var l2: Double?
    public var dropout: Double?
    public var kernel: Int?
    public var channels: Int?
    public var patience: Int?
    public init() {}

    public func resolved(_ kind: ModelKind) -> ModelSettings {
        var s = self
        switch kind {
        case .glm: break
        case .bp: s.epochs = epochs ?? 1000
        case .lstm:
            s.epochs = epochs ?? 1000; s.batchSize = batchSize ?? 100; s.learningRate = learningRate ?? 1e-4
            s.l2 = l2 ?? 0; s.patience = patience ?? 50
        case .cnn1D:
            s.epochs = epochs ?? 500; s.batchSize = batchSize ?? 128; s.learningRate = learningRate ?? 5e-4
            s.l2 = l2 ?? 1e-4; s.channels = channels ?? 16; s.kernel = kernel ?? 3; s.patience = patience ?? 50
        case .patchCNN:
            // Table 1's best values, but L2 at its range's top (the printed best, 0.1, lies outside it).
            s.epochs = epochs ?? 40; s.batchSize = batchSize ?? 64; s.learningRate = learningRate ?? 5.6e-3
            s.l2 = l2 ?? 1e-2; s.dropout = dropout ?? 0; s.kernel = kernel ?? 3; s.channels = channels ?? 64
            s.patience = patience ?? 10
        }
        return s
    }
}

/// A fitted model: what `landslide map` needs to score every cell.
public struct TrainedModel: Codable, Sendable {
    public var kind: ModelKind
    public var factors: [String]
    public var means: [Double]
    public var sds: [Double]
    public var settings: ModelSettings
    public var patch: Int
    /// Network parameters (in `Network.parameters` order) or the GLM's coefficients as one array.
    public var parameters: [[Double]]
    /// Batch-norm running means and variances, alternating.
    public var batchNorm: [[Double]]

    public init(kind: ModelKind, factors: [String], means: [Double], sds: [Double], settings: ModelSettings, patch: Int,
                parameters: [[Double]], batchNorm: [[Double]]) {
        self.kind = kind; self.factors = factors; self.means = means; self.sds = sds; self.settings = settings
        self.patch = patch; self.parameters = parameters; self.batchNorm = batchNorm
    }
}

