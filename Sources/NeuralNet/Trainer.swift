import Randomness

/// A labelled set: inputs [N, …] and class labels 0…K−1.
public struct LabelledSet<Scalar: NetScalar>: Sendable {
    public var inputs: Tensor<Scalar>
    public var labels: [Int]
    public init(inputs: Tensor<Scalar>, labels: [Int]) {
        precondition(inputs.batch == labels.count, "\(inputs.batch) inputs for \(labels.count) labels")
        self.inputs = inputs; self.labels = labels
    }
    public var count: Int { labels.count }
    public func subset(_ idx: [Int]) -> LabelledSet { LabelledSet(inputs: inputs.gather(idx), labels: idx.map { labels[$0] }) }
}

/// Mini-batch training settings. L2 enters through the optimiser's weight decay.
public struct TrainingOptions: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Stop after this many epochs without a lower validation loss, and keep the best epoch's
    /// weights (nil: train all epochs).
    public var patience: Int?
    public init(epochs: Int, batchSize: Int, patience: Int? = nil) {
        self.epochs = epochs; self.batchSize = batchSize; self.patience = patience
    }
}

public struct TrainingHistory: Sendable, Equatable {
    public var trainingLoss: [Double] = []
    public var validationLoss: [Double] = []
    /// The epoch (1-based) whose weights were kept.
    public var bestEpoch = 0
    public var stoppedEarly = false
}

public enum Trainer {
    /// Fisher–Yates shuffle of 0..<n from the generator.
    public static func permutation(_ n: Int, generator: inout SeededGenerator) -> [Int] {
        var p = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(generator.nextUnit() * Double(i + 1))) } }
        return p
    }

    /// Mean cross-entropy of a set in inference mode.
    public static func loss<S: NetScalar>(_ network: Network<S>, on set: LabelledSet<S>, batchSize: Int = 256) -> Double {
        var total = 0.0, start = 0
        while start < set.count {
            let idx = Array(start..<min(set.count, start + batchSize))
            let logits = network.infer(set.inputs.gather(idx))
            total += Double(Loss.softmaxCrossEntropy(logits, labels: idx.map { set.labels[$0] }).loss) * Double(idx.count)
            start += batchSize
        }
        return total / Double(max(1, set.count))
    }

    /// Trains with shuffled mini-batches (order from the generator: same seed, same result), early
    /// stopping on the validation loss when asked.
    @discardableResult
    public static func train<S: NetScalar, O: Optimizer<S>>(_ network: Network<S>, on training: LabelledSet<S>,
                                                           validation: LabelledSet<S>? = nil, optimizer: O,
                                                           options: TrainingOptions, generator: inout SeededGenerator,
                                                           progress: ((Int, Double, Double?) -> Void)? = nil) -> TrainingHistory {
        BLASThreads.useOneThread()
        var history = TrainingHistory()
        var best = Double.infinity
        var bestWeights = network.snapshot(), bestState = network.batchNormState()
        var sinceBest = 0
        for epoch in 1...max(1, options.epochs) {
            let order = permutation(training.count, generator: &generator)
            var sum = 0.0, start = 0
            while start < order.count {
                let idx = Array(order[start..<min(order.count, start + options.batchSize)])
                start += options.batchSize
                network.zeroGradients()
                let logits = network.forward(training.inputs.gather(idx), training: true)
                let (l, g) = Loss.softmaxCrossEntropy(logits, labels: idx.map { training.labels[$0] })
                network.backpropagate(g)
                optimizer.step(network.parameters)
                sum += Double(l) * Double(idx.count)
            }
            history.trainingLoss.append(sum / Double(training.count))
            var vLoss: Double?
            if let validation {
                let v = loss(network, on: validation)
                history.validationLoss.append(v)
                vLoss = v
                if v < best {
                    best = v; sinceBest = 0; history.bestEpoch = epoch
                    bestWeights = network.snapshot(); bestState = network.batchNormState()
                } else {
                    sinceBest += 1
                }
            } else {
                history.bestEpoch = epoch
            }
            progress?(epoch, history.trainingLoss.last!, vLoss)
            if let patience = options.patience, validation != nil, sinceBest >= patience {
                history.stoppedEarly = true
                break
            }
        }
        if validation != nil, options.patience != nil {
            network.restore(bestWeights)
            network.restoreBatchNormState(bestState)
        }
        return history
    }
}
