import Randomness

/// The networks of both studies and the field's baseline, built from layers.
public enum Models {
    /// Study A's patch CNN (METHODS.md A5): three k × k convolutions with C channels, each followed
    /// by ReLU then batch normalisation; 2 × 2 max pooling, stride 1, after the first two; a fully
    /// connected layer of 304 units (ReLU) after the third; dropout; 2 outputs (softmax).
    /// A 17 × 17 patch with k = 3 shrinks 17 → 15 → 14 → 12 → 11 → 9.
    public static func patchCNN<S: NetScalar>(inputChannels: Int, patch: Int = 17, kernel: Int = 3, channels: Int = 64,
                                             hidden: Int = 304, dropout: Double = 0.2,
                                             generator: inout SeededGenerator) -> Network<S> {
        var layers: [any Layer<S>] = []
        var shape = [inputChannels, patch, patch]
        func add(_ l: any Layer<S>) { layers.append(l); shape = l.outputShape(shape) }
        for block in 0..<3 {
            add(Conv2D<S>(inChannels: shape[0], outChannels: channels, kernel: (kernel, kernel), generator: &generator))
            add(ReLU<S>())
            add(BatchNorm<S>(channels: channels))
            if block < 2 { add(MaxPool2D<S>(pool: (2, 2), stride: (1, 1))) }
        }
        let flat = shape.reduce(1, *)
        add(Dense<S>(inputs: flat, outputs: hidden, initialization: .he, generator: &generator))
        add(ReLU<S>())
        add(Dropout<S>(probability: dropout, generator: &generator))
        add(Dense<S>(inputs: hidden, outputs: 2, generator: &generator))
        return Network(name: "patch-cnn", inputShape: [inputChannels, patch, patch], layers: layers)
    }

    /// Side of the last feature map of the patch CNN (9 for a 17 × 17 patch and k = 3).
    public static func patchCNNFeatureSide(patch: Int, kernel: Int) -> Int { patch - 3 * (kernel - 1) - 2 }

    /// Study B's BP network: inputs–hidden (tanh)–2 (linear), trained by Levenberg–Marquardt.
    public static func bp<S: NetScalar>(inputs: Int = 13, hidden: Int = 6, generator: inout SeededGenerator) -> Network<S> {
        Network(name: "bp", inputShape: [inputs], layers: [
            Dense<S>(inputs: inputs, outputs: hidden, generator: &generator), Tanh<S>(),
            Dense<S>(inputs: hidden, outputs: 2, generator: &generator),
        ])
    }

    /// Study B's LSTM: the factor vector read as a sequence of `inputs` steps of one value, 6 hidden
    /// units, ReLU, a fully connected layer to 2 outputs (softmax).
    public static func lstm<S: NetScalar>(inputs: Int = 13, hidden: Int = 6, generator: inout SeededGenerator) -> Network<S> {
        Network(name: "lstm", inputShape: [inputs, 1], layers: [
            LSTM<S>(inputs: 1, hidden: hidden, generator: &generator), ReLU<S>(),
            Dense<S>(inputs: hidden, outputs: 2, generator: &generator),
        ])
    }

    /// Study B's 1-D CNN on a 13 × 1 × 1 input: two (convolution "same", ReLU, max-pool 2) blocks
    /// along the factor axis, then a fully connected layer to 2 outputs (softmax).
    public static func cnn1D<S: NetScalar>(inputs: Int = 13, channels: Int = 16, kernel: Int = 3,
                                          generator: inout SeededGenerator) -> Network<S> {
        var layers: [any Layer<S>] = []
        var shape = [1, inputs, 1]
        func add(_ l: any Layer<S>) { layers.append(l); shape = l.outputShape(shape) }
        add(Conv2D<S>(inChannels: 1, outChannels: channels, kernel: (kernel, 1), padding: .same, generator: &generator))
        add(ReLU<S>())
        add(MaxPool2D<S>(pool: (2, 1), stride: (2, 1)))
        add(Conv2D<S>(inChannels: channels, outChannels: channels, kernel: (kernel, 1), padding: .same, generator: &generator))
        add(ReLU<S>())
        add(MaxPool2D<S>(pool: (2, 1), stride: (2, 1)))
        add(Dense<S>(inputs: shape.reduce(1, *), outputs: 2, generator: &generator))
        return Network(name: "cnn-1d", inputShape: [1, inputs, 1], layers: layers)
    }
}
